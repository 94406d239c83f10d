package io.kubenetlab.verify;

import static io.kubenetlab.verify.LabFixture.A;
import static io.kubenetlab.verify.LabFixture.B;
import static io.kubenetlab.verify.LabFixture.CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.LabState;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.verify.Check.Kind;
import io.kubenetlab.verify.Expect.Mode;
import io.kubenetlab.verify.Trial.SourceKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyPlanTest {
    @TempDir
    Path tmp;

    static List<String> lines(VerifyPlan plan) {
        return plan.checks().stream().map(c -> c.kind().label + " " + c.service() + " " + c.target() + " from " + c.from()).toList();
    }

    @Test
    void theArticlesLabGetsItsChecksInTheArticlesOrderThenDns() {
        VerifyPlan plan = VerifyPlan.of(LabFixture.article(tmp), 60);
        assertThat(lines(plan)).containsExactly(
                "ClusterIP service-test 10.3.241.152:80 from " + CLIENT,
                "ClusterIP service-test-nodeport 10.3.251.232:80 from " + CLIENT,
                "ClusterIP service-test-lb 10.3.253.211:80 from " + CLIENT,
                "NodePort service-test-nodeport 10.100.0.2:30080 from ext-client",
                "NodePort service-test-nodeport 10.100.0.3:30080 from ext-client",
                "NodePort service-test-lb 10.100.0.2:30081 from ext-client",
                "NodePort service-test-lb 10.100.0.3:30081 from ext-client",
                "LoadBalancer service-test-lb 203.0.113.100:80 from ext-client",
                "Reach service-test 10.3.241.152:80 from 2 nodes, 3 pods",
                "Reach service-test-nodeport 10.3.251.232:80 from 2 nodes, 3 pods",
                "Reach service-test-lb 10.3.253.211:80 from 2 nodes, 3 pods",
                "Hairpin service-test 10.3.241.152:80 from " + A,
                "Hairpin service-test-nodeport 10.3.251.232:80 from " + A,
                "Hairpin service-test-lb 10.3.253.211:80 from " + A,
                "NoEndpoints nobody 10.3.250.7:80 from " + CLIENT,
                "DNS service-test.default -> 10.3.241.152 from 3 pods",
                "DNS service-test-nodeport.default -> 10.3.251.232 from 3 pods",
                "DNS service-test-lb.default -> 10.3.253.211 from 3 pods",
                "DNS service-test-headless.default -> 10.0.1.2, 10.0.2.2 from 3 pods",
                "DNS nobody.default -> 10.3.250.7 from 3 pods",
                "DNS no-such-service.default -> NXDOMAIN from " + CLIENT);
        assertThat(plan.notes()).containsExactly("skipped service-test-headless: headless (clusterIP None), not proxied");
    }

    @Test
    void probesAskForWhatKubeProxyPromises() {
        VerifyPlan plan = VerifyPlan.of(LabFixture.article(tmp), 40);
        Trial spread = plan.checks().get(0).probes().get(0);
        assertThat(spread.requests()).isEqualTo(40);
        assertThat(spread.sourceKind()).isEqualTo(SourceKind.POD);
        assertThat(spread.expect()).isEqualTo(Expect.answer(List.of(A, B), false));
        Trial nodePort = plan.checks().get(3).probes().get(0);
        assertThat(nodePort.sourceKind()).isEqualTo(SourceKind.HOST);
        assertThat(nodePort.requests()).isEqualTo(40);
        Trial lb = plan.checks().get(7).probes().get(0);
        assertThat(lb.expect()).isEqualTo(Expect.answer(List.of(A, B), false));
        assertThat(lb.requests()).isEqualTo(40);
        List<Trial> reach = plan.checks().get(8).probes();
        assertThat(reach).extracting(Trial::source).containsExactly("node1", "node2", A, B, CLIENT);
        assertThat(reach).allSatisfy(p -> assertThat(p.requests()).isEqualTo(1));
        Trial hairpin = plan.checks().get(11).probes().get(0);
        assertThat(hairpin.requests()).isEqualTo(VerifyPlan.HAIRPIN_REQUESTS);
        assertThat(hairpin.stopAtSelf()).isEqualTo(A);
        assertThat(hairpin.expect().backends()).containsExactly(A, B);
        Trial refuse = plan.checks().get(14).probes().get(0);
        assertThat(refuse.expect()).isEqualTo(Expect.refuse("no endpoints"));
        assertThat(refuse.requests()).isEqualTo(1);
    }

    @Test
    void withoutAnOutsideHostTheNodePortsAreSkippedWithANote() {
        VerifyPlan plan = VerifyPlan.of(LabFixture.article(tmp, false), 60);
        assertThat(plan.checks()).noneMatch(c -> c.kind() == Kind.NODE_PORT || c.kind() == Kind.LOAD_BALANCER);
        assertThat(plan.notes()).contains("NodePort checks skipped: the lab has no outside host on the node network",
                "EXTERNAL-IP checks of service-test-lb skipped: the lab has no outside host on the node network");
        assertThat(plan.checks()).filteredOn(c -> c.kind() != Kind.DNS).hasSize(10);
    }

    @Test
    void withoutAClientPodTheFirstNodeIsTheClient() {
        LabState s = LabFixture.article(tmp);
        s.pods.removeIf(p -> p.name().equals(CLIENT));
        VerifyPlan plan = VerifyPlan.of(s, 60);
        Check first = plan.checks().get(0);
        assertThat(first.kind()).isEqualTo(Kind.CLUSTER_IP);
        assertThat(first.probes().get(0).source()).isEqualTo("node1");
        assertThat(first.probes().get(0).sourceKind()).isEqualTo(SourceKind.NODE);
        assertThat(plan.checks().stream().filter(c -> c.kind() == Kind.NO_ENDPOINTS).findFirst().orElseThrow().from()).isEqualTo("node1");
        // DNS is looked up from pods only: the missing name from the first pod when no client pod is left.
        assertThat(plan.checks().get(plan.checks().size() - 1).from()).isEqualTo(A);
    }

    @Test
    void everyClientPodGetsItsOwnSpreadLine() {
        LabState s = LabFixture.article(tmp);
        s.pods.add(LabFixture.pod("client2", "node2", "10.0.2.3", null));
        VerifyPlan plan = VerifyPlan.of(s, 60);
        assertThat(plan.checks().stream().filter(c -> c.kind() == Kind.CLUSTER_IP).map(Check::from))
                .containsExactly(CLIENT, "client2", CLIENT, "client2", CLIENT, "client2");
    }

    @Test
    void notReadyEndpointsGetNoTrafficAndAllNotReadyMeansRefused() {
        LabState s = LabFixture.article(tmp);
        List<EndpointRecord> eps = s.endpoints.get("default/service-test");
        s.endpoints.put("default/service-test", List.of(eps.get(0), notReady(eps.get(1))));
        s.endpoints.put("default/service-test-nodeport", s.endpoints.get("default/service-test-nodeport").stream().map(VerifyPlanTest::notReady).toList());
        VerifyPlan plan = VerifyPlan.of(s, 60);
        assertThat(plan.checks().get(0).probes().get(0).expect().backends()).containsExactly(A);
        List<String> l = lines(plan);
        assertThat(l).contains("NoEndpoints service-test-nodeport 10.3.251.232:80 from " + CLIENT,
                "NodePort service-test-nodeport 10.100.0.3:30080 from ext-client");
        assertThat(l).noneMatch(x -> x.startsWith("ClusterIP service-test-nodeport") || x.startsWith("Hairpin service-test-nodeport")
                || x.startsWith("Reach service-test-nodeport"));
        Check nodePort = plan.checks().stream().filter(c -> c.kind() == Kind.NODE_PORT && c.port() == 30080).findFirst().orElseThrow();
        assertThat(nodePort.probes().get(0).expect()).isEqualTo(Expect.refuse("no ready endpoints"));
        Check refuse = plan.checks().stream().filter(c -> c.kind() == Kind.NO_ENDPOINTS && c.port() == 80 && c.service().equals("service-test-nodeport"))
                .findFirst().orElseThrow();
        assertThat(refuse.probes().get(0).expect().why()).isEqualTo("no ready endpoints");
    }

    static EndpointRecord notReady(EndpointRecord e) {
        return new EndpointRecord(e.ip(), e.nodeName(), e.podName(), false, e.portName(), e.port(), e.protocol());
    }

    @Test
    void localTrafficPoliciesKeepTrafficOnItsNodeOrDropIt() {
        LabState s = LabFixture.article(tmp);
        s.services.clear();
        s.endpoints.clear();
        LabFixture.addService(s, LabFixture.svc("local", "NodePort", "10.3.240.50", List.of(LabFixture.port("", 80, 30090)), "Local", "Local", "None"), A);
        VerifyPlan plan = VerifyPlan.of(s, 60);
        // B is no endpoint of this Service, so it is a client too: on node2, where "local" has no endpoint.
        assertThat(plan.checks().stream().filter(c -> c.kind() == Kind.CLUSTER_IP).map(c -> c.from() + " " + c.probes().get(0).expect()))
                .containsExactly(B + " " + Expect.drop("internalTrafficPolicy Local, no ready endpoint on node2"),
                        CLIENT + " " + Expect.answer(List.of(A), false));
        List<Check> nodePorts = plan.checks().stream().filter(c -> c.kind() == Kind.NODE_PORT).toList();
        assertThat(nodePorts.get(0).probes().get(0).expect().mode()).isEqualTo(Mode.ANSWER);
        assertThat(nodePorts.get(1).probes().get(0).expect()).isEqualTo(Expect.drop("externalTrafficPolicy Local, no ready endpoint on node2"));
        assertThat(nodePorts.get(1).probes().get(0).requests()).isEqualTo(1);
        Check reach = plan.checks().stream().filter(c -> c.kind() == Kind.REACH).findFirst().orElseThrow();
        assertThat(reach.probes()).extracting(p -> p.source() + " " + p.expect().mode())
                .containsExactly("node1 ANSWER", "node2 DROP", A + " ANSWER", B + " DROP", CLIENT + " ANSWER");
    }

    @Test
    void clientIpAffinityIsExpectedToStick() {
        LabState s = LabFixture.article(tmp);
        s.services.clear();
        s.endpoints.clear();
        LabFixture.addService(s, LabFixture.svc("sticky", "ClusterIP", "10.3.240.51", List.of(LabFixture.port("", 80, 0)), "Cluster", null, "ClientIP"), A, B);
        VerifyPlan plan = VerifyPlan.of(s, 60);
        assertThat(plan.checks().get(0).probes().get(0).expect().sticky()).isTrue();
        Check hairpin = plan.checks().stream().filter(c -> c.kind() == Kind.HAIRPIN).findFirst().orElseThrow();
        assertThat(hairpin.probes().get(0).expect()).isEqualTo(Expect.answer(List.of(A, B), true));
        assertThat(hairpin.probes().get(0).stopAtSelf()).isEqualTo(A);
    }

    @Test
    void handWrittenEndpointsAreMatchedToPodsByAddressOrLeftUnattributed() {
        LabState s = LabFixture.article(tmp);
        s.services.clear();
        s.endpoints.clear();
        s.services.add(LabFixture.svc("manual", "ClusterIP", "10.3.240.52", List.of(LabFixture.port("", 80, 0))));
        s.endpoints.put("default/manual", List.of(new EndpointRecord(Ipv4.parse("10.0.2.2"), null, null, true, "", 8080, "TCP")));
        s.services.add(LabFixture.svc("outside", "ClusterIP", "10.3.240.53", List.of(LabFixture.port("", 80, 0))));
        s.endpoints.put("default/outside", List.of(new EndpointRecord(Ipv4.parse("10.100.0.100"), null, null, true, "", 8080, "TCP")));
        VerifyPlan plan = VerifyPlan.of(s, 60);
        // B is the manual Service's endpoint, so only the two others are clients.
        assertThat(plan.checks().stream().filter(c -> c.kind() == Kind.CLUSTER_IP).map(c -> c.service() + " " + c.from()))
                .containsExactly("manual " + A, "manual " + CLIENT, "outside " + A, "outside " + CLIENT);
        assertThat(plan.checks().get(0).probes().get(0).expect().backends()).containsExactly(B);
        assertThat(plan.checks().get(2).probes().get(0).expect().backends()).isNull();
        assertThat(plan.notes()).contains("Hairpin check of outside skipped: none of its endpoints is a pod of the lab");
    }

    @Test
    void onlyTcpPortsOfProxiedServicesAreChecked() {
        LabState s = LabFixture.article(tmp);
        s.services.clear();
        s.endpoints.clear();
        ServicePortSpec udp = new ServicePortSpec("dns", "UDP", 53, 53, null, 0);
        ServicePortSpec tcp = new ServicePortSpec("web", "TCP", 80, 8080, null, 0);
        LabFixture.addService(s, LabFixture.svc("udp-only", "ClusterIP", "10.3.240.54", List.of(udp)), A);
        LabFixture.addService(s, LabFixture.svc("mixed", "ClusterIP", "10.3.240.55", List.of(udp, tcp)), A);
        s.services.add(new io.kubenetlab.model.ServiceRecord("ext", "default", java.util.Map.of(), "ExternalName", null, null, List.of(),
                List.of(), List.of(), "None", 0, null, null, List.of(), "example.org", "2026-01-01T00:00:00Z"));
        VerifyPlan plan = VerifyPlan.of(s, 60);
        assertThat(plan.checks()).filteredOn(c -> c.kind() != Kind.DNS).allSatisfy(c -> assertThat(c.target()).isEqualTo("10.3.240.55:80"));
        assertThat(plan.notes()).containsExactly("skipped udp-only: no TCP port", "skipped ext: ExternalName, nothing to proxy",
                "DNS check of ext.default skipped: ExternalName (a CNAME to example.org), its target is outside the lab, which has no internet");
        // Every Service's name is still resolved, whatever its ports.
        assertThat(lines(plan)).contains("DNS udp-only.default -> 10.3.240.54 from 3 pods", "DNS mixed.default -> 10.3.240.55 from 3 pods");
    }

    @Test
    void externalIPsAreAskedFromOutsideUnlessTheirPolicyIsLocal() {
        LabState s = LabFixture.article(tmp);
        s.services.clear();
        s.endpoints.clear();
        LabFixture.addService(s, LabFixture.withIPs(LabFixture.svc("ext", "NodePort", "10.3.240.60", List.of(LabFixture.port("", 80, 30100))),
                List.of(Ipv4.parse("198.51.100.7")), List.of()), A, B);
        LabFixture.addService(s, LabFixture.withIPs(LabFixture.svc("ext-local", "NodePort", "10.3.240.61", List.of(LabFixture.port("", 80, 30101)),
                "Cluster", "Local", "None"), List.of(Ipv4.parse("198.51.100.8")), List.of()), A, B);
        s.services.add(LabFixture.withIPs(LabFixture.svc("lb-empty", "LoadBalancer", "10.3.240.62", List.of(LabFixture.port("", 80, 30102))),
                List.of(), List.of(Ipv4.parse("203.0.113.101"))));
        VerifyPlan plan = VerifyPlan.of(s, 60);
        assertThat(lines(plan)).contains("ExternalIP ext 198.51.100.7:80 from ext-client", "NoEndpoints lb-empty 10.3.240.62:80 from " + CLIENT,
                "NodePort lb-empty 10.100.0.2:30102 from ext-client");
        assertThat(lines(plan)).noneMatch(l -> l.contains("198.51.100.8") || l.contains("203.0.113.101"));
        assertThat(plan.notes()).contains(
                "externalIP 198.51.100.8 of ext-local not checked: externalTrafficPolicy Local over ECMP drops on nodes without an endpoint",
                "EXTERNAL-IP checks of lb-empty skipped: no endpoints (see its NoEndpoints line)");
    }

    @Test
    void atLeastOneRequest() {
        assertThatThrownBy(() -> VerifyPlan.of(LabFixture.article(tmp), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
