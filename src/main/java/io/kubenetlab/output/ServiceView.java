package io.kubenetlab.output;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.lab.EndpointRecord;
import io.kubenetlab.lab.ServiceRecord;
import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Services and Endpoints as kubectl shows them: table columns, describe text and API-shaped maps. */
public final class ServiceView {
    private ServiceView() {}

    /** kubectl's PORT(S) column: 80/TCP, or 80:30080/TCP with a nodePort. */
    public static String ports(ServiceRecord s) {
        if (s.ports().isEmpty()) return "<none>";
        return s.ports().stream().map(p -> p.port() + (p.nodePort() > 0 ? ":" + p.nodePort() : "") + "/" + p.protocol())
                .collect(Collectors.joining(","));
    }

    public static String clusterIP(ServiceRecord s) {
        return s.clusterIP() == null ? "<none>" : s.clusterIP();
    }

    /** kubectl's EXTERNAL-IP: the load balancer's address (or pending), external IPs, or the external name. */
    public static String externalIP(ServiceRecord s) {
        if (s.type().equals("ExternalName")) return s.externalName();
        List<String> ips = new ArrayList<>();
        s.loadBalancerIPs().forEach(ip -> ips.add(ip.toString()));
        s.externalIPs().forEach(ip -> ips.add(ip.toString()));
        if (ips.isEmpty()) return s.type().equals("LoadBalancer") ? "<pending>" : "<none>";
        return String.join(",", ips);
    }

    public static String selector(Map<String, String> sel) {
        if (sel == null || sel.isEmpty()) return "<none>";
        return new TreeMap<>(sel).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** kubectl's ENDPOINTS column: ready ip:port pairs, at most three, then "+ N more...". */
    public static String endpoints(List<EndpointRecord> eps) {
        return firstThree(eps.stream().filter(EndpointRecord::ready).map(e -> e.ip() + ":" + e.port()).toList());
    }

    /** Endpoints of one Service port (describe's Endpoints line). */
    static String endpointsOf(List<EndpointRecord> eps, ServicePortSpec p) {
        return firstThree(eps.stream().filter(e -> e.ready() && e.portName().equals(p.name()) && e.protocol().equals(p.protocol()))
                .map(e -> e.ip() + ":" + e.port()).toList());
    }

    /** kubectl's formatEndpoints: at most three, then "+ N more...". */
    private static String firstThree(List<String> items) {
        if (items.isEmpty()) return "<none>";
        if (items.size() <= 3) return String.join(",", items);
        return String.join(",", items.subList(0, 3)) + " + " + (items.size() - 3) + " more...";
    }

    /** {@code kubectl describe service}: the same fields, in the same order. */
    public static String describe(ServiceRecord s, List<EndpointRecord> eps) {
        StringBuilder sb = new StringBuilder();
        line(sb, "Name", s.name());
        line(sb, "Namespace", s.namespace());
        line(sb, "Labels", selector(s.labels()).replace(",", "\n" + " ".repeat(26)));
        line(sb, "Annotations", "<none>");
        line(sb, "Selector", selector(s.selector()));
        line(sb, "Type", s.type());
        if (s.clusterIP() != null) {
            line(sb, "IP Family Policy", "SingleStack");
            line(sb, "IP Families", "IPv4");
            line(sb, "IP", s.clusterIP());
            line(sb, "IPs", s.clusterIP());
        }
        if (s.type().equals("ExternalName")) line(sb, "External Name", s.externalName());
        if (!s.externalIPs().isEmpty()) line(sb, "External IPs", s.externalIPs().stream().map(Ipv4::toString).collect(Collectors.joining(",")));
        if (!s.loadBalancerIPs().isEmpty()) {
            line(sb, "LoadBalancer Ingress", s.loadBalancerIPs().stream().map(Ipv4::toString).collect(Collectors.joining(", ")));
        }
        for (ServicePortSpec p : s.ports()) {
            String name = p.name().isEmpty() ? "<unset>" : p.name();
            line(sb, "Port", name + "  " + p.port() + "/" + p.protocol());
            line(sb, "TargetPort", p.targetPort() + "/" + p.protocol());
            if (p.nodePort() > 0) line(sb, "NodePort", name + "  " + p.nodePort() + "/" + p.protocol());
            line(sb, "Endpoints", endpointsOf(eps, p));
        }
        line(sb, "Session Affinity", s.sessionAffinity());
        if (s.sessionAffinity().equals("ClientIP")) line(sb, "Session Affinity Timeout", s.affinityTimeoutSeconds() + " seconds");
        if (s.externalTrafficPolicy() != null) line(sb, "External Traffic Policy", s.externalTrafficPolicy());
        if (s.internalTrafficPolicy() != null) line(sb, "Internal Traffic Policy", s.internalTrafficPolicy());
        line(sb, "Events", "<none>");
        return sb.toString();
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
        if (s.externalTrafficPolicy() != null) spec.put("externalTrafficPolicy", s.externalTrafficPolicy());
        if (s.internalTrafficPolicy() != null) spec.put("internalTrafficPolicy", s.internalTrafficPolicy());
        Map<String, Object> status = new LinkedHashMap<>();
        Map<String, Object> lb = new LinkedHashMap<>();
        if (!s.loadBalancerIPs().isEmpty()) lb.put("ingress", s.loadBalancerIPs().stream().map(ip -> Map.of("ip", ip.toString())).toList());
        status.put("loadBalancer", lb);
        return KubeView.object("v1", "Service", meta, spec, status);
    }

    /** v1 Endpoints: one subset per distinct port set, ready and not-ready addresses apart. */
    public static Map<String, Object> endpointsObject(ServiceRecord s, List<EndpointRecord> eps) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", s.name());
        meta.put("namespace", s.namespace());
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
            if (e.podName() != null) addr.put("targetRef", Map.of("kind", "Pod", "name", e.podName(), "namespace", s.namespace()));
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

    /** The EndpointSlice's name: the Service's name plus a stable 5-character suffix, as generateName would. */
    public static String sliceName(ServiceRecord s) {
        return io.kubenetlab.control.PodNamer.generate(s.name() + "-", "endpointslice/" + s.key());
    }

    /** kubectl's PORTS column for a slice: the port numbers, or <unset>. */
    public static String slicePorts(List<EndpointRecord> eps) {
        List<String> ports = eps.stream().map(e -> Integer.toString(e.port())).distinct().toList();
        return ports.isEmpty() ? "<unset>" : String.join(",", ports);
    }

    /** kubectl's ENDPOINTS column for a slice: the addresses, ready or not, at most three. */
    public static String sliceEndpoints(List<EndpointRecord> eps) {
        List<String> ips = eps.stream().map(e -> e.ip().toString()).distinct().toList();
        if (ips.isEmpty()) return "<unset>";
        if (ips.size() <= 3) return String.join(",", ips);
        return String.join(",", ips.subList(0, 3)) + " + " + (ips.size() - 3) + " more...";
    }

    /** discovery.k8s.io/v1 EndpointSlice: one endpoint per address, with its conditions and node. */
    public static Map<String, Object> endpointSlice(ServiceRecord s, List<EndpointRecord> eps) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", sliceName(s));
        meta.put("namespace", s.namespace());
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("endpointslice.kubernetes.io/managed-by",
                s.selector() != null ? "endpointslice-controller.k8s.io" : "endpointslicemirroring-controller.k8s.io");
        labels.put("kubernetes.io/service-name", s.name());
        meta.put("labels", labels);
        meta.put("ownerReferences", List.of(Map.of("apiVersion", "v1", "kind", "Service", "name", s.name())));
        Map<String, Map<String, Object>> byIp = new LinkedHashMap<>();
        for (EndpointRecord e : eps) {
            byIp.computeIfAbsent(e.ip().toString(), ip -> {
                Map<String, Object> ep = new LinkedHashMap<>();
                ep.put("addresses", List.of(ip));
                Map<String, Object> conditions = new LinkedHashMap<>();
                conditions.put("ready", e.ready());
                conditions.put("serving", e.ready());
                conditions.put("terminating", false);
                ep.put("conditions", conditions);
                if (e.nodeName() != null) ep.put("nodeName", e.nodeName());
                if (e.podName() != null) ep.put("targetRef", Map.of("kind", "Pod", "name", e.podName(), "namespace", s.namespace()));
                return ep;
            });
        }
        List<Map<String, Object>> ports = new ArrayList<>();
        eps.stream().map(e -> e.portName() + "/" + e.port() + "/" + e.protocol()).distinct().forEach(k -> {
            String[] f = k.split("/", -1);
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", f[0]);
            pm.put("port", Integer.parseInt(f[1]));
            pm.put("protocol", f[2]);
            ports.add(pm);
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("apiVersion", "discovery.k8s.io/v1");
        m.put("kind", "EndpointSlice");
        m.put("metadata", meta);
        m.put("addressType", "IPv4");
        m.put("endpoints", new ArrayList<>(byIp.values()));
        m.put("ports", ports);
        return m;
    }
}
