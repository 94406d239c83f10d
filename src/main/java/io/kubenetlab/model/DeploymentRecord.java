package io.kubenetlab.model;

import io.kubenetlab.k8s.ObjectMeta;
import io.kubenetlab.k8s.PodSpec;
import java.util.Map;

/**
 * A Deployment, the ReplicaSet name its pods carry ({@code <name>-<pod-template-hash>}) and its pod
 * template, so it can make new pods when scaled or when one of its pods is deleted. {@code created}
 * counts the pods it ever made: a replacement gets a new name, as in Kubernetes.
 */
public record DeploymentRecord(String name, String namespace, int replicas, Map<String, String> selector,
                               String replicaSetName, String createdAt, ObjectMeta templateMetadata, PodSpec template,
                               String source, int created) {
    public DeploymentRecord withReplicas(int n) {
        return new DeploymentRecord(name, namespace, n, selector, replicaSetName, createdAt, templateMetadata, template, source, created);
    }

    public DeploymentRecord withCreated(int n) {
        return new DeploymentRecord(name, namespace, replicas, selector, replicaSetName, createdAt, templateMetadata, template, source, n);
    }

    /** Whether the pod belongs to one of this Deployment's ReplicaSets (any template: {@code <name>-<hash>}). */
    public boolean owns(PodRecord p) {
        String owner = p.ownerName();
        return owner != null && "ReplicaSet".equals(p.ownerKind()) && p.namespace().equals(namespace)
                && owner.startsWith(name + "-") && !owner.substring(name.length() + 1).contains("-");
    }
}
