package io.kubenetlab.proxy;

import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Objects;

/**
 * One port of one Service, as kube-proxy sees it after the API defaults are applied.
 *
 * @param portName                "" if the port is unnamed (then the service port name is just "ns/name")
 * @param protocol                TCP, UDP or SCTP (upper case, as in the API)
 * @param clusterIP               null: headless or no IP of this family; such ports are skipped
 * @param nodePort                0 = none
 * @param stickySeconds           0 = sessionAffinity None, otherwise the ClientIP timeout (API default 10800)
 * @param externalPolicyLocal     externalTrafficPolicy Local, already ANDed with "externally accessible by type"
 * @param internalPolicyLocal     internalTrafficPolicy Local
 * @param healthCheckNodePort     0 = none; kube-proxy only has one for type LoadBalancer with externalPolicyLocal
 */
public record ServicePort(String namespace, String name, String portName, String protocol,
        Ipv4 clusterIP, int port, int nodePort,
        List<Ipv4> externalIPs, List<Ipv4> loadBalancerIPs, List<Cidr> loadBalancerSourceRanges,
        int stickySeconds, boolean externalPolicyLocal, boolean internalPolicyLocal, int healthCheckNodePort) {

    public ServicePort {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        portName = portName == null ? "" : portName;
        if (!"TCP".equals(protocol) && !"UDP".equals(protocol) && !"SCTP".equals(protocol)) {
            throw new IllegalArgumentException("protocol must be TCP, UDP or SCTP, not " + protocol);
        }
        // Immutable copies: the renderer iterates these in the order given (the Service object's order).
        externalIPs = externalIPs == null ? List.of() : List.copyOf(externalIPs);
        loadBalancerIPs = loadBalancerIPs == null ? List.of() : List.copyOf(loadBalancerIPs);
        loadBalancerSourceRanges = loadBalancerSourceRanges == null ? List.of() : List.copyOf(loadBalancerSourceRanges);
    }

    /** kube-proxy's ExternallyAccessible(): anything that reaches the service from outside its cluster IP. */
    public boolean externallyAccessible() {
        return nodePort != 0 || !loadBalancerIPs.isEmpty() || !externalIPs.isEmpty();
    }

    /** kube-proxy's UsesClusterEndpoints(). */
    public boolean usesClusterEndpoints() {
        return !internalPolicyLocal || externallyAccessible();
    }

    /** kube-proxy's UsesLocalEndpoints(). */
    public boolean usesLocalEndpoints() {
        return internalPolicyLocal || (externalPolicyLocal && externallyAccessible());
    }
}
