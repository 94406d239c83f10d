package io.kubenetlab.k8s;

import java.util.List;

/**
 * {@code nodeName} may be null: then the scheduler picks a node. {@code terminationGracePeriodSeconds}:
 * how long a deleted pod's containers get between SIGTERM and SIGKILL (30 unless given).
 */
public record PodSpec(List<Container> containers, String restartPolicy, String nodeName, long terminationGracePeriodSeconds) {
    public static final long DEFAULT_TERMINATION_GRACE_SECONDS = 30;

    public PodSpec {
        containers = List.copyOf(containers);
    }

    public PodSpec(List<Container> containers, String restartPolicy, String nodeName) {
        this(containers, restartPolicy, nodeName, DEFAULT_TERMINATION_GRACE_SECONDS);
    }
}
