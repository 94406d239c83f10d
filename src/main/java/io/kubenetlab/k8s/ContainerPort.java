package io.kubenetlab.k8s;

/** A port a container declares; {@code name} may be null. */
public record ContainerPort(String name, int containerPort, String protocol) {}
