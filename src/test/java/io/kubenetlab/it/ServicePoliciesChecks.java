package io.kubenetlab.it;

import static io.kubenetlab.it.ItSupport.answers;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.PodRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service features beyond the round robin: the load balancer, externalIPs, ClientIP affinity,
 * traffic policies, and endpoints and rules following a scale and a deleted pod; run once per kube-proxy
 * mode ({@link ServicePoliciesIT}, {@link ServicePoliciesNftablesIT}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServicePoliciesChecks {
    @TempDir // static: an instance field is not injected before @BeforeAll
    static Path tmp;
    String name;
    Lab lab;

    /** kube-proxy's mode for this run of the checks. */
    abstract String proxyMode();

    /** Text the rendered rules of a node hold for {@code what} (one of the checks' features) in this mode. */
    abstract List<String> rulesFor(String what, String clusterIP);

    @BeforeAll
    void deploy() throws IOException {
        ItSupport.requireRoot();
        Path topo = ItSupport.articleWith(tmp, """
                # One server, on node2 only: what the traffic policies are about.
                kind: Deployment
                apiVersion: apps/v1
                metadata: {name: one}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: one}}
                  template:
                    metadata: {labels: {app: one}}
                    spec:
                      nodeName: node2
                      containers:
                        - name: web
                          image: python:2.7
                          command: ["/bin/bash"]
                          args: ["-c", 'echo "<p>Hello from $(hostname)</p>" > index.html; python -m SimpleHTTPServer 8080']
                          ports: [{name: http, containerPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: sticky}
                spec:
                  selector: {app: service_test_pod}
                  sessionAffinity: ClientIP
                  ports: [{port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: local-np}
                spec:
                  type: NodePort
                  externalTrafficPolicy: Local
                  selector: {app: one}
                  ports: [{port: 80, targetPort: http, nodePort: 30090}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: local-lb}
                spec:
                  type: LoadBalancer
                  externalTrafficPolicy: Local
                  selector: {app: one}
                  ports: [{port: 8000, targetPort: http}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: itp-local}
                spec:
                  internalTrafficPolicy: Local
                  selector: {app: one}
                  ports: [{port: 80, targetPort: 8080}]
                ---
                # Two containers, TCP and UDP: a Service with several named ports.
                kind: Deployment
                apiVersion: apps/v1
                metadata: {name: multi}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: multi}}
                  template:
                    metadata: {labels: {app: multi}}
                    spec:
                      containers:
                        - name: web
                          image: python:2.7
                          command: ["/bin/bash"]
                          args: ["-c", 'echo "<p>Hello from $(hostname)</p>" > index.html; python -m SimpleHTTPServer 8080']
                          ports: [{name: http, containerPort: 8080}]
                        - name: echo
                          image: python:3
                          command: ["python", "-c"]
                          args:
                            - |
                              import os, socket
                              s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                              s.bind(("0.0.0.0", 5353))
                              while True:
                                  data, peer = s.recvfrom(512)
                                  s.sendto(("Hello from " + os.uname().nodename + "\\n").encode(), peer)
                          ports: [{name: udp-echo, containerPort: 5353, protocol: UDP}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: multi}
                spec:
                  selector: {app: multi}
                  ports:
                    - {name: web, port: 80, targetPort: http}
                    - {name: echo, port: 53, targetPort: udp-echo, protocol: UDP}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: ext}
                spec:
                  selector: {app: service_test_pod}
                  externalIPs: [198.51.100.10]
                  ports: [{port: 80, targetPort: 8080}]
                """);
        name = ItSupport.uniqueLab("it-pol-" + proxyMode().substring(0, 3));
        lab = Lab.deploy(topo, Lab.Options.defaults().withName(name).withProxyMode(proxyMode()));
    }

    @AfterAll
    void destroy() {
        if (lab != null) lab.close();
        ItSupport.assertGone(name);
    }

    String clusterIP(String service) {
        return lab.state().service("default", service).orElseThrow().clusterIP();
    }

    String onePod() {
        return lab.pods().stream().filter(p -> "one".equals(p.labels().get("app"))).findFirst().orElseThrow().name();
    }

    @Test
    @Order(1)
    void theLoadBalancersExternalIpSpreadsOverTheNodesFromOutside() {
        String lbIP = lab.state().service("default", "service-test-lb").orElseThrow().loadBalancerIPs().get(0).toString();
        assertThat(lbIP).isEqualTo("203.0.113.100");
        Map<String, Integer> counts = ItSupport.spread(lab, "ext-client", lbIP, 80, 40).allAnswered();
        assertThat(answers(counts)).isEqualTo(40);
        assertThat(counts).hasSize(2);
        // Pods reach the same address; kube-proxy short-circuits it on the node.
        assertThat(answers(ItSupport.spread(lab, "service-test-client1", lbIP, 80, 5).allAnswered())).isEqualTo(5);
    }

    @Test
    @Order(1)
    void anExternalIpIsRoutedToTheNodesAndServed() {
        assertThat(answers(ItSupport.spread(lab, "ext-client", "198.51.100.10", 80, 10).allAnswered())).isEqualTo(10);
    }

    @Test
    @Order(1)
    void clientIpAffinitySticksToOnePod() {
        Map<String, Integer> counts = ItSupport.spread(lab, "service-test-client1", clusterIP("sticky"), 80, 20).allAnswered();
        assertThat(counts).hasSize(1);
        assertThat(answers(counts)).isEqualTo(20);
        assertThat(lab.renderRules("node1")).contains(rulesFor("affinity", clusterIP("sticky")));
    }

    @Test
    @Order(1)
    void externalTrafficPolicyLocalOnlyAnswersOnNodesWithALocalPod() {
        assertThat(answers(ItSupport.spread(lab, "ext-client", "10.100.0.3", 30090, 5).allAnswered())).as("node2 has the pod").isEqualTo(5);
        assertThat(ItSupport.spread(lab, "ext-client", "10.100.0.2", 30090, 3).noneAnswered()).as("node1 has none: every request fails").isEqualTo(3);
        assertThat(lab.renderRules("node1")).contains(rulesFor("no local endpoints", clusterIP("local-np")));
        // The load balancer only sends to healthy nodes (node2), so every request is answered.
        String lbIP = lab.state().service("default", "local-lb").orElseThrow().loadBalancerIPs().get(0).toString();
        assertThat(answers(ItSupport.spread(lab, "ext-client", lbIP, 8000, 10).allAnswered())).isEqualTo(10);
    }

    @Test
    @Order(1)
    void internalTrafficPolicyLocalOnlyServesPodsOnTheNodeOfAnEndpoint() {
        assertThat(ItSupport.spread(lab, "service-test-client1", clusterIP("itp-local"), 80, 3).noneAnswered()).as("from node1: every request fails").isEqualTo(3);
        String onNode2 = lab.pods().stream().filter(p -> p.node().equals("node2") && !p.name().equals(onePod()))
                .map(PodRecord::name).findFirst().orElseThrow();
        assertThat(answers(ItSupport.spread(lab, onNode2, clusterIP("itp-local"), 80, 3).allAnswered())).as("from node2").isEqualTo(3);
    }

    @Test
    @Order(1)
    void aServiceWithSeveralNamedPortsServesTcpAndUdp() {
        String ip = clusterIP("multi");
        assertThat(ItSupport.spread(lab, "service-test-client1", ip, 80, 30).allAnswered()).hasSize(2);
        // UDP has no close: each nc waits its 1 s timeout, so keep the count small (both pods answer 12 tries but with p < 0.001)
        String script = "i=0; while [ $i -lt 12 ]; do echo hi | nc -u -w 1 " + ip + " 53; i=$((i+1)); done";
        String out = lab.execCapture("service-test-client1", List.of("sh", "-c", script)).stdout();
        assertThat(out.lines().filter(l -> l.startsWith("Hello from multi-")).map(l -> l.substring(11)).distinct().count())
                .as("UDP answers from both pods: " + out).isEqualTo(2);
        assertThat(lab.renderRules("node1")).contains(rulesFor("two ports", ip));
    }

    @Test
    @Order(2)
    void scalingTheDeploymentChangesTheEndpointsAndTheRules() {
        String macBefore = bridgeMac("node1");
        lab.scale("service-test", "default", 3);
        // New ports must not change the bridge's MAC: pods cached it as their gateway's.
        assertThat(bridgeMac("node1")).isEqualTo(macBefore).startsWith("02:");
        assertThat(lab.execCapture("service-test-client1", List.of("ip", "neigh", "show", "10.0.1.1")).stdout())
                .satisfiesAnyOf(out -> assertThat(out).isBlank(), out -> assertThat(out).contains(macBefore));
        List<String> ips = lab.state().endpoints.get("default/service-test").stream().map(e -> e.ip().toString()).toList();
        assertThat(ips).hasSize(3);
        for (String node : List.of("node1", "node2")) {
            String live = lab.liveRules(node);
            for (String ip : ips) assertThat(live).as(node).contains(rulesFor("endpoint", ip + ":8080"));
        }
        assertThat(ItSupport.spread(lab, "service-test-client1", "10.3.241.152", 80, 60).allAnswered()).hasSize(3);
        lab.scale("service-test", "default", 2);
        assertThat(lab.state().endpoints.get("default/service-test")).hasSize(2);
        assertThat(ItSupport.spread(lab, "service-test-client1", "10.3.241.152", 80, 30).allAnswered()).hasSize(2);
    }

    String bridgeMac(String node) {
        String out = lab.execCapture(node, List.of("cat", "/sys/class/net/cbr0/address")).stdout().trim();
        return out.isEmpty() ? lab.execCapture(node, List.of("sh", "-c", "ip -o link show cbr0 | sed 's/.*link.ether \\([^ ]*\\).*/\\1/'")).stdout().trim() : out;
    }

    @Test
    @Order(3)
    void aDeletedPodIsReplacedAndLeavesTheRules() {
        PodRecord victim = lab.pods().stream().filter(p -> "service_test_pod".equals(p.labels().get("app")))
                .findFirst().orElseThrow();
        lab.deletePods(List.of(victim.name()));
        assertThat(lab.pods()).noneMatch(p -> p.name().equals(victim.name()));
        List<PodRecord> servers = lab.pods().stream().filter(p -> "service_test_pod".equals(p.labels().get("app"))).toList();
        assertThat(servers).hasSize(2);
        Map<String, Integer> counts = ItSupport.spread(lab, "service-test-client1", "10.3.241.152", 80, 40).allAnswered();
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(servers.stream().map(PodRecord::name).toList());
        assertThat(ItSupport.netnsOf(name)).noneMatch(ns -> ns.endsWith(victim.name()));
    }
}
