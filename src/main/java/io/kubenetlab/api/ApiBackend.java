package io.kubenetlab.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * What the API server needs from the cluster behind it: the objects (with their watch history) and
 * the writes. Patches are worked out by the server and arrive here as a whole new object.
 */
public interface ApiBackend {
    ObjectCache cache();

    /** Admits a new object; returns it as served. */
    ObjectNode create(ResourceType t, String namespace, ObjectNode body, boolean dryRun);

    /** Replaces an object's user part (spec, labels, annotations); returns it as served. */
    ObjectNode update(ResourceType t, String namespace, String name, ObjectNode body, boolean dryRun);

    /**
     * Replaces an object's status (the {@code status} subresource): only the status changes, as the
     * API server's status strategies keep spec and metadata. Kinds whose status the lab computes refuse.
     */
    default ObjectNode updateStatus(ResourceType t, String namespace, String name, ObjectNode body, boolean dryRun) {
        throw ApiException.methodNotAllowed(t.qualified() + "/status is written by kubenetlab's controller");
    }

    /** Deletes an object with the default options; returns it as it was. */
    default ObjectNode delete(ResourceType t, String namespace, String name, boolean dryRun) {
        return delete(t, namespace, name, DeleteOptions.DEFAULT, dryRun);
    }

    /**
     * Deletes an object. Returns it as it was when it is gone, or as it is now (with
     * {@code metadata.deletionTimestamp}) when its deletion is graceful and under way.
     */
    ObjectNode delete(ResourceType t, String namespace, String name, DeleteOptions options, boolean dryRun);

    /** A container's log file (the pod's first container when {@code container} is null). */
    Path logFile(String namespace, String pod, String container);

    /**
     * Prometheus text for /metrics: the controller's own numbers (network programming latency); the
     * exact quantiles cover the last {@code window} changes (all kept when not positive).
     */
    String metrics(int window);

    /**
     * Checks a pod's stream request as the API server does before it opens one: the pod there, with a
     * node, and {@code container} one of its containers (or, when null and {@code forContainer}, the only one).
     */
    default void checkStream(String namespace, String pod, String container, boolean forContainer) {
        throw ApiException.methodNotAllowed("streams are not served here");
    }

    /**
     * Starts argv in a pod's container as kubelet's exec does (the pod's namespaces, the container's
     * environment and working directory), on a terminal of {@code cols} x {@code rows} when {@code tty}.
     * Throws {@link ApiException} as the API server words it when the pod or container is not there.
     */
    default io.kubenetlab.kernel.RunningCommand exec(String namespace, String pod, String container, java.util.List<String> argv,
                                                       boolean tty, int cols, int rows) {
        throw ApiException.methodNotAllowed("exec is not served here");
    }

    /**
     * A TCP connection to {@code port} on the pod's loopback, made inside the pod's network namespace:
     * kubelet's port-forward (containerd dials localhost:port in the sandbox's namespace).
     */
    default java.net.Socket connect(String namespace, String pod, int port) throws java.io.IOException {
        throw ApiException.methodNotAllowed("port-forward is not served here");
    }
}
