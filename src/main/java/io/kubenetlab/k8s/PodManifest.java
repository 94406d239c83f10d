package io.kubenetlab.k8s;

/** A bare Pod from a manifest (not created by a Deployment). */
public record PodManifest(ObjectMeta metadata, PodSpec spec, String source) implements KubeObject {
    @Override
    public String kind() {
        return "Pod";
    }
}
