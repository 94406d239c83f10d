package io.kubenetlab.lab;

import java.util.Map;

/** A Deployment and the ReplicaSet name its pods carry ({@code <name>-<pod-template-hash>}). */
public record DeploymentRecord(String name, String namespace, int replicas, Map<String, String> selector,
                               String replicaSetName, String createdAt) {}
