package io.kubenetlab.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.lb.LoadBalancerRules.Backend;
import io.kubenetlab.lb.LoadBalancerRules.Listener;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.model.Topology.NodeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancerPlanTest {

    private static final List<NodeSpec> NODES = List.of(
            new NodeSpec("node1", ip("10.100.0.2"), Cidr.parse("10.0.1.0/24")),
            new NodeSpec("node2", ip("10.100.0.3"), Cidr.parse("10.0.2.0/24")),
            new NodeSpec("node3", ip("10.100.0.4"), Cidr.parse("10.0.3.0/24")));

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    static ServicePortSpec port(String name, String protocol, int port, int nodePort) {
        return new ServicePortSpec(name, protocol, port, 8080, null, nodePort);
    }

    static ServiceRecord svc(String name, String type, List<ServicePortSpec> ports, List<Ipv4> lbIPs, String etp) {
        return new ServiceRecord(name, "default", Map.of(), type, Map.of("app", "web"), "10.3.240.20", ports, List.of(), lbIPs, "None",
                10800, etp, "Cluster", List.of(), null, "2024-01-01T00:00:00Z");
    }

    static ServiceRecord lb(String etp, ServicePortSpec... ports) {
        return svc("service-test-lb", "LoadBalancer", List.of(ports), List.of(ip("203.0.113.100")), etp);
    }

    static EndpointRecord ep(String ip, String node, boolean ready, String portName) {
        return new EndpointRecord(ip(ip), node, "pod-" + ip, ready, portName, 8080, "TCP");
    }

    static Backend backend(String ip, int nodePort) {
        return new Backend(ip(ip), nodePort);
    }

    @Test
    void clusterPolicySendsToEveryNode() {
        List<Listener> ls = LoadBalancerPlan.listeners(List.of(lb("Cluster", port("", "TCP", 80, 30081))), Map.of(), NODES);
        assertThat(ls).containsExactly(new Listener("default/service-test-lb", ip("203.0.113.100"), 80, "TCP",
                List.of(backend("10.100.0.2", 30081), backend("10.100.0.3", 30081), backend("10.100.0.4", 30081))));
    }

    @Test
    void nullPolicyCountsAsCluster() {
        List<Listener> ls = LoadBalancerPlan.listeners(List.of(lb(null, port("", "TCP", 80, 30081))), Map.of(), NODES);
        assertThat(ls.get(0).backends()).hasSize(3);
    }

    @Test
    void localPolicyOnlyNodesWithAReadyLocalEndpoint() {
        ServiceRecord s = lb("Local", port("", "TCP", 80, 30081));
        Map<String, List<EndpointRecord>> eps = Map.of("default/service-test-lb", List.of(
                ep("10.0.1.2", "node1", false, ""),  // not ready: node1 is unhealthy
                ep("10.0.3.2", "node3", true, "")));
        assertThat(LoadBalancerPlan.listeners(List.of(s), eps, NODES).get(0).backends()).containsExactly(backend("10.100.0.4", 30081));
    }

    @Test
    void localPolicyWithoutReadyEndpointsHasNoBackends() {
        ServiceRecord s = lb("Local", port("", "TCP", 80, 30081));
        List<Listener> ls = LoadBalancerPlan.listeners(List.of(s), Map.of(), NODES);
        assertThat(ls).hasSize(1);
        assertThat(ls.get(0).backends()).isEmpty();
        assertThat(LoadBalancerRules.render(ls)).doesNotContain("DNAT --to-destination");
    }

    @Test
    void localPolicyIgnoresEndpointsWithoutANode() {
        ServiceRecord s = lb("Local", port("", "TCP", 80, 30081));
        Map<String, List<EndpointRecord>> eps = Map.of("default/service-test-lb", List.of(ep("192.0.2.42", null, true, "")));
        assertThat(LoadBalancerPlan.listeners(List.of(s), eps, NODES).get(0).backends()).isEmpty();
    }

    /**
     * One health check per Service, as on a cloud: kube-proxy counts a node's ready endpoints of any port,
     * so a node with only an "admin" endpoint is healthy for the "http" listener too.
     */
    @Test
    void localPolicyFollowsTheServicesHealthCheckNotEachPort() {
        ServiceRecord s = lb("Local", port("http", "TCP", 80, 30081), port("admin", "TCP", 81, 30082));
        Map<String, List<EndpointRecord>> eps = Map.of("default/service-test-lb", List.of(
                ep("10.0.1.2", "node1", true, "http"),
                ep("10.0.2.2", "node2", true, "admin"),
                ep("10.0.3.2", "node3", false, "http")));
        List<Listener> ls = LoadBalancerPlan.listeners(List.of(s), eps, NODES);
        assertThat(ls).containsExactly(
                new Listener("default/service-test-lb:http", ip("203.0.113.100"), 80, "TCP",
                        List.of(backend("10.100.0.2", 30081), backend("10.100.0.3", 30081))),
                new Listener("default/service-test-lb:admin", ip("203.0.113.100"), 81, "TCP",
                        List.of(backend("10.100.0.2", 30082), backend("10.100.0.3", 30082))));
    }

    @Test
    void otherServicesEndpointsDoNotCount() {
        ServiceRecord s = lb("Local", port("", "TCP", 80, 30081));
        Map<String, List<EndpointRecord>> eps = Map.of("default/other", List.of(ep("10.0.1.2", "node1", true, "")));
        assertThat(LoadBalancerPlan.listeners(List.of(s), eps, NODES).get(0).backends()).isEmpty();
    }

    @Test
    void onlyLoadBalancerServicesWithAnAddress() {
        List<ServiceRecord> services = List.of(
                svc("np", "NodePort", List.of(port("", "TCP", 80, 30080)), List.of(), "Cluster"),
                svc("cip", "ClusterIP", List.of(port("", "TCP", 80, 0)), List.of(), null),
                svc("pending", "LoadBalancer", List.of(port("", "TCP", 80, 30083)), List.of(), "Cluster"),
                lb("Cluster", port("", "TCP", 80, 30081)));
        assertThat(LoadBalancerPlan.listeners(services, Map.of(), NODES)).extracting(Listener::service)
                .containsExactly("default/service-test-lb");
    }

    @Test
    void everyAddressTimesEveryPort() {
        ServiceRecord s = svc("multi", "LoadBalancer", List.of(port("http", "TCP", 80, 30081), port("dns", "UDP", 53, 30053)),
                List.of(ip("203.0.113.100"), ip("203.0.113.101")), "Cluster");
        assertThat(LoadBalancerPlan.listeners(List.of(s), Map.of(), NODES.subList(0, 1)))
                .extracting(l -> l.service() + " " + l.ip() + ":" + l.port() + "/" + l.protocol() + " -> " + l.backends())
                .containsExactly(
                        "default/multi:http 203.0.113.100:80/TCP -> [Backend[nodeIP=10.100.0.2, nodePort=30081]]",
                        "default/multi:dns 203.0.113.100:53/UDP -> [Backend[nodeIP=10.100.0.2, nodePort=30053]]",
                        "default/multi:http 203.0.113.101:80/TCP -> [Backend[nodeIP=10.100.0.2, nodePort=30081]]",
                        "default/multi:dns 203.0.113.101:53/UDP -> [Backend[nodeIP=10.100.0.2, nodePort=30053]]");
    }

    @Test
    void noNodesNoBackends() {
        assertThat(LoadBalancerPlan.listeners(List.of(lb("Cluster", port("", "TCP", 80, 30081))), Map.of(), List.of()).get(0).backends())
                .isEmpty();
    }

    @Test
    void healthCheckVerdictsDecideWhichNodesGetLocalTraffic() {
        // The endpoints say node1; the health checks (what the balancer really knows) say node2 and node3.
        Map<String, List<EndpointRecord>> eps = Map.of("default/service-test-lb", List.of(ep("10.0.1.2", "node1", true, "")));
        BackendHealth health = new BackendHealth(Map.of("default/service-test-lb", Map.of("node1", false, "node2", true, "node3", true)));
        List<Listener> ls = LoadBalancerPlan.listeners(List.of(lb("Local", port("", "TCP", 80, 30081))), eps, NODES, health);
        assertThat(ls.get(0).backends()).containsExactly(backend("10.100.0.3", 30081), backend("10.100.0.4", 30081));
        // No node healthy: no backend, the balancer refuses.
        BackendHealth none = new BackendHealth(Map.of("default/service-test-lb", Map.of("node1", false, "node2", false, "node3", false)));
        assertThat(LoadBalancerPlan.listeners(List.of(lb("Local", port("", "TCP", 80, 30081))), eps, NODES, none).get(0).backends()).isEmpty();
        // Cluster policy ignores health checks (kube-proxy has no health check node port for it).
        assertThat(LoadBalancerPlan.listeners(List.of(lb("Cluster", port("", "TCP", 80, 30081))), eps, NODES, none).get(0).backends()).hasSize(3);
    }

    @Test
    void aNodeNotProbedYetIsPredicted() {
        Map<String, List<EndpointRecord>> eps = Map.of("default/service-test-lb", List.of(ep("10.0.3.2", "node3", true, "")));
        BackendHealth partial = new BackendHealth(Map.of("default/service-test-lb", Map.of("node1", true)));
        assertThat(LoadBalancerPlan.listeners(List.of(lb("Local", port("", "TCP", 80, 30081))), eps, NODES, partial).get(0).backends())
                .containsExactly(backend("10.100.0.2", 30081), backend("10.100.0.4", 30081));
    }

    @Test
    void withoutAVerdictTheHealthCheckIsPredictedFromAnyPortsReadyLocalEndpoint() {
        Map<String, List<EndpointRecord>> eps = Map.of("default/service-test-lb", List.of(ep("10.0.2.2", "node2", true, "metrics"),
                ep("10.0.3.2", "node3", false, "http")));
        List<Listener> ls = LoadBalancerPlan.listeners(List.of(lb("Local", port("http", "TCP", 80, 30081))), eps, NODES, BackendHealth.NONE);
        assertThat(ls.get(0).backends()).containsExactly(backend("10.100.0.3", 30081));
    }
}
