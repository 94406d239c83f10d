package io.kubenetlab.proxy;

import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Short builders for the proxy tests: a ServicePort has 14 components, most of them defaults. */
final class Fixtures {
    /** The node most tests render for: the spec's example config (cluster CIDR 10.0.0.0/8). */
    static final NodeSettings NODE = NodeSettings.of("node1", ip("192.168.0.2"), Cidr.parse("10.0.0.0/8"));

    private Fixtures() {
    }

    static Ipv4 ip(String text) {
        return Ipv4.parse(text);
    }

    static List<Ipv4> ips(String... texts) {
        return Arrays.stream(texts).map(Ipv4::parse).toList();
    }

    /** A ready endpoint; "ip:port". */
    static Endpoint ready(String ipPort, String node) {
        return endpoint(ipPort, node, true, true, false);
    }

    /** Neither ready nor serving nor terminating: a pod that is starting. */
    static Endpoint notReady(String ipPort, String node) {
        return endpoint(ipPort, node, false, false, false);
    }

    /** Terminating and still serving (not ready, as the EndpointSlice controller reports it). */
    static Endpoint servingTerminating(String ipPort, String node) {
        return endpoint(ipPort, node, false, true, true);
    }

    static Endpoint endpoint(String ipPort, String node, boolean ready, boolean serving, boolean terminating) {
        int colon = ipPort.indexOf(':');
        return new Endpoint(ip(ipPort.substring(0, colon)), Integer.parseInt(ipPort.substring(colon + 1)), node,
                ready, serving, terminating);
    }

    /** n ready endpoints 10.181.a.b:80 on node2. */
    static List<Endpoint> manyEndpoints(int n) {
        List<Endpoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ready("10.181." + (i / 250) + "." + (i % 250 + 1) + ":80", "node2"));
        }
        return out;
    }

    static Svc svc(String namespace, String name, String portName, String clusterIP, int port) {
        return new Svc(namespace, name, portName, clusterIP, port);
    }

    static final class Svc {
        private final String namespace;
        private final String name;
        private final String portName;
        private final String clusterIP;
        private final int port;
        private String protocol = "TCP";
        private int nodePort;
        private List<Ipv4> externalIPs = List.of();
        private List<Ipv4> loadBalancerIPs = List.of();
        private List<Cidr> sourceRanges = List.of();
        private int stickySeconds;
        private boolean externalPolicyLocal;
        private boolean internalPolicyLocal;
        private int healthCheckNodePort;

        private Svc(String namespace, String name, String portName, String clusterIP, int port) {
            this.namespace = namespace;
            this.name = name;
            this.portName = portName;
            this.clusterIP = clusterIP;
            this.port = port;
        }

        Svc protocol(String value) {
            protocol = value;
            return this;
        }

        Svc nodePort(int value) {
            nodePort = value;
            return this;
        }

        Svc externalIPs(String... values) {
            externalIPs = ips(values);
            return this;
        }

        Svc loadBalancerIPs(String... values) {
            loadBalancerIPs = ips(values);
            return this;
        }

        Svc sourceRanges(String... values) {
            sourceRanges = Arrays.stream(values).map(String::trim).map(Cidr::parse).toList();
            return this;
        }

        Svc sticky(int seconds) {
            stickySeconds = seconds;
            return this;
        }

        Svc externalPolicyLocal() {
            externalPolicyLocal = true;
            return this;
        }

        Svc internalPolicyLocal() {
            internalPolicyLocal = true;
            return this;
        }

        Svc healthCheckNodePort(int value) {
            healthCheckNodePort = value;
            return this;
        }

        ServicePort build() {
            return new ServicePort(namespace, name, portName, protocol, clusterIP == null ? null : ip(clusterIP), port,
                    nodePort, externalIPs, loadBalancerIPs, sourceRanges, stickySeconds, externalPolicyLocal,
                    internalPolicyLocal, healthCheckNodePort);
        }

        ServiceEndpoints with(Endpoint... endpoints) {
            return new ServiceEndpoints(build(), List.of(endpoints));
        }

        ServiceEndpoints with(List<Endpoint> endpoints) {
            return new ServiceEndpoints(build(), endpoints);
        }
    }
}
