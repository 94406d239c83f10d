package io.kubenetlab.verify;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.topology.TopologyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Saved lab states for the verify tests: the article's lab and variations, built without a kernel. */
final class LabFixture {
    static final String A = "service-test-5cf956d6bc-lnvsp";
    static final String B = "service-test-5cf956d6bc-mpxt8";
    static final String CLIENT = "service-test-client1";

    private LabFixture() {}

    static String labFile(boolean withOutsideHost) {
        return """
                name: verify-fixture
                nodeNetwork: {cidr: 10.100.0.0/24, gateway: 10.100.0.1}
                serviceCIDR: 10.3.240.0/20
                nodes:
                  - {name: node1, address: 10.100.0.2, podCIDR: 10.0.1.0/24}
                  - {name: node2, address: 10.100.0.3, podCIDR: 10.0.2.0/24}
                """ + (withOutsideHost ? """
                networks:
                  - {name: outside, cidr: 192.0.2.0/24, gateway: 192.0.2.1}
                hosts:
                  - {name: far-away, address: 192.0.2.10, network: outside}
                  - {name: ext-client, address: 10.100.0.100}
                  - {name: ext-client2, address: 10.100.0.101}
                """ : "");
    }

    /** The article's lab as deploy leaves it: two servers, the client, four Services, plus one without endpoints. */
    static LabState article(Path tmp) {
        return article(tmp, true);
    }

    static LabState article(Path tmp, boolean withOutsideHost) {
        LabState s = new LabState();
        s.name = "verify-fixture";
        try {
            Path f = tmp.resolve("lab-" + withOutsideHost + ".yaml");
            Files.writeString(f, labFile(withOutsideHost));
            s.topology = TopologyLoader.load(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s.pods.add(pod(A, "node1", "10.0.1.2", "service-test"));
        s.pods.add(pod(B, "node2", "10.0.2.2", "service-test"));
        s.pods.add(pod(CLIENT, "node1", "10.0.1.3", null));
        addService(s, svc("service-test", "ClusterIP", "10.3.241.152", List.of(port("", 80, 0))), A, B);
        addService(s, svc("service-test-nodeport", "NodePort", "10.3.251.232", List.of(port("", 80, 30080))), A, B);
        ServiceRecord lb = svc("service-test-lb", "LoadBalancer", "10.3.253.211", List.of(port("", 80, 30081)));
        addService(s, withIPs(lb, List.of(), List.of(Ipv4.parse("203.0.113.100"))), A, B);
        addService(s, svc("service-test-headless", "ClusterIP", "None", List.of(port("", 8080, 0))), A, B);
        addService(s, svc("nobody", "ClusterIP", "10.3.250.7", List.of(port("", 80, 0))));
        return s;
    }

    static PodRecord pod(String name, String node, String ip, String owner) {
        return new PodRecord(name, "default", "uid-" + name, Map.of(), owner == null ? null : "ReplicaSet", owner, node, Ipv4.parse(ip),
                "knl-verify-fixture-" + name, "veth0", owner == null ? "Never" : "Always", List.of(), "2026-01-01T00:00:00Z", null);
    }

    static ServicePortSpec port(String name, int port, int nodePort) {
        return new ServicePortSpec(name, "TCP", port, 8080, null, nodePort);
    }

    static ServiceRecord svc(String name, String type, String clusterIP, List<ServicePortSpec> ports) {
        return svc(name, type, clusterIP, ports, "Cluster", "Cluster", "None");
    }

    static ServiceRecord svc(String name, String type, String clusterIP, List<ServicePortSpec> ports, String itp, String etp, String affinity) {
        return new ServiceRecord(name, "default", Map.of(), type, Map.of("app", "service_test_pod"), clusterIP, ports, List.of(), List.of(),
                affinity, 10800, type.equals("ClusterIP") ? null : etp, itp, List.of(), null, "2026-01-01T00:00:00Z");
    }

    static ServiceRecord withIPs(ServiceRecord s, List<Ipv4> externalIPs, List<Ipv4> lbIPs) {
        return new ServiceRecord(s.name(), s.namespace(), s.labels(), s.type(), s.selector(), s.clusterIP(), s.ports(), externalIPs, lbIPs,
                s.sessionAffinity(), s.affinityTimeoutSeconds(), s.externalTrafficPolicy(), s.internalTrafficPolicy(),
                s.loadBalancerSourceRanges(), s.externalName(), s.createdAt());
    }

    /** Adds the Service with every port served by the named pods (ready). */
    static void addService(LabState s, ServiceRecord svc, String... pods) {
        s.services.add(svc);
        List<EndpointRecord> eps = new ArrayList<>();
        for (String p : pods) {
            PodRecord pr = s.pod(p).orElseThrow();
            for (ServicePortSpec sp : svc.ports()) eps.add(new EndpointRecord(pr.ip(), pr.node(), pr.name(), true, sp.name(), 8080, sp.protocol()));
        }
        s.endpoints.put(svc.key(), eps);
    }
}
