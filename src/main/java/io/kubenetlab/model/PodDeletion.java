package io.kubenetlab.model;

import java.time.Instant;

/**
 * A graceful deletion under way: when it was asked for (epoch ms) and the grace period it was given.
 * The API's {@code metadata.deletionTimestamp} is the end of the grace period (upstream sets it to
 * now + grace), {@code metadata.deletionGracePeriodSeconds} the grace itself.
 */
public record PodDeletion(long requestedAtMs, long gracePeriodSeconds) {

    /** When the pod's processes get SIGKILL (and the pod goes) if they have not exited by then. */
    public long deadlineMs() {
        return requestedAtMs + gracePeriodSeconds * 1000;
    }

    /** RFC 3339, whole seconds, as the apiserver serves it. */
    public String deletionTimestamp() {
        return Instant.ofEpochMilli(deadlineMs()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
