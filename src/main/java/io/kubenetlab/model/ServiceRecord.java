package io.kubenetlab.model;

import io.kubenetlab.k8s.Service;
import io.kubenetlab.k8s.ServiceOptions;
import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Map;

/**
 * An admitted Service: its ClusterIP and nodePorts allocated. {@code clusterIP} is "None" for a
 * headless Service and null for ExternalName; {@code selector} null means Endpoints come from the
 * manifests; {@code loadBalancerIPs} empty means the LoadBalancer is still pending; {@code healthCheckNodePort}
 * 0 means none (only a LoadBalancer with externalTrafficPolicy Local has one); {@code publishNotReadyAddresses}:
 * not-ready pods are ready endpoints (in Endpoints, slices, DNS and rules).
 */
public record ServiceRecord(String name, String namespace, Map<String, String> labels, String type, Map<String, String> selector,
                            String clusterIP, List<ServicePortSpec> ports, List<Ipv4> externalIPs, List<Ipv4> loadBalancerIPs,
                            String sessionAffinity, int affinityTimeoutSeconds, String externalTrafficPolicy,
                            String internalTrafficPolicy, List<Cidr> loadBalancerSourceRanges, String externalName, String createdAt,
                            int healthCheckNodePort, boolean publishNotReadyAddresses, ServiceOptions options) {
    public ServiceRecord {
        if (options == null) options = ServiceOptions.DEFAULTS; // state saved before options existed
    }

    /** A Service with the default options. */
    public ServiceRecord(String name, String namespace, Map<String, String> labels, String type, Map<String, String> selector,
                         String clusterIP, List<ServicePortSpec> ports, List<Ipv4> externalIPs, List<Ipv4> loadBalancerIPs,
                         String sessionAffinity, int affinityTimeoutSeconds, String externalTrafficPolicy,
                         String internalTrafficPolicy, List<Cidr> loadBalancerSourceRanges, String externalName, String createdAt,
                         int healthCheckNodePort, boolean publishNotReadyAddresses) {
        this(name, namespace, labels, type, selector, clusterIP, ports, externalIPs, loadBalancerIPs, sessionAffinity, affinityTimeoutSeconds,
                externalTrafficPolicy, internalTrafficPolicy, loadBalancerSourceRanges, externalName, createdAt,
                healthCheckNodePort, publishNotReadyAddresses, ServiceOptions.DEFAULTS);
    }

    /** A Service with the default options, without a health check node port, whose endpoints are only its ready pods. */
    public ServiceRecord(String name, String namespace, Map<String, String> labels, String type, Map<String, String> selector,
                         String clusterIP, List<ServicePortSpec> ports, List<Ipv4> externalIPs, List<Ipv4> loadBalancerIPs,
                         String sessionAffinity, int affinityTimeoutSeconds, String externalTrafficPolicy,
                         String internalTrafficPolicy, List<Cidr> loadBalancerSourceRanges, String externalName, String createdAt) {
        this(name, namespace, labels, type, selector, clusterIP, ports, externalIPs, loadBalancerIPs, sessionAffinity, affinityTimeoutSeconds,
                externalTrafficPolicy, internalTrafficPolicy, loadBalancerSourceRanges, externalName, createdAt, 0, false, ServiceOptions.DEFAULTS);
    }

    /**
     * What the lab keeps of a Service as given (a manifest, an API write, an offline render's input), with
     * what admission decided: its cluster IP, ports (nodePorts filled in), ingress IPs and health check node port.
     */
    public static ServiceRecord admitted(Service s, String clusterIP, List<ServicePortSpec> ports, List<Ipv4> loadBalancerIPs,
                                         String createdAt, int healthCheckNodePort) {
        return new ServiceRecord(s.metadata().name(), s.metadata().namespace(), s.metadata().labels(), s.type(), s.selector(),
                clusterIP, ports, s.externalIPs(), List.copyOf(loadBalancerIPs), s.sessionAffinity(), s.affinityTimeoutSeconds(),
                s.externalTrafficPolicy(), s.internalTrafficPolicy(), s.loadBalancerSourceRanges(), s.externalName(),
                createdAt, healthCheckNodePort, s.publishNotReadyAddresses(), s.options());
    }

    /** The same Service, created when {@code at} says (an update keeps the original's age). */
    public ServiceRecord withCreatedAt(String at) {
        return new ServiceRecord(name, namespace, labels, type, selector, clusterIP, ports, externalIPs, loadBalancerIPs, sessionAffinity,
                affinityTimeoutSeconds, externalTrafficPolicy, internalTrafficPolicy, loadBalancerSourceRanges, externalName, at,
                healthCheckNodePort, publishNotReadyAddresses, options);
    }

    /** The same Service with other ingress IPs (its status.loadBalancer.ingress, as kube-proxy reads it). */
    public ServiceRecord withLoadBalancerIPs(List<Ipv4> ips) {
        return new ServiceRecord(name, namespace, labels, type, selector, clusterIP, ports, externalIPs, List.copyOf(ips), sessionAffinity,
                affinityTimeoutSeconds, externalTrafficPolicy, internalTrafficPolicy, loadBalancerSourceRanges, externalName, createdAt,
                healthCheckNodePort, publishNotReadyAddresses, options);
    }

    /** Upstream's NeedsHealthCheck. */
    public boolean needsHealthCheck() {
        return "LoadBalancer".equals(type) && "Local".equals(externalTrafficPolicy);
    }

    public boolean headless() {
        return "None".equals(clusterIP);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
