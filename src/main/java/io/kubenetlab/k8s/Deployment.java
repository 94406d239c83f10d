package io.kubenetlab.k8s;

import java.util.Map;

/** A Deployment: {@code replicas} copies of {@code template}, selected by {@code selector} (matchLabels). */
public record Deployment(ObjectMeta metadata, int replicas, Map<String, String> selector, ObjectMeta templateMetadata,
                         PodSpec template, String source) implements KubeObject {
    public Deployment {
        selector = Map.copyOf(selector);
    }

    @Override
    public String kind() {
        return "Deployment";
    }
}
