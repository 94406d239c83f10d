package io.kubenetlab.k8s;

import java.util.List;

/** A container as the manifest gives it: {@code command} replaces the image's entrypoint, {@code args} its CMD. */
public record Container(String name, String image, List<String> command, List<String> args, List<EnvVar> env,
                        List<ContainerPort> ports) {
    public Container {
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = List.copyOf(env);
        ports = List.copyOf(ports);
    }
}
