package io.kubenetlab.controller;

import io.kubenetlab.model.PodDeletion;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;

/**
 * The rules of a pod's graceful deletion, as pure functions: which grace period a delete gives
 * (upstream's pod strategy CheckGracefulDelete and rest.BeforeDelete), and when a terminating pod is
 * done (kubelet's killPod: its processes exited, or the grace period ran out).
 */
final class GracefulDeletion {
    /**
     * kubelet gives a container at least this long after SIGTERM, even when the preStop hook used up the
     * grace period (kuberuntime_container.go minimumGracePeriodInSeconds).
     */
    static final long MINIMUM_AFTER_SIGTERM_MS = 2_000;
    /** A terminator that never got to SIGTERM (its hook runner hung) does not keep the pod longer than this past its deadline. */
    static final long STUCK_MS = 10_000;

    private GracefulDeletion() {}

    /**
     * The grace period of a delete: the one asked for, else the pod's terminationGracePeriodSeconds;
     * 0 (at once) for a pod that already ended (upstream: a Succeeded or Failed pod goes at once).
     */
    static long gracePeriod(PodRecord pod, Long requested, PodStatus status) {
        if (status != null && status.finished()) return 0;
        long grace = requested != null ? requested : pod.terminationGracePeriodSeconds();
        return Math.max(0, grace);
    }

    /**
     * The pod's deletion after a delete at {@code nowMs} with {@code grace} (> 0): a first one starts
     * the grace period; a later one may only shorten it (rest.BeforeDelete keeps the earlier
     * deletionTimestamp otherwise). Returns {@code current} itself when nothing changes.
     */
    static PodDeletion next(PodDeletion current, long nowMs, long grace) {
        PodDeletion asked = new PodDeletion(nowMs, grace);
        if (current == null || asked.deadlineMs() < current.deadlineMs()) return asked;
        return current;
    }

    /**
     * Whether a terminating pod goes now: after SIGTERM (signalledAtMs, null while preStop hooks run) once
     * every container exited, or at the end of its grace period (at least {@link #MINIMUM_AFTER_SIGTERM_MS}
     * after SIGTERM); then whatever still runs gets SIGKILL.
     */
    static boolean done(PodDeletion deletion, Long signalledAtMs, boolean allExited, long nowMs) {
        if (signalledAtMs == null) return nowMs >= deletion.deadlineMs() + STUCK_MS;
        if (allExited) return true;
        return nowMs >= Math.max(deletion.deadlineMs(), signalledAtMs + MINIMUM_AFTER_SIGTERM_MS);
    }

    /** No container of the pod runs any more (exited, never started, or gone with its sandbox). */
    static boolean allExited(PodStatus status) {
        return status != null && status.containers().stream().noneMatch(c -> c.state().equals("running"));
    }
}
