package io.kubenetlab.k8s;

import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Map;

/**
 * A v1 Service as the manifest gives it (API defaults applied). {@code selector} is null for a
 * Service without one (its Endpoints come from the manifests); {@code clusterIP} is null when one is
 * to be allocated and {@code "None"} for a headless Service. {@code healthCheckNodePort} 0 means "allocate one"
 * when {@link #needsHealthCheck()}; {@code statusIngressIPs} are {@code status.loadBalancer.ingress[*].ip} (ipMode VIP)
 * as a manifest gives them: the offline renderer puts them where a lab's {@code services/status} write puts its
 * ingress ({@link io.kubenetlab.model.ServiceRecord#withLoadBalancerIPs}); a lab ignores status given with the
 * object, as the API server does (status is written through the subresource). {@code publishNotReadyAddresses}: its
 * not-ready pods count as ready endpoints (upstream's endpoint controllers), for peers that must find
 * each other before they are ready.
 */
public record Service(ObjectMeta metadata, String type, Map<String, String> selector, String clusterIP,
                      List<ServicePortSpec> ports, List<Ipv4> externalIPs, String sessionAffinity, int affinityTimeoutSeconds,
                      String externalTrafficPolicy, String internalTrafficPolicy, List<Cidr> loadBalancerSourceRanges,
                      String externalName, String source, int healthCheckNodePort, List<Ipv4> statusIngressIPs,
                      boolean publishNotReadyAddresses, ServiceOptions options) implements KubeObject {
    public static final String NONE = "None";

    public Service {
        ports = List.copyOf(ports);
        externalIPs = List.copyOf(externalIPs);
        loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges);
        statusIngressIPs = statusIngressIPs == null ? List.of() : List.copyOf(statusIngressIPs);
        if (options == null) options = ServiceOptions.DEFAULTS;
    }

    /** A Service with the default options (what most manifests give). */
    public Service(ObjectMeta metadata, String type, Map<String, String> selector, String clusterIP,
                   List<ServicePortSpec> ports, List<Ipv4> externalIPs, String sessionAffinity, int affinityTimeoutSeconds,
                   String externalTrafficPolicy, String internalTrafficPolicy, List<Cidr> loadBalancerSourceRanges,
                   String externalName, String source, int healthCheckNodePort, List<Ipv4> statusIngressIPs,
                   boolean publishNotReadyAddresses) {
        this(metadata, type, selector, clusterIP, ports, externalIPs, sessionAffinity, affinityTimeoutSeconds, externalTrafficPolicy,
                internalTrafficPolicy, loadBalancerSourceRanges, externalName, source, healthCheckNodePort, statusIngressIPs,
                publishNotReadyAddresses, ServiceOptions.DEFAULTS);
    }

    /** A Service with the default options, without a health check node port or a status, whose endpoints are only its ready pods. */
    public Service(ObjectMeta metadata, String type, Map<String, String> selector, String clusterIP,
                   List<ServicePortSpec> ports, List<Ipv4> externalIPs, String sessionAffinity, int affinityTimeoutSeconds,
                   String externalTrafficPolicy, String internalTrafficPolicy, List<Cidr> loadBalancerSourceRanges,
                   String externalName, String source) {
        this(metadata, type, selector, clusterIP, ports, externalIPs, sessionAffinity, affinityTimeoutSeconds, externalTrafficPolicy,
                internalTrafficPolicy, loadBalancerSourceRanges, externalName, source, 0, List.of(), false, ServiceOptions.DEFAULTS);
    }

    /** Upstream's NeedsHealthCheck: only a LoadBalancer with externalTrafficPolicy Local has a health check node port. */
    public boolean needsHealthCheck() {
        return type.equals("LoadBalancer") && "Local".equals(externalTrafficPolicy);
    }

    public Service withHealthCheckNodePort(int port) {
        return new Service(metadata, type, selector, clusterIP, ports, externalIPs, sessionAffinity, affinityTimeoutSeconds,
                externalTrafficPolicy, internalTrafficPolicy, loadBalancerSourceRanges, externalName, source, port, statusIngressIPs,
                publishNotReadyAddresses, options);
    }

    @Override
    public String kind() {
        return "Service";
    }

    public boolean headless() {
        return NONE.equals(clusterIP);
    }

    public boolean hasNodePorts() {
        return type.equals("NodePort") || type.equals("LoadBalancer");
    }
}
