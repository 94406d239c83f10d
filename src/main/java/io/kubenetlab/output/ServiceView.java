package io.kubenetlab.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubenetlab.cluster.EndpointSliceController;
import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Services and Endpoints as kubectl shows them: table columns, describe text and API-shaped maps. */
public final class ServiceView {
    private ServiceView() {}

    /**
     * {@code kubectl describe service}: the same fields, in the same order, from the API's objects
     * (the Service, its Endpoints, its events), as kubectl builds it.
     */
    public static String describe(JsonNode svc, JsonNode endpoints, List<JsonNode> events) {
        JsonNode meta = svc.path("metadata");
        JsonNode spec = svc.path("spec");
        StringBuilder sb = new StringBuilder();
        line(sb, "Name", meta.path("name").asText());
        line(sb, "Namespace", meta.path("namespace").asText());
        line(sb, "Labels", io.kubenetlab.output.Tables.pairs(meta.path("labels"), "\n" + " ".repeat(26)));
        line(sb, "Annotations", io.kubenetlab.output.Tables.pairs(meta.path("annotations"), "\n" + " ".repeat(26)));
        line(sb, "Selector", io.kubenetlab.output.Tables.pairs(spec.path("selector"), ","));
        String type = spec.path("type").asText("ClusterIP");
        line(sb, "Type", type);
        String clusterIP = spec.path("clusterIP").asText(null);
        if (clusterIP != null) {
            if (spec.has("ipFamilyPolicy")) line(sb, "IP Family Policy", spec.path("ipFamilyPolicy").asText());
            if (spec.has("ipFamilies")) line(sb, "IP Families", join(spec.path("ipFamilies"), ","));
            line(sb, "IP", clusterIP);
            line(sb, "IPs", spec.has("clusterIPs") ? join(spec.path("clusterIPs"), ",") : clusterIP);
        }
        if (type.equals("ExternalName")) line(sb, "External Name", spec.path("externalName").asText());
        if (spec.path("externalIPs").size() > 0) line(sb, "External IPs", join(spec.path("externalIPs"), ","));
        List<String> ingress = new ArrayList<>();
        for (JsonNode i : svc.path("status").path("loadBalancer").path("ingress")) ingress.add(i.path("ip").asText());
        if (!ingress.isEmpty()) line(sb, "LoadBalancer Ingress", String.join(", ", ingress));
        for (JsonNode p : spec.path("ports")) {
            String name = p.path("name").asText("").isEmpty() ? "<unset>" : p.path("name").asText();
            String proto = p.path("protocol").asText("TCP");
            line(sb, "Port", name + "  " + p.path("port").asInt() + "/" + proto);
            line(sb, "TargetPort", p.path("targetPort").asText() + "/" + proto);
            if (p.path("nodePort").asInt(0) > 0) line(sb, "NodePort", name + "  " + p.path("nodePort").asInt() + "/" + proto);
            line(sb, "Endpoints", endpointsOf(endpoints, p.path("name").asText(""), proto));
        }
        String affinity = spec.path("sessionAffinity").asText("None");
        line(sb, "Session Affinity", affinity);
        if (affinity.equals("ClientIP")) {
            line(sb, "Session Affinity Timeout", spec.path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds").asInt(10800) + " seconds");
        }
        if (spec.has("externalTrafficPolicy")) line(sb, "External Traffic Policy", spec.path("externalTrafficPolicy").asText());
        if (spec.has("internalTrafficPolicy")) line(sb, "Internal Traffic Policy", spec.path("internalTrafficPolicy").asText());
        if (spec.path("healthCheckNodePort").asInt(0) != 0) line(sb, "HealthCheck NodePort", spec.path("healthCheckNodePort").asText());
        sb.append(Events.describe(events));
        return sb.toString();
    }

    /** Endpoints of one Service port (describe's Endpoints line): the ready addresses serving it. */
    private static String endpointsOf(JsonNode endpoints, String portName, String protocol) {
        List<String> out = new ArrayList<>();
        if (endpoints != null) {
            for (JsonNode subset : endpoints.path("subsets")) {
                for (JsonNode port : subset.path("ports")) {
                    if (!port.path("name").asText("").equals(portName) || !port.path("protocol").asText("TCP").equals(protocol)) continue;
                    for (JsonNode a : subset.path("addresses")) out.add(a.path("ip").asText() + ":" + port.path("port").asInt());
                }
            }
        }
        return io.kubenetlab.output.Tables.firstThree(out);
    }

    private static String join(JsonNode arr, String sep) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return String.join(sep, out);
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format("%-26s%s%n", key + ":", value));
    }

    public static Map<String, Object> service(ServiceRecord s) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", s.name());
        meta.put("namespace", s.namespace());
        meta.put("creationTimestamp", KubeView.seconds(s.createdAt()));
        if (!s.labels().isEmpty()) meta.put("labels", new LinkedHashMap<>(s.labels()));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", s.type());
        if (s.selector() != null) spec.put("selector", new LinkedHashMap<>(s.selector()));
        if (s.clusterIP() != null) {
            spec.put("clusterIP", s.clusterIP());
            spec.put("clusterIPs", List.of(s.clusterIP()));
            spec.put("ipFamilies", List.of("IPv4"));
            spec.put("ipFamilyPolicy", s.options().ipFamilyPolicy() != null ? s.options().ipFamilyPolicy() : "SingleStack");
        }
        if (s.externalName() != null) spec.put("externalName", s.externalName());
        List<Map<String, Object>> ports = new ArrayList<>();
        for (ServicePortSpec p : s.ports()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            if (!p.name().isEmpty()) pm.put("name", p.name());
            pm.put("protocol", p.protocol());
            pm.put("port", p.port());
            pm.put("targetPort", p.targetPortName() != null ? p.targetPortName() : p.targetPortNumber());
            if (p.nodePort() > 0) pm.put("nodePort", p.nodePort());
            ports.add(pm);
        }
        spec.put("ports", ports);
        if (!s.externalIPs().isEmpty()) spec.put("externalIPs", s.externalIPs().stream().map(Ipv4::toString).toList());
        spec.put("sessionAffinity", s.sessionAffinity());
        if (s.sessionAffinity().equals("ClientIP")) {
            spec.put("sessionAffinityConfig", Map.of("clientIP", Map.of("timeoutSeconds", s.affinityTimeoutSeconds())));
        }
        if (s.externalTrafficPolicy() != null) spec.put("externalTrafficPolicy", s.externalTrafficPolicy());
        if (s.healthCheckNodePort() != 0) spec.put("healthCheckNodePort", s.healthCheckNodePort());
        if (s.options().loadBalancerIP() != null) spec.put("loadBalancerIP", s.options().loadBalancerIP());
        if (s.options().loadBalancerClass() != null) spec.put("loadBalancerClass", s.options().loadBalancerClass());
        if (s.type().equals("LoadBalancer")) spec.put("allocateLoadBalancerNodePorts", s.options().allocatesNodePorts());
        if (s.options().trafficDistribution() != null) spec.put("trafficDistribution", s.options().trafficDistribution());
        if (!s.type().equals("ExternalName")) spec.put("internalTrafficPolicy", s.internalTrafficPolicy() != null ? s.internalTrafficPolicy() : "Cluster");
        if (s.publishNotReadyAddresses()) spec.put("publishNotReadyAddresses", true); // omitempty upstream
        Map<String, Object> status = new LinkedHashMap<>();
        Map<String, Object> lb = new LinkedHashMap<>();
        if (!s.loadBalancerIPs().isEmpty()) lb.put("ingress", s.loadBalancerIPs().stream().map(ip -> Map.of("ip", ip.toString())).toList());
        status.put("loadBalancer", lb);
        return KubeView.object("v1", "Service", meta, spec, status);
    }

    /** v1 Endpoints: one subset per distinct port set, ready and not-ready addresses apart. */
    public static Map<String, Object> endpointsObject(ServiceRecord s, List<EndpointRecord> eps) {
        return endpointsObject(s.namespace(), s.name(), eps);
    }

    /** The same for an Endpoints object by its name alone: one written by hand before (or without) its Service. */
    public static Map<String, Object> endpointsObject(String namespace, String name, List<EndpointRecord> eps) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        meta.put("namespace", namespace);
        // Group addresses by the ports they serve, as the endpoints controller does.
        Map<String, List<EndpointRecord>> byIp = new LinkedHashMap<>();
        for (EndpointRecord e : eps) byIp.computeIfAbsent(e.ip() + "|" + e.ready() + "|" + e.podName(), k -> new ArrayList<>()).add(e);
        Map<String, Map<String, Object>> subsets = new LinkedHashMap<>();
        for (List<EndpointRecord> group : byIp.values()) {
            List<Map<String, Object>> ports = new ArrayList<>();
            for (EndpointRecord e : group) {
                Map<String, Object> pm = new LinkedHashMap<>();
                if (!e.portName().isEmpty()) pm.put("name", e.portName());
                pm.put("port", e.port());
                pm.put("protocol", e.protocol());
                ports.add(pm);
            }
            String key = ports.toString();
            Map<String, Object> subset = subsets.computeIfAbsent(key, k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("addresses", new ArrayList<Map<String, Object>>());
                m.put("notReadyAddresses", new ArrayList<Map<String, Object>>());
                m.put("ports", ports);
                return m;
            });
            EndpointRecord e = group.get(0);
            Map<String, Object> addr = new LinkedHashMap<>();
            addr.put("ip", e.ip().toString());
            if (e.nodeName() != null) addr.put("nodeName", e.nodeName());
            if (e.podName() != null) addr.put("targetRef", Map.of("kind", "Pod", "name", e.podName(), "namespace", namespace));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) subset.get(e.ready() ? "addresses" : "notReadyAddresses");
            list.add(addr);
        }
        for (Map<String, Object> subset : subsets.values()) {
            if (((List<?>) subset.get("notReadyAddresses")).isEmpty()) subset.remove("notReadyAddresses");
            if (((List<?>) subset.get("addresses")).isEmpty()) subset.remove("addresses");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("apiVersion", "v1");
        m.put("kind", "Endpoints");
        m.put("metadata", meta);
        if (!subsets.isEmpty()) m.put("subsets", new ArrayList<>(subsets.values()));
        return m;
    }

    /** discovery.k8s.io/v1 EndpointSlice: one of the Service's derived slices, one endpoint per address with its conditions and node. */
    public static Map<String, Object> endpointSlice(ServiceRecord s, EndpointSliceController.DerivedSlice slice) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", slice.name());
        meta.put("namespace", s.namespace());
        Map<String, Object> labels = new LinkedHashMap<>();
        // The API server writes the kubernetes Service's slice itself: the service-name label only, no
        // owner (upstream pkg/controlplane/reconcilers/endpointsadapter.go, endpointSliceFromEndpoints).
        boolean apiServers = s.selector() == null && io.kubenetlab.cluster.KubernetesService.is(s.namespace(), s.name());
        if (!apiServers) {
            labels.put("endpointslice.kubernetes.io/managed-by",
                    s.selector() != null ? "endpointslice-controller.k8s.io" : "endpointslicemirroring-controller.k8s.io");
        }
        labels.put("kubernetes.io/service-name", s.name());
        meta.put("labels", labels);
        if (!apiServers) meta.put("ownerReferences", List.of(Map.of("apiVersion", "v1", "kind", "Service", "name", s.name())));
        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (EndpointRecord e : slice.endpoints()) {
            Map<String, Object> ep = new LinkedHashMap<>();
            ep.put("addresses", List.of(e.ip().toString()));
            Map<String, Object> conditions = new LinkedHashMap<>();
            conditions.put("ready", e.ready());
            conditions.put("serving", e.serving());
            conditions.put("terminating", e.terminating());
            ep.put("conditions", conditions);
            if (e.nodeName() != null) ep.put("nodeName", e.nodeName());
            if (e.podName() != null) ep.put("targetRef", Map.of("kind", "Pod", "name", e.podName(), "namespace", s.namespace()));
            endpoints.add(ep);
        }
        List<Map<String, Object>> ports = new ArrayList<>();
        for (EndpointSliceController.SlicePort p : slice.ports()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", p.name());
            pm.put("port", p.port());
            pm.put("protocol", p.protocol());
            ports.add(pm);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("apiVersion", "discovery.k8s.io/v1");
        m.put("kind", "EndpointSlice");
        m.put("metadata", meta);
        m.put("addressType", "IPv4");
        m.put("endpoints", endpoints);
        m.put("ports", ports);
        return m;
    }
}
