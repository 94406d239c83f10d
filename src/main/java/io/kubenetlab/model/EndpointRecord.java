package io.kubenetlab.model;

import io.kubenetlab.net.Ipv4;

/**
 * One address and port of a Service's endpoints, flat (the API groups them into subsets or slices).
 * {@code portName} matches the Service port's name ("" when unnamed); {@code podName} is null for
 * addresses written by hand. {@code serving} and {@code terminating} are an EndpointSlice's conditions:
 * kube-proxy falls back to serving, terminating endpoints when a Service has no ready one.
 */
public record EndpointRecord(Ipv4 ip, String nodeName, String podName, boolean ready, String portName, int port, String protocol,
                             boolean serving, boolean terminating) {

    /** Endpoints and the endpoints controller know only readiness: such an endpoint serves when ready and never terminates. */
    public EndpointRecord(Ipv4 ip, String nodeName, String podName, boolean ready, String portName, int port, String protocol) {
        this(ip, nodeName, podName, ready, portName, port, protocol, ready, false);
    }
}
