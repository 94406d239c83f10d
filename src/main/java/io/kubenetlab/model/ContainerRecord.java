package io.kubenetlab.model;

import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.k8s.Probe;
import java.util.List;
import java.util.Map;

/**
 * A container as it runs: the resolved argv and environment, the image profile behind it, and its
 * probes (null when not declared; named ports already resolved to numbers).
 */
public record ContainerRecord(String name, String image, String profile, List<String> argv, Map<String, String> env,
                              List<ContainerPort> ports, Probe readinessProbe, Probe livenessProbe, Probe startupProbe) {

    /** A container without probes. */
    public ContainerRecord(String name, String image, String profile, List<String> argv, Map<String, String> env,
                           List<ContainerPort> ports) {
        this(name, image, profile, argv, env, ports, null, null, null);
    }

    public boolean hasProbes() {
        return readinessProbe != null || livenessProbe != null || startupProbe != null;
    }
}
