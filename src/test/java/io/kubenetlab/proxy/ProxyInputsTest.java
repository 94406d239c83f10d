package io.kubenetlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.proxy.Endpoint;
import io.kubenetlab.proxy.ServiceEndpoints;
import io.kubenetlab.proxy.ServicePort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyInputsTest {

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    static ServicePortSpec port(String name, String protocol, int port, int nodePort) {
        return new ServicePortSpec(name, protocol, port, 8080, null, nodePort);
    }

    static ServiceRecord svc(String name, String type, String clusterIP, List<ServicePortSpec> ports, List<Ipv4> externalIPs,
                             List<Ipv4> lbIPs, String affinity, int timeout, String etp, String itp) {
        return new ServiceRecord(name, "default", Map.of(), type, Map.of("app", "web"), clusterIP, ports, externalIPs, lbIPs, affinity,
                timeout, etp, itp, List.of(), type.equals("ExternalName") ? "db.example.com" : null, "2024-01-01T00:00:00Z");
    }

    static ServiceRecord clusterIP(String name, String clusterIP, ServicePortSpec... ports) {
        return svc(name, "ClusterIP", clusterIP, List.of(ports), List.of(), List.of(), "None", 10800, null, "Cluster");
    }

    static EndpointRecord ep(String ip, String node, boolean ready, String portName, int port, String protocol) {
        return new EndpointRecord(ip(ip), node, "pod-" + ip, ready, portName, port, protocol);
    }

    @Test
    void articleClusterIPService() {
        ServiceRecord s = clusterIP("service-test", "10.3.241.152", port("", "TCP", 80, 0));
        List<ServiceEndpoints> in = ProxyInputs.of(List.of(s), Map.of("default/service-test", List.of(
                ep("10.0.1.2", "node1", true, "", 8080, "TCP"), ep("10.0.2.2", "node2", false, "", 8080, "TCP"))));
        assertThat(in).hasSize(1);
        ServicePort sp = in.get(0).service();
        assertThat(sp).isEqualTo(new ServicePort("default", "service-test", "", "TCP", ip("10.3.241.152"), 80, 0, List.of(), List.of(),
                List.of(), 0, false, false, 0));
        assertThat(in.get(0).endpoints()).containsExactly(
                new Endpoint(ip("10.0.1.2"), 8080, "node1", true, true, false),
                new Endpoint(ip("10.0.2.2"), 8080, "node2", false, false, false));
    }

    @Test
    void headlessAndExternalNameAreSkipped() {
        ServiceRecord headless = clusterIP("headless", "None", port("", "TCP", 8080, 0));
        ServiceRecord ext = svc("ext", "ExternalName", null, List.of(), List.of(), List.of(), "None", 10800, null, null);
        ServiceRecord plain = clusterIP("plain", "10.3.240.20", port("", "TCP", 80, 0));
        List<ServiceEndpoints> in = ProxyInputs.of(List.of(headless, ext, plain),
                Map.of("default/headless", List.of(ep("10.0.1.2", "node1", true, "", 8080, "TCP"))));
        assertThat(in).extracting(se -> se.service().name()).containsExactly("plain");
        assertThat(in.get(0).endpoints()).isEmpty();
    }

    @Test
    void onePortPerServicePortInOrder() {
        ServiceRecord s = svc("web", "NodePort", "10.3.240.20",
                List.of(port("http", "TCP", 80, 30080), port("dns", "UDP", 53, 30053), port("dns-tcp", "TCP", 53, 30054)),
                List.of(), List.of(), "None", 10800, "Cluster", "Cluster");
        List<ServiceEndpoints> in = ProxyInputs.of(List.of(s, clusterIP("other", "10.3.240.21", port("", "TCP", 80, 0))), Map.of());
        assertThat(in).extracting(se -> se.service().name() + ":" + se.service().portName() + "/" + se.service().protocol() + " "
                + se.service().port() + " " + se.service().nodePort())
                .containsExactly("web:http/TCP 80 30080", "web:dns/UDP 53 30053", "web:dns-tcp/TCP 53 30054", "other:/TCP 80 0");
    }

    @Test
    void endpointsFilteredByPortNameAndProtocol() {
        ServiceRecord s = svc("dns", "ClusterIP", "10.3.240.10", List.of(port("dns", "UDP", 53, 0), port("dns-tcp", "TCP", 53, 0)),
                List.of(), List.of(), "None", 10800, null, "Cluster");
        List<ServiceEndpoints> in = ProxyInputs.of(List.of(s), Map.of("default/dns", List.of(
                ep("10.0.1.2", "node1", true, "dns", 5353, "UDP"),
                ep("10.0.1.2", "node1", true, "dns-tcp", 5354, "TCP"),
                ep("10.0.1.3", "node1", true, "dns", 5355, "TCP"),   // right name, wrong protocol
                ep("10.0.1.4", "node1", true, "other", 5356, "UDP")))); // wrong name
        assertThat(in.get(0).endpoints()).containsExactly(new Endpoint(ip("10.0.1.2"), 5353, "node1", true, true, false));
        assertThat(in.get(1).endpoints()).containsExactly(new Endpoint(ip("10.0.1.2"), 5354, "node1", true, true, false));
    }

    @Test
    void endpointsAreLookedUpByNamespaceAndName() {
        ServiceRecord s = clusterIP("web", "10.3.240.20", port("", "TCP", 80, 0));
        List<ServiceEndpoints> in = ProxyInputs.of(List.of(s), Map.of("shop/web", List.of(ep("10.0.1.2", "node1", true, "", 8080, "TCP"))));
        assertThat(in.get(0).endpoints()).isEmpty();
    }

    @Test
    void stickySecondsOnlyForClientIP() {
        ServiceRecord sticky = svc("sticky", "ClusterIP", "10.3.240.20", List.of(port("", "TCP", 80, 0)), List.of(), List.of(),
                "ClientIP", 60, null, "Cluster");
        ServiceRecord stickyDefault = svc("sticky-default", "ClusterIP", "10.3.240.21", List.of(port("", "TCP", 80, 0)), List.of(), List.of(),
                "ClientIP", 10800, null, "Cluster");
        ServiceRecord none = svc("none", "ClusterIP", "10.3.240.22", List.of(port("", "TCP", 80, 0)), List.of(), List.of(),
                "None", 60, null, "Cluster");
        assertThat(ProxyInputs.of(List.of(sticky, stickyDefault, none), Map.of()))
                .extracting(se -> se.service().stickySeconds()).containsExactly(60, 10800, 0);
    }

    @Test
    void externalPolicyLocalOnlyWhenExternallyAccessibleByType() {
        List<ServicePortSpec> ports = List.of(port("", "TCP", 80, 0));
        List<ServicePortSpec> nodePorts = List.of(port("", "TCP", 80, 30080));
        List<ServiceRecord> services = List.of(
                svc("np-local", "NodePort", "10.3.240.20", nodePorts, List.of(), List.of(), "None", 10800, "Local", "Cluster"),
                svc("np-cluster", "NodePort", "10.3.240.21", nodePorts, List.of(), List.of(), "None", 10800, "Cluster", "Cluster"),
                svc("lb-local", "LoadBalancer", "10.3.240.22", nodePorts, List.of(), List.of(ip("203.0.113.100")), "None", 10800, "Local", "Cluster"),
                svc("lb-local-pending", "LoadBalancer", "10.3.240.23", nodePorts, List.of(), List.of(), "None", 10800, "Local", "Cluster"),
                svc("eip-local", "ClusterIP", "10.3.240.24", ports, List.of(ip("192.0.2.10")), List.of(), "None", 10800, "Local", "Cluster"),
                // not reachable from outside: the policy (which the parser would refuse) must not count
                svc("cip-local", "ClusterIP", "10.3.240.25", ports, List.of(), List.of(), "None", 10800, "Local", "Cluster"),
                svc("cip-null", "ClusterIP", "10.3.240.26", ports, List.of(), List.of(), "None", 10800, null, "Cluster"));
        assertThat(ProxyInputs.of(services, Map.of())).extracting(se -> se.service().name() + "=" + se.service().externalPolicyLocal())
                .containsExactly("np-local=true", "np-cluster=false", "lb-local=true", "lb-local-pending=true", "eip-local=true",
                        "cip-local=false", "cip-null=false");
    }

    @Test
    void internalPolicyLocal() {
        List<ServicePortSpec> ports = List.of(port("", "TCP", 80, 0));
        assertThat(ProxyInputs.of(List.of(
                svc("l", "ClusterIP", "10.3.240.20", ports, List.of(), List.of(), "None", 10800, null, "Local"),
                svc("c", "ClusterIP", "10.3.240.21", ports, List.of(), List.of(), "None", 10800, null, "Cluster")), Map.of()))
                .extracting(se -> se.service().internalPolicyLocal()).containsExactly(true, false);
    }

    @Test
    void externalAddressesAndRangesArePassedOn() {
        ServiceRecord s = new ServiceRecord("lb", "default", Map.of(), "LoadBalancer", Map.of("app", "web"), "10.3.240.20",
                List.of(port("", "TCP", 80, 30081)), List.of(ip("192.0.2.10")), List.of(ip("203.0.113.100")), "None", 10800, "Cluster",
                "Cluster", List.of(Cidr.parse("198.51.100.0/24")), null, "2024-01-01T00:00:00Z");
        ServicePort sp = ProxyInputs.of(List.of(s), Map.of()).get(0).service();
        assertThat(sp.externalIPs()).containsExactly(ip("192.0.2.10"));
        assertThat(sp.loadBalancerIPs()).containsExactly(ip("203.0.113.100"));
        assertThat(sp.loadBalancerSourceRanges()).containsExactly(Cidr.parse("198.51.100.0/24"));
        assertThat(sp.nodePort()).isEqualTo(30081);
        assertThat(sp.healthCheckNodePort()).isZero();
        assertThat(sp.externallyAccessible()).isTrue();
    }

    @Test
    void noServicesNoInputs() {
        assertThat(ProxyInputs.of(List.of(), Map.of())).isEmpty();
    }
}
