package io.kubenetlab.model;

import io.kubenetlab.model.PodRecord;
import java.nio.file.Path;

/** The layout of a lab's state directory: every file the lab makes lives under it. */
public record LabPaths(Path dir) {
    public Path runtime() {
        return dir.resolve("runtime");
    }

    public Path images() {
        return dir.resolve("images");
    }

    public Path pod(PodRecord pod) {
        return dir.resolve("pods").resolve(pod.namespace() + "_" + pod.name());
    }

    public Path container(PodRecord pod, String container) {
        return pod(pod).resolve(container);
    }

    /** The lab's service account: its token and the API's CA, copied into each pod's secrets. */
    public Path serviceAccount() {
        return dir.resolve("serviceaccount");
    }

    public Path machine(String name) {
        return dir.resolve("machines").resolve(name);
    }
}
