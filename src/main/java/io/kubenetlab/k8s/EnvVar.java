package io.kubenetlab.k8s;

public record EnvVar(String name, String value) {}
