package io.kubenetlab.proxy;

import io.kubenetlab.net.Ipv4;
import java.util.Objects;

/**
 * One endpoint of a service port, already resolved to the target port number.
 *
 * @param nodeName the node the endpoint runs on (null = unknown, never local)
 */
public record Endpoint(Ipv4 ip, int port, String nodeName, boolean ready, boolean serving, boolean terminating) {

    public Endpoint {
        Objects.requireNonNull(ip, "ip");
    }
}
