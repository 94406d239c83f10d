package io.kubenetlab.k8s;

import java.util.List;

/**
 * A container as the manifest gives it: {@code command} replaces the image's entrypoint, {@code args} its CMD.
 * Probes and the preStop hook are null when the manifest declares none.
 */
public record Container(String name, String image, List<String> command, List<String> args, List<EnvVar> env,
                        List<ContainerPort> ports, Probe readinessProbe, Probe livenessProbe, Probe startupProbe,
                        LifecycleHandler preStop) {
    public Container {
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = List.copyOf(env);
        ports = List.copyOf(ports);
    }

    /** A container without probes. */
    public Container(String name, String image, List<String> command, List<String> args, List<EnvVar> env,
                     List<ContainerPort> ports) {
        this(name, image, command, args, env, ports, null, null, null, null);
    }

    public Container(String name, String image, List<String> command, List<String> args, List<EnvVar> env,
                     List<ContainerPort> ports, Probe readinessProbe, Probe livenessProbe, Probe startupProbe) {
        this(name, image, command, args, env, ports, readinessProbe, livenessProbe, startupProbe, null);
    }
}
