package io.kubenetlab.lab;

import io.kubenetlab.runtime.SandboxRuntime;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.runtime.docker.DockerRuntime;
import io.kubenetlab.runtime.netns.NetnsRuntime;
import java.nio.file.Path;

/** The runtime a lab runs on, by the name its lab file (or {@code deploy --runtime}) gives. */
public final class Runtimes {
    public static final String NETNS = "netns";
    public static final String DOCKER = "docker";

    private Runtimes() {}

    public static SandboxRuntime create(String name, Kernel kernel, Path stateRoot) {
        return DOCKER.equals(name) ? new DockerRuntime(kernel, stateRoot) : new NetnsRuntime(kernel, stateRoot);
    }
}
