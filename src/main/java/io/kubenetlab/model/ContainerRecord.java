package io.kubenetlab.model;

import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.k8s.LifecycleHandler;
import io.kubenetlab.k8s.Probe;
import java.util.List;
import java.util.Map;

/**
 * A container as it runs: the resolved argv and environment, the image profile behind it, and its
 * probes and preStop hook (null when not declared; named ports already resolved to numbers).
 */
public record ContainerRecord(String name, String image, String profile, List<String> argv, Map<String, String> env,
                              List<ContainerPort> ports, Probe readinessProbe, Probe livenessProbe, Probe startupProbe,
                              LifecycleHandler preStop) {

    /** A container without probes. */
    public ContainerRecord(String name, String image, String profile, List<String> argv, Map<String, String> env,
                           List<ContainerPort> ports) {
        this(name, image, profile, argv, env, ports, null, null, null, null);
    }

    /** A container without a preStop hook. */
    public ContainerRecord(String name, String image, String profile, List<String> argv, Map<String, String> env,
                           List<ContainerPort> ports, Probe readinessProbe, Probe livenessProbe, Probe startupProbe) {
        this(name, image, profile, argv, env, ports, readinessProbe, livenessProbe, startupProbe, null);
    }

    public boolean hasProbes() {
        return readinessProbe != null || livenessProbe != null || startupProbe != null;
    }
}
