package io.kubenetlab.model;

import io.kubenetlab.net.Ipv4;

/**
 * One address and port of a Service's Endpoints, flat (the API groups them into subsets).
 * {@code portName} matches the Service port's name ("" when unnamed); {@code podName} is null for
 * addresses written by hand.
 */
public record EndpointRecord(Ipv4 ip, String nodeName, String podName, boolean ready, String portName, int port, String protocol) {}
