package io.kubenetlab.manifest;

import io.kubenetlab.config.YamlNode;
import io.kubenetlab.k8s.ServiceOptions;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Set;

/**
 * The Service fields of {@link ServiceOptions} and {@code clusterIPs}, checked as the API server of a
 * single-stack IPv4 cluster checks them (the lab has no IPv6): worded like its errors.
 */
final class ServiceOptionsParser {
    static final Set<String> FIELDS = Set.of("ipFamilies", "ipFamilyPolicy", "clusterIPs", "loadBalancerIP", "loadBalancerClass",
            "allocateLoadBalancerNodePorts", "trafficDistribution");
    private static final List<String> POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");

    private ServiceOptionsParser() {}

    /** clusterIP, or clusterIPs[0] when only clusterIPs is given; the two must agree, and one family only. */
    static String clusterIP(YamlNode spec) {
        String clusterIP = spec.get("clusterIP").map(YamlNode::string).filter(s -> !s.isEmpty()).orElse(null);
        List<YamlNode> ips = spec.get("clusterIPs").map(YamlNode::items).orElse(List.of());
        if (ips.size() > 1) {
            throw ips.get(1).error("Invalid value: \"" + ips.get(1).string() + "\": may not be set: this cluster is not configured for dual-stack services");
        }
        if (ips.isEmpty()) return clusterIP;
        String first = ips.get(0).string();
        if (clusterIP == null) return first.isEmpty() ? null : first;
        if (!first.equals(clusterIP)) throw ips.get(0).error("Invalid value: \"" + first + "\": must match `clusterIP`");
        return clusterIP;
    }

    static ServiceOptions parse(YamlNode spec, String type) {
        for (YamlNode f : spec.get("ipFamilies").map(YamlNode::items).orElse(List.of())) {
            String family = f.string();
            if (family.equals("IPv6")) throw f.error("Invalid value: \"IPv6\": not configured on this cluster");
            if (!family.equals("IPv4")) throw f.error(ServiceParser.unsupported(family, List.of("IPv4", "IPv6")));
        }
        if (spec.get("ipFamilies").map(YamlNode::items).map(List::size).orElse(0) > 1) {
            throw spec.require("ipFamilies").error("Too many: 2: must have at most 1 items");
        }
        String policy = spec.optString("ipFamilyPolicy", "SingleStack");
        if (!POLICIES.contains(policy)) throw spec.require("ipFamilyPolicy").error(ServiceParser.unsupported(policy, POLICIES));
        if (policy.equals("RequireDualStack")) {
            throw spec.require("ipFamilyPolicy").error("Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services");
        }
        boolean lb = type.equals("LoadBalancer");
        String lbIP = spec.get("loadBalancerIP").map(YamlNode::string).filter(s -> !s.isEmpty()).orElse(null);
        if (lbIP != null) {
            try {
                lbIP = Ipv4.parse(lbIP).toString();
            } catch (IllegalArgumentException e) {
                throw spec.require("loadBalancerIP").error("Invalid value: \"" + lbIP + "\": must be a valid IP address");
            }
        }
        String lbClass = spec.get("loadBalancerClass").map(YamlNode::string).orElse(null);
        if (lbClass != null && !lb) throw spec.require("loadBalancerClass").error("Forbidden: may only be used when `type` is 'LoadBalancer'");
        if (lbClass != null && !lbClass.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
            throw spec.require("loadBalancerClass").error("Invalid value: \"" + lbClass
                    + "\": a domain-prefixed path such as 'example.com/my-lb' (a DNS subdomain, '/', a name)");
        }
        Boolean allocate = spec.get("allocateLoadBalancerNodePorts").map(YamlNode::bool).orElse(null);
        if (allocate != null && !lb) {
            throw spec.require("allocateLoadBalancerNodePorts").error("Forbidden: may only be used when `type` is 'LoadBalancer'");
        }
        if (allocate == null && lb) allocate = true; // the API server's default, shown by get -o yaml
        String distribution = spec.get("trafficDistribution").map(YamlNode::string).orElse(null);
        if (distribution != null && !distribution.equals("PreferClose")) {
            throw spec.require("trafficDistribution").error(ServiceParser.unsupported(distribution, List.of("PreferClose")));
        }
        return new ServiceOptions(type.equals("ExternalName") ? null : policy, lbIP, lbClass, allocate, distribution);
    }
}
