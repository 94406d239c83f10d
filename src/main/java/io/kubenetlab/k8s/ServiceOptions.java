package io.kubenetlab.k8s;

/**
 * Service fields beyond kube-proxy's, kept and served back as written (API defaults applied):
 * {@code ipFamilyPolicy} SingleStack or PreferDualStack (the lab is IPv4 only); {@code loadBalancerIP} the
 * EXTERNAL-IP asked of the lab's load balancer; {@code loadBalancerClass} another controller's balancer
 * (the lab's ignores the Service); {@code allocateLoadBalancerNodePorts} false: a LoadBalancer without
 * nodePorts; {@code trafficDistribution} kept, not modelled. Null means not set.
 */
public record ServiceOptions(String ipFamilyPolicy, String loadBalancerIP, String loadBalancerClass,
                             Boolean allocateLoadBalancerNodePorts, String trafficDistribution) {
    public static final ServiceOptions DEFAULTS = new ServiceOptions("SingleStack", null, null, null, null);

    /** Upstream's default: LoadBalancer Services get nodePorts unless told otherwise. */
    public boolean allocatesNodePorts() {
        return allocateLoadBalancerNodePorts == null || allocateLoadBalancerNodePorts;
    }
}
