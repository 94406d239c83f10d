package io.kubenetlab.k8s;

import java.util.List;

/** {@code nodeName} may be null: then the scheduler picks a node. */
public record PodSpec(List<Container> containers, String restartPolicy, String nodeName) {
    public PodSpec {
        containers = List.copyOf(containers);
    }
}
