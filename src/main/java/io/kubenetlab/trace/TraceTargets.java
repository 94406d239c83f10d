package io.kubenetlab.trace;

import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Optional;

/**
 * Turns a trace's FROM and TO, as a user names them, into the connection to make: FROM is a pod, a
 * node, the router, an outside host or the load balancer; TO is a Service (name or namespace/name,
 * optionally :port or :port-name: its ClusterIP from inside the cluster, its EXTERNAL-IP from outside),
 * a pod (name[:port]), a node's NodePort (node:port), or an address (IP[:port]).
 */
public final class TraceTargets {
    /** Where the connection starts: the exec target, its kind, its address and the machine its packets enter first. */
    public record From(String name, String kind, String ip, String machine) {}

    /** Where it goes: address, port, protocol, and what the user asked for, in words. */
    public record To(String label, String ip, int port, String protocol) {}

    private TraceTargets() {}

    public static From from(LabState state, String name) {
        Topology t = state.topology;
        Optional<PodRecord> pod = state.pod(name);
        if (pod.isPresent()) {
            if (pod.get().ip() == null) throw new LabException("pod " + name + " has no address (host network pods are not traced)");
            return new From(name, "pod", pod.get().ip().toString(), pod.get().node());
        }
        for (Topology.NodeSpec n : t.nodes()) if (n.name().equals(name)) return new From(name, "node", n.address().toString(), name);
        for (Topology.HostSpec h : t.hosts()) if (h.name().equals(name)) return new From(name, "host", h.address().toString(), name);
        if (name.equals(Topology.ROUTER)) return new From(name, "router", t.nodeNetwork().gateway().toString(), name);
        if (t.loadBalancer() != null && name.equals(Topology.LOAD_BALANCER)) {
            return new From(name, "load-balancer", t.loadBalancer().address().toString(), name);
        }
        throw new LabException("trace: FROM \"" + name + "\" is no pod, node, host, router or load balancer of lab " + state.name
                + " (kubenetlab get pods -A; the lab file's nodes and hosts)");
    }

    public static To to(LabState state, From from, String target, String protocol) {
        String host = target;
        String port = null;
        int colon = target.lastIndexOf(':');
        if (colon > 0) {
            host = target.substring(0, colon);
            port = target.substring(colon + 1);
            if (port.isEmpty()) throw new LabException("trace: TO \"" + target + "\": a port after ':' is missing");
        }
        Optional<ServiceRecord> svc = service(state, host);
        if (svc.isPresent()) return toService(svc.get(), from, port, protocol);
        Optional<PodRecord> pod = state.pod(host);
        if (pod.isPresent()) return toPod(pod.get(), port, protocol);
        for (Topology.NodeSpec n : state.topology.nodes()) {
            if (n.name().equals(host)) return new To(target, n.address().toString(), number(target, port, 80), proto(protocol, "tcp"));
        }
        for (Topology.HostSpec h : state.topology.hosts()) {
            if (h.name().equals(host)) {
                int def = h.ports().isEmpty() ? 80 : h.ports().get(0);
                return new To(target, h.address().toString(), number(target, port, def), proto(protocol, "tcp"));
            }
        }
        try {
            return new To(target, Ipv4.parse(host).toString(), number(target, port, 80), proto(protocol, "tcp"));
        } catch (IllegalArgumentException e) {
            throw new LabException("trace: TO \"" + target + "\" is no Service, pod, node, host or IPv4 address of lab " + state.name);
        }
    }

    private static Optional<ServiceRecord> service(LabState state, String name) {
        String ns = null;
        String n = name;
        if (name.contains("/")) {
            ns = name.substring(0, name.indexOf('/'));
            n = name.substring(name.indexOf('/') + 1);
        }
        String wantNs = ns;
        String wantName = n;
        List<ServiceRecord> found = state.services.stream()
                .filter(s -> s.name().equals(wantName) && (wantNs == null || s.namespace().equals(wantNs))).toList();
        if (found.size() > 1) {
            throw new LabException("trace: Service \"" + name + "\" exists in several namespaces: name it as NAMESPACE/NAME");
        }
        return found.stream().findFirst();
    }

    private static To toService(ServiceRecord s, From from, String port, String protocol) {
        String label = s.namespace() + "/" + s.name();
        if (s.type().equals("ExternalName")) {
            throw new LabException("trace: Service " + label + " is an ExternalName (a DNS alias of " + s.externalName() + "): trace its target");
        }
        if (s.headless()) throw new LabException("trace: Service " + label + " is headless (no virtual IP): trace one of its pods");
        if (s.ports().isEmpty()) throw new LabException("trace: Service " + label + " has no ports");
        ServicePortSpec p = s.ports().get(0);
        if (port != null) {
            p = s.ports().stream().filter(x -> x.name().equals(port) || Integer.toString(x.port()).equals(port)).findFirst()
                    .orElseThrow(() -> new LabException("trace: Service " + label + " has no port " + port + " (it has "
                            + s.ports().stream().map(x -> x.port() + (x.name().isEmpty() ? "" : " (" + x.name() + ")")).toList() + ")"));
        }
        boolean outside = from.kind().equals("host") || from.kind().equals("load-balancer");
        if (outside && !s.loadBalancerIPs().isEmpty()) {
            return new To(label + ":" + p.port() + " (EXTERNAL-IP)", s.loadBalancerIPs().get(0).toString(), p.port(), proto(protocol, p.protocol()));
        }
        return new To(label + ":" + p.port(), s.clusterIP(), p.port(), proto(protocol, p.protocol()));
    }

    private static To toPod(PodRecord pod, String port, String protocol) {
        List<ContainerPort> ports = pod.containers().stream().flatMap(c -> c.ports().stream()).toList();
        int number;
        String proto = "tcp";
        if (port == null) {
            if (ports.isEmpty()) throw new LabException("trace: pod " + pod.name() + " declares no port: name one (POD:PORT)");
            number = ports.get(0).containerPort();
            proto = ports.get(0).protocol();
        } else {
            Optional<ContainerPort> named = ports.stream().filter(x -> port.equals(x.name())).findFirst();
            number = named.map(ContainerPort::containerPort).orElseGet(() -> number(pod.name() + ":" + port, port, 0));
            if (named.isPresent()) proto = named.get().protocol();
        }
        return new To(pod.name() + ":" + number, pod.ip().toString(), number, proto(protocol, proto));
    }

    private static int number(String target, String port, int def) {
        if (port == null) return def;
        try {
            int n = Integer.parseInt(port);
            if (n < 1 || n > 65535) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new LabException("trace: TO \"" + target + "\": \"" + port + "\" is no port number (1-65535)");
        }
    }

    private static String proto(String asked, String def) {
        String p = (asked == null ? def : asked).toLowerCase(java.util.Locale.ROOT);
        if (!p.equals("tcp") && !p.equals("udp")) {
            throw new LabException("trace: protocol " + p + " cannot be traced here (tcp or udp; this kernel has no SCTP sockets)");
        }
        return p;
    }
}
