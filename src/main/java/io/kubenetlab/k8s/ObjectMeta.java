package io.kubenetlab.k8s;

import java.util.Map;

/** The identifying part of a Kubernetes object. */
public record ObjectMeta(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
    public ObjectMeta {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
