package io.kubenetlab.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * What the API server does to a Service update before it validates it: upstream's
 * {@code dropTypeDependentFields} (pkg/registry/core/service/storage/storage.go). A field that no longer
 * applies to the new type is wiped when the user left it as the stored object had it (what {@code kubectl
 * apply} or {@code edit} of the live object sends), so switching NodePort to ExternalName drops the
 * allocated clusterIP and node ports instead of failing validation; their allocations are released with
 * the old record. A field the user did change is kept, and validation answers for it.
 */
final class ServiceUpdateDefaults {
    private ServiceUpdateDefaults() {}

    /** Wipes, in {@code user}'s spec, the fields its new type does not need and the user left unchanged from {@code stored}. */
    static void dropTypeDependentFields(JsonNode stored, ObjectNode user) {
        JsonNode old = stored.path("spec");
        if (!(user.get("spec") instanceof ObjectNode spec)) return;
        String oldType = type(old);
        String newType = type(spec);
        if (needsClusterIP(oldType) && !needsClusterIP(newType)) {
            if (same(old, spec, "clusterIP") && same(old, spec, "clusterIPs")) {
                spec.remove("clusterIP");
                spec.remove("clusterIPs");
            }
            if (same(old, spec, "ipFamilies")) spec.remove("ipFamilies");
            if (same(old, spec, "ipFamilyPolicy")) spec.remove("ipFamilyPolicy");
        }
        if (needsNodePort(oldType) && !needsNodePort(newType) && nodePorts(old).containsAll(nodePorts(spec))) {
            // Users may add, remove or change ports, as long as they add no net-new node port.
            for (JsonNode p : spec.path("ports")) {
                if (p instanceof ObjectNode port) port.remove("nodePort");
            }
        }
        if (needsHealthCheckNodePort(oldType, old) && !needsHealthCheckNodePort(newType, spec) && same(old, spec, "healthCheckNodePort")) {
            spec.remove("healthCheckNodePort");
        }
        if (oldType.equals("LoadBalancer") && !newType.equals("LoadBalancer")) {
            if (old.hasNonNull("allocateLoadBalancerNodePorts") && same(old, spec, "allocateLoadBalancerNodePorts")) {
                spec.remove("allocateLoadBalancerNodePorts");
            }
            if (same(old, spec, "loadBalancerClass")) spec.remove("loadBalancerClass");
        }
        if (externallyAccessible(oldType, old) && !externallyAccessible(newType, spec) && same(old, spec, "externalTrafficPolicy")) {
            spec.remove("externalTrafficPolicy");
        }
    }

    private static String type(JsonNode spec) {
        String t = spec.path("type").asText("");
        return t.isEmpty() ? "ClusterIP" : t;
    }

    private static boolean needsClusterIP(String type) {
        return !type.equals("ExternalName");
    }

    private static boolean needsNodePort(String type) {
        return type.equals("NodePort") || type.equals("LoadBalancer");
    }

    private static boolean needsHealthCheckNodePort(String type, JsonNode spec) {
        return type.equals("LoadBalancer") && spec.path("externalTrafficPolicy").asText("").equals("Local");
    }

    /** Upstream's serviceutil.ExternallyAccessible: node ports, a load balancer, or external IPs. */
    private static boolean externallyAccessible(String type, JsonNode spec) {
        return needsNodePort(type) || (type.equals("ClusterIP") && !spec.path("externalIPs").isEmpty());
    }

    private static Set<Integer> nodePorts(JsonNode spec) {
        Set<Integer> out = new HashSet<>();
        for (JsonNode p : spec.path("ports")) {
            int n = p.path("nodePort").asInt(0);
            if (n != 0) out.add(n);
        }
        return out;
    }

    /** The same value in both (absent, null, "" and [] count as unset, as Go's zero values do). */
    private static boolean same(JsonNode a, JsonNode b, String field) {
        return normal(a.get(field)).equals(normal(b.get(field)));
    }

    private static JsonNode normal(JsonNode n) {
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty()) || (n.isContainerNode() && n.isEmpty())
                || (n.isNumber() && n.asInt() == 0)) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        return n;
    }
}
