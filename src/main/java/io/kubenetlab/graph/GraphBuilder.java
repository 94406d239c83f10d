package io.kubenetlab.graph;

import io.kubenetlab.graph.LabGraph.Edge;
import io.kubenetlab.graph.LabGraph.EdgeKind;
import io.kubenetlab.graph.LabGraph.Kind;
import io.kubenetlab.graph.LabGraph.Vertex;
import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds a {@link LabGraph} from a lab's topology, pods and Services: the same inputs give the same graph. */
public final class GraphBuilder {
    private GraphBuilder() {}

    public static String routerId() {
        return "router";
    }

    public static String networkId(String network) {
        return "net:" + network;
    }

    public static String nodeId(String node) {
        return "node:" + node;
    }

    public static String bridgeId(String node) {
        return "bridge:" + node;
    }

    public static String podId(String namespace, String name) {
        return "pod:" + namespace + "/" + name;
    }

    public static String serviceId(String namespace, String name) {
        return "svc:" + namespace + "/" + name;
    }

    public static String hostId(String host) {
        return "host:" + host;
    }

    public static String loadBalancerId() {
        return "lb";
    }

    public static LabGraph build(GraphInputs in) {
        Topology t = in.topology();
        List<Vertex> vs = new ArrayList<>();
        List<Edge> es = new ArrayList<>();

        Map<String, String> router = new LinkedHashMap<>();
        for (Topology.Network n : t.allNetworks()) router.put("on " + n.name(), n.gateway().toString());
        vs.add(new Vertex(routerId(), Kind.ROUTER, Topology.ROUTER, List.of("gateway"), null, router));
        for (Topology.Network n : t.allNetworks()) {
            vs.add(new Vertex(networkId(n.name()), Kind.NETWORK, n.name(), List.of(n.cidr().toString()), null,
                    details("network", n.name(), "cidr", n.cidr().toString(), "gateway", n.gateway().toString())));
            es.add(new Edge(routerId(), networkId(n.name()), EdgeKind.LINK, n.gateway().toString(), true));
        }

        String bridge = t.bridge() == null ? "cbr0" : t.bridge();
        for (Topology.NodeSpec n : t.nodes()) {
            String cidr = n.podCidr().toString();
            vs.add(new Vertex(nodeId(n.name()), Kind.NODE, n.name(), List.of("eth0 " + n.address()), n.name(),
                    details("node", n.name(), "address", n.address().toString(), "podCIDR", cidr, "bridge", bridge)));
            es.add(new Edge(networkId(Topology.NODE_NETWORK), nodeId(n.name()), EdgeKind.LINK, n.address().toString(), true));
            String bridgeAddress = n.bridgeAddress() + "/" + n.podCidr().prefix();
            vs.add(new Vertex(bridgeId(n.name()), Kind.BRIDGE, bridge, List.of(bridgeAddress, "pods " + cidr), n.name(),
                    details("bridge", bridge, "node", n.name(), "address", bridgeAddress, "podCIDR", cidr)));
            es.add(new Edge(nodeId(n.name()), bridgeId(n.name()), EdgeKind.LINK, "", true));
        }

        for (Topology.HostSpec h : t.hosts()) {
            String net = h.network() == null ? Topology.NODE_NETWORK : h.network();
            Map<String, String> d = details("host", h.name(), "address", h.address().toString(), "network", net);
            if (h.image() != null) d.put("image", h.image());
            if (!h.command().isEmpty()) d.put("command", String.join(" ", h.command()));
            if (!h.ports().isEmpty()) d.put("ports", h.ports().toString());
            vs.add(new Vertex(hostId(h.name()), Kind.HOST, h.name(), List.of(h.address().toString()), null, d));
            es.add(new Edge(networkId(net), hostId(h.name()), EdgeKind.LINK, h.address().toString(), true));
        }

        Topology.LoadBalancerSpec lb = t.loadBalancer();
        if (lb != null) {
            String pool = lb.poolFirst() + "-" + lb.poolLast();
            vs.add(new Vertex(loadBalancerId(), Kind.LOAD_BALANCER, Topology.LOAD_BALANCER, List.of(lb.address().toString(), "pool " + pool),
                    null, details("load balancer", Topology.LOAD_BALANCER, "address", lb.address().toString(), "network", lb.network(), "pool", pool)));
            es.add(new Edge(networkId(lb.network()), loadBalancerId(), EdgeKind.LINK, lb.address().toString(), true));
        }

        List<PodRecord> pods = in.pods().stream().sorted(Comparator.comparing(PodRecord::namespace).thenComparing(PodRecord::name)).toList();
        for (PodRecord p : pods) {
            GraphInputs.PodState st = in.podStates().get(p.name());
            List<String> lines = new ArrayList<>();
            lines.add(p.ip() == null ? "no IP" : p.ip().toString());
            if (st != null) lines.add(st.phase() + (st.ready() ? ", ready" : "Running".equals(st.phase()) ? ", not ready" : ""));
            Map<String, String> d = details("pod", p.name(), "namespace", p.namespace(), "node", p.node() == null ? "" : p.node(),
                    "IP", p.ip() == null ? "" : p.ip().toString());
            if (st != null) {
                d.put("phase", st.phase());
                d.put("ready", Boolean.toString(st.ready()));
            }
            if (p.ownerName() != null) d.put("owner", p.ownerKind() + "/" + p.ownerName());
            if (p.labels() != null && !p.labels().isEmpty()) d.put("labels", joined(p.labels()));
            if (p.containers() != null) {
                for (var c : p.containers()) d.put("container " + c.name(), c.image());
            }
            if (p.netns() != null) d.put("netns", p.netns());
            if (p.hostVeth() != null) d.put("host veth", p.hostVeth());
            boolean placed = p.node() != null && t.node(p.node()).isPresent();
            vs.add(new Vertex(podId(p.namespace(), p.name()), Kind.POD, p.name(), lines, placed ? p.node() : null, d));
            if (placed) es.add(new Edge(bridgeId(p.node()), podId(p.namespace(), p.name()), EdgeKind.LINK, "", true));
        }

        List<ServiceRecord> services = in.services().stream()
                .sorted(Comparator.comparing(ServiceRecord::namespace).thenComparing(ServiceRecord::name)).toList();
        for (ServiceRecord s : services) {
            vs.add(service(s));
            es.addAll(endpointEdges(s, in.endpoints().getOrDefault(s.key(), List.of()), pods, t));
            if (lb != null && "LoadBalancer".equals(s.type()) && !s.loadBalancerIPs().isEmpty()) {
                String ports = s.ports().stream().map(p -> Integer.toString(p.port())).reduce((a, b) -> a + "," + b).orElse("");
                String label = String.join(" ", s.loadBalancerIPs().stream().map(Ipv4::toString).toList()) + (ports.isEmpty() ? "" : ":" + ports);
                es.add(new Edge(loadBalancerId(), serviceId(s.namespace(), s.name()), EdgeKind.BALANCES, label, true));
            }
        }
        return new LabGraph(in.lab(), vs, es);
    }

    private static Vertex service(ServiceRecord s) {
        String type = s.type() == null ? "ClusterIP" : s.type();
        List<String> lines = new ArrayList<>();
        Map<String, String> d = details("service", s.name(), "namespace", s.namespace(), "type", type);
        if ("ExternalName".equals(type)) {
            lines.add("ExternalName " + s.externalName());
            d.put("externalName", s.externalName());
        } else {
            lines.add(type + " " + (s.headless() ? "(headless)" : s.clusterIP()));
            d.put("clusterIP", s.clusterIP());
        }
        for (ServicePortSpec p : s.ports()) {
            String port = p.port() + "\u2192" + p.targetPort() + "/" + p.protocol() + (p.nodePort() > 0 ? " nodePort " + p.nodePort() : "");
            lines.add(port);
            d.put("port" + (p.name().isEmpty() ? "" : " " + p.name()), port);
        }
        if (!s.loadBalancerIPs().isEmpty()) {
            String ips = String.join(", ", s.loadBalancerIPs().stream().map(Ipv4::toString).toList());
            lines.add("LB " + ips);
            d.put("loadBalancer ingress", ips);
        } else if ("LoadBalancer".equals(type)) {
            lines.add("LB <pending>");
            d.put("loadBalancer ingress", "<pending>");
        }
        if (s.externalIPs() != null && !s.externalIPs().isEmpty()) {
            String ips = String.join(", ", s.externalIPs().stream().map(Ipv4::toString).toList());
            lines.add("externalIPs " + ips);
            d.put("externalIPs", ips);
        }
        if (s.selector() != null) d.put("selector", joined(s.selector()));
        if (s.externalTrafficPolicy() != null) d.put("externalTrafficPolicy", s.externalTrafficPolicy());
        if (s.sessionAffinity() != null) d.put("sessionAffinity", s.sessionAffinity());
        return new Vertex(serviceId(s.namespace(), s.name()), Kind.SERVICE, s.name(), lines, null, d);
    }

    /** One arrow per endpoint address: to its pod, or to the outside host that has the address; the ports on the label. */
    private static List<Edge> endpointEdges(ServiceRecord s, List<EndpointRecord> eps, List<PodRecord> pods, Topology t) {
        Map<String, List<EndpointRecord>> byTarget = new TreeMap<>();
        for (EndpointRecord e : eps) {
            String target = target(s, e, pods, t);
            if (target != null) byTarget.computeIfAbsent(target, k -> new ArrayList<>()).add(e);
        }
        List<Edge> out = new ArrayList<>();
        for (var e : byTarget.entrySet()) {
            String ports = String.join(",", e.getValue().stream().map(x -> Integer.toString(x.port())).distinct().toList());
            boolean ready = e.getValue().stream().anyMatch(EndpointRecord::ready);
            out.add(new Edge(serviceId(s.namespace(), s.name()), e.getKey(), EdgeKind.ENDPOINT, ports, ready));
        }
        return out;
    }

    private static String target(ServiceRecord s, EndpointRecord e, List<PodRecord> pods, Topology t) {
        for (PodRecord p : pods) {
            if (e.podName() != null ? p.name().equals(e.podName()) && p.namespace().equals(s.namespace()) : e.ip() != null && e.ip().equals(p.ip())) {
                return podId(p.namespace(), p.name());
            }
        }
        for (Topology.HostSpec h : t.hosts()) if (h.address().equals(e.ip())) return hostId(h.name());
        for (Topology.NodeSpec n : t.nodes()) if (n.address().equals(e.ip())) return nodeId(n.name());
        return null;
    }

    private static String joined(Map<String, String> m) {
        return String.join(", ", new TreeMap<>(m).entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()).toList());
    }

    private static Map<String, String> details(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1] == null ? "" : kv[i + 1]);
        return m;
    }
}
