package io.kubenetlab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.cluster.EndpointsController.PodState;
import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.k8s.EndpointsManifest;
import io.kubenetlab.k8s.ObjectMeta;
import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {

    private static final Map<String, String> WEB = Map.of("app", "service_test_pod");

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    static ContainerRecord container(String name, ContainerPort... ports) {
        return new ContainerRecord(name, "python:2.7", "python", List.of("python"), Map.of(), List.of(ports));
    }

    static PodRecord pod(String name, String namespace, Map<String, String> labels, String node, String ip, ContainerRecord... containers) {
        return new PodRecord(name, namespace, "uid-" + name, labels, "ReplicaSet", "rs", node, Ipv4.parse(ip), "netns-" + name,
                "veth" + name, "Always", List.of(containers), "2024-01-01T00:00:00Z", null);
    }

    static PodRecord web(String name, String node, String ip) {
        return pod(name, "default", WEB, node, ip, container("simple-http", new ContainerPort("http", 8080, "TCP")));
    }

    static PodState ready(PodRecord p) {
        return new PodState(p, true, false);
    }

    static PodState notReady(PodRecord p) {
        return new PodState(p, false, false);
    }

    static ServiceRecord service(String namespace, Map<String, String> selector, ServicePortSpec... ports) {
        return new ServiceRecord("service-test", namespace, Map.of(), "ClusterIP", selector, "10.3.241.152", List.of(ports), List.of(),
                List.of(), "None", 10800, null, "Cluster", List.of(), null, "2024-01-01T00:00:00Z");
    }

    static ServicePortSpec number(String name, String protocol, int port, int target) {
        return new ServicePortSpec(name, protocol, port, target, null, 0);
    }

    static ServicePortSpec named(String name, String protocol, int port, String target) {
        return new ServicePortSpec(name, protocol, port, 0, target, 0);
    }

    static final ServiceRecord ARTICLE = service("default", WEB, number("", "TCP", 80, 8080));

    @Test
    void articleServiceGetsBothPods() {
        List<EndpointRecord> eps = EndpointsController.forService(ARTICLE,
                List.of(ready(web("service-test-b", "node2", "10.0.2.2")), ready(web("service-test-a", "node1", "10.0.1.2"))));
        assertThat(eps).containsExactly(
                new EndpointRecord(ip("10.0.1.2"), "node1", "service-test-a", true, "", 8080, "TCP"),
                new EndpointRecord(ip("10.0.2.2"), "node2", "service-test-b", true, "", 8080, "TCP"));
    }

    @Test
    void selectorMustMatchEveryKey() {
        ServiceRecord s = service("default", Map.of("app", "web", "tier", "front"), number("", "TCP", 80, 8080));
        List<PodState> pods = List.of(
                ready(pod("both", "default", Map.of("app", "web", "tier", "front", "extra", "x"), "n1", "10.0.1.2", container("c"))),
                ready(pod("app-only", "default", Map.of("app", "web"), "n1", "10.0.1.3", container("c"))),
                ready(pod("wrong-value", "default", Map.of("app", "web", "tier", "back"), "n1", "10.0.1.4", container("c"))),
                ready(pod("no-labels", "default", Map.of(), "n1", "10.0.1.5", container("c"))));
        assertThat(EndpointsController.forService(s, pods)).extracting(EndpointRecord::podName).containsExactly("both");
    }

    @Test
    void matchesIsASubsetTest() {
        assertThat(EndpointsController.matches(Map.of("a", "1"), Map.of("a", "1", "b", "2"))).isTrue();
        assertThat(EndpointsController.matches(Map.of("a", "1", "b", "2"), Map.of("a", "1"))).isFalse();
        assertThat(EndpointsController.matches(Map.of("a", "1"), Map.of("a", "2"))).isFalse();
        assertThat(EndpointsController.matches(Map.of(), Map.of("a", "1"))).isTrue();
    }

    @Test
    void otherNamespacesAreIgnored() {
        List<PodState> pods = List.of(
                ready(pod("here", "default", WEB, "n1", "10.0.1.2", container("c"))),
                ready(pod("there", "shop", WEB, "n1", "10.0.1.3", container("c"))));
        assertThat(EndpointsController.forService(ARTICLE, pods)).extracting(EndpointRecord::podName).containsExactly("here");
        assertThat(EndpointsController.forService(service("shop", WEB, number("", "TCP", 80, 8080)), pods))
                .extracting(EndpointRecord::podName).containsExactly("there");
    }

    @Test
    void notReadyPodsAreListedAsSuch() {
        List<EndpointRecord> eps = EndpointsController.forService(ARTICLE,
                List.of(ready(web("a", "node1", "10.0.1.2")), notReady(web("b", "node2", "10.0.2.2"))));
        assertThat(eps).extracting(EndpointRecord::podName, EndpointRecord::ready)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", true), org.assertj.core.groups.Tuple.tuple("b", false));
    }

    static ServiceRecord publishingNotReady(ServiceRecord s) {
        return new ServiceRecord(s.name(), s.namespace(), s.labels(), s.type(), s.selector(), s.clusterIP(), s.ports(), s.externalIPs(),
                s.loadBalancerIPs(), s.sessionAffinity(), s.affinityTimeoutSeconds(), s.externalTrafficPolicy(), s.internalTrafficPolicy(),
                s.loadBalancerSourceRanges(), s.externalName(), s.createdAt(), 0, true);
    }

    @Test
    void publishNotReadyAddressesMakesNotReadyPodsReadyEndpointsThatDoNotServe() {
        // Upstream podToEndpoint: ready = publishNotReadyAddresses || (serving && !terminating); serving = the pod's readiness.
        List<EndpointRecord> eps = EndpointsController.forService(publishingNotReady(ARTICLE),
                List.of(ready(web("a", "node1", "10.0.1.2")), notReady(web("b", "node2", "10.0.2.2"))));
        assertThat(eps).containsExactly(
                new EndpointRecord(ip("10.0.1.2"), "node1", "a", true, "", 8080, "TCP", true, false),
                new EndpointRecord(ip("10.0.2.2"), "node2", "b", true, "", 8080, "TCP", false, false));
    }

    @Test
    void publishNotReadyAddressesStillLeavesFinishedPodsOut() {
        List<EndpointRecord> eps = EndpointsController.forService(publishingNotReady(ARTICLE),
                List.of(new PodState(web("done", "node1", "10.0.1.2"), false, true), notReady(web("b", "node2", "10.0.2.2"))));
        assertThat(eps).extracting(EndpointRecord::podName).containsExactly("b");
    }

    @Test
    void finishedPodsAreLeftOut() {
        List<EndpointRecord> eps = EndpointsController.forService(ARTICLE, List.of(
                new PodState(web("done", "node1", "10.0.1.2"), false, true),
                new PodState(web("done-but-ready", "node1", "10.0.1.3"), true, true),
                ready(web("alive", "node1", "10.0.1.4"))));
        assertThat(eps).extracting(EndpointRecord::podName).containsExactly("alive");
    }

    @Test
    void serviceWithoutSelectorGetsNothingFromPods() {
        ServiceRecord s = service("default", null, number("", "TCP", 5432, 5432));
        assertThat(EndpointsController.forService(s, List.of(ready(web("a", "node1", "10.0.1.2"))))).isEmpty();
    }

    @Test
    void noPodsNoEndpoints() {
        assertThat(EndpointsController.forService(ARTICLE, List.of())).isEmpty();
    }

    @Test
    void namedTargetPortResolvesToTheContainerPort() {
        ServiceRecord s = service("default", WEB, named("", "TCP", 80, "http"));
        PodRecord p8080 = web("a", "node1", "10.0.1.2");
        PodRecord p9090 = pod("b", "default", WEB, "node2", "10.0.2.2",
                container("sidecar", new ContainerPort("metrics", 9100, "TCP")),
                container("app", new ContainerPort("http", 9090, "TCP")));
        PodRecord lacking = pod("c", "default", WEB, "node2", "10.0.2.3", container("app", new ContainerPort("web", 8080, "TCP")));
        PodRecord unnamed = pod("d", "default", WEB, "node2", "10.0.2.4", container("app", new ContainerPort(null, 8080, "TCP")));
        List<EndpointRecord> eps = EndpointsController.forService(s, List.of(ready(p8080), ready(p9090), ready(lacking), ready(unnamed)));
        assertThat(eps).extracting(e -> e.podName() + ":" + e.port()).containsExactly("a:8080", "b:9090");
    }

    @Test
    void namedTargetPortMustMatchTheProtocol() {
        PodRecord dns = pod("dns", "default", WEB, "node1", "10.0.1.2",
                container("c", new ContainerPort("dns", 53, "UDP"), new ContainerPort("dns-tcp", 53, "TCP")));
        assertThat(EndpointsController.forService(service("default", WEB, named("", "UDP", 53, "dns")), List.of(ready(dns))))
                .extracting(EndpointRecord::port, EndpointRecord::protocol).containsExactly(org.assertj.core.groups.Tuple.tuple(53, "UDP"));
        assertThat(EndpointsController.forService(service("default", WEB, named("", "TCP", 53, "dns")), List.of(ready(dns))))
                .as("the container's \"dns\" port is UDP").isEmpty();
    }

    @Test
    void resolveByNumberIgnoresTheContainerPorts() {
        PodRecord p = pod("a", "default", WEB, "n", "10.0.1.2", container("c"));
        assertThat(EndpointsController.resolve(number("", "TCP", 80, 8080), p)).isEqualTo(8080);
        assertThat(EndpointsController.resolve(named("", "TCP", 80, "http"), p)).isZero();
        assertThat(EndpointsController.resolve(named("", "TCP", 80, "http"), web("w", "n", "10.0.1.3"))).isEqualTo(8080);
    }

    @Test
    void podLackingANamedPortStillServesTheOtherPorts() {
        ServiceRecord s = service("default", WEB, named("http", "TCP", 80, "http"), number("metrics", "TCP", 9100, 9100));
        PodRecord lacking = pod("c", "default", WEB, "node2", "10.0.2.3", container("app"));
        List<EndpointRecord> eps = EndpointsController.forService(s, List.of(ready(web("a", "node1", "10.0.1.2")), ready(lacking)));
        assertThat(eps).extracting(e -> e.podName() + " " + e.portName() + " " + e.port())
                .containsExactly("a http 8080", "a metrics 9100", "c metrics 9100");
    }

    @Test
    void endpointsCarryTheServicePortsProtocolAndName() {
        ServiceRecord s = service("default", WEB, number("dns", "UDP", 53, 5353), number("dns-tcp", "TCP", 53, 5353));
        List<EndpointRecord> eps = EndpointsController.forService(s, List.of(ready(web("a", "node1", "10.0.1.2"))));
        assertThat(eps).containsExactly(
                new EndpointRecord(ip("10.0.1.2"), "node1", "a", true, "dns", 5353, "UDP"),
                new EndpointRecord(ip("10.0.1.2"), "node1", "a", true, "dns-tcp", 5353, "TCP"));
    }

    @Test
    void sortedByIpNumericallyThenPortName() {
        ServiceRecord s = service("default", WEB, number("web", "TCP", 80, 8080), number("admin", "TCP", 81, 8081));
        List<PodState> pods = new ArrayList<>(List.of(
                ready(web("p9", "n", "10.0.1.9")),
                ready(web("p10", "n", "10.0.1.10")),
                ready(web("p2", "n", "10.0.2.2")),
                ready(web("phigh", "n", "192.168.0.1")),
                ready(web("p1", "n", "10.0.1.1"))));
        Collections.reverse(pods);
        List<EndpointRecord> eps = EndpointsController.forService(s, pods);
        assertThat(eps).extracting(e -> e.ip() + " " + e.portName()).containsExactly(
                "10.0.1.1 admin", "10.0.1.1 web",
                "10.0.1.9 admin", "10.0.1.9 web",
                "10.0.1.10 admin", "10.0.1.10 web",
                "10.0.2.2 admin", "10.0.2.2 web",
                "192.168.0.1 admin", "192.168.0.1 web");
    }

    @Test
    void sortIsUnsignedAboveOneTwentySeven() {
        List<EndpointRecord> eps = EndpointsController.forService(ARTICLE,
                List.of(ready(web("hi", "n", "200.0.0.1")), ready(web("lo", "n", "10.0.0.1"))));
        assertThat(eps).extracting(EndpointRecord::podName).containsExactly("lo", "hi");
    }

    // ------------------------------------------------------------------ Endpoints written by hand

    static EndpointsManifest manifest(EndpointsManifest.Subset... subsets) {
        return new EndpointsManifest(new ObjectMeta("database", "default", Map.of(), Map.of()), List.of(subsets), "m.yaml:12");
    }

    @Test
    void articleDatabaseEndpoints() {
        EndpointsManifest m = manifest(new EndpointsManifest.Subset(
                List.of(new EndpointsManifest.Address(ip("192.0.2.42"), null)), List.of(),
                List.of(new EndpointsManifest.Port("", 5432, "TCP"))));
        assertThat(EndpointsController.fromManifest(m))
                .containsExactly(new EndpointRecord(ip("192.0.2.42"), null, null, true, "", 5432, "TCP"));
    }

    @Test
    void fromManifestPerPortReadyThenNotReady() {
        EndpointsManifest m = manifest(
                new EndpointsManifest.Subset(
                        List.of(new EndpointsManifest.Address(ip("10.0.0.1"), "node1"), new EndpointsManifest.Address(ip("10.0.0.2"), null)),
                        List.of(new EndpointsManifest.Address(ip("10.0.0.3"), "node2")),
                        List.of(new EndpointsManifest.Port("http", 80, "TCP"), new EndpointsManifest.Port("dns", 53, "UDP"))),
                new EndpointsManifest.Subset(List.of(), List.of(new EndpointsManifest.Address(ip("10.0.0.9"), null)),
                        List.of(new EndpointsManifest.Port("http", 8080, "TCP"))));
        assertThat(EndpointsController.fromManifest(m)).containsExactly(
                new EndpointRecord(ip("10.0.0.1"), "node1", null, true, "http", 80, "TCP"),
                new EndpointRecord(ip("10.0.0.2"), null, null, true, "http", 80, "TCP"),
                new EndpointRecord(ip("10.0.0.3"), "node2", null, false, "http", 80, "TCP"),
                new EndpointRecord(ip("10.0.0.1"), "node1", null, true, "dns", 53, "UDP"),
                new EndpointRecord(ip("10.0.0.2"), null, null, true, "dns", 53, "UDP"),
                new EndpointRecord(ip("10.0.0.3"), "node2", null, false, "dns", 53, "UDP"),
                new EndpointRecord(ip("10.0.0.9"), null, null, false, "http", 8080, "TCP"));
    }

    @Test
    void fromManifestWithoutPortsOrSubsetsIsEmpty() {
        assertThat(EndpointsController.fromManifest(manifest())).isEmpty();
        assertThat(EndpointsController.fromManifest(manifest(new EndpointsManifest.Subset(
                List.of(new EndpointsManifest.Address(ip("10.0.0.1"), null)), List.of(), List.of())))).isEmpty();
    }

    @Test
    void aTerminatingPodIsNotReadyButServingAndTerminatingAndLeavesTheEndpointsObject() {
        PodRecord a = web("a", "node1", "10.0.1.2");
        PodRecord b = web("b", "node2", "10.0.2.2").withDeletion(new io.kubenetlab.model.PodDeletion(0, 30));
        List<EndpointRecord> eps = EndpointsController.forService(ARTICLE, List.of(ready(a), ready(b), new PodState(web("c", "node2", "10.0.2.3")
                .withDeletion(new io.kubenetlab.model.PodDeletion(0, 30)), false, false)));
        EndpointRecord eb = eps.stream().filter(e -> e.podName().equals("b")).findFirst().orElseThrow();
        assertThat(eb.ready()).isFalse();
        assertThat(eb.serving()).isTrue();
        assertThat(eb.terminating()).isTrue();
        EndpointRecord ec = eps.stream().filter(e -> e.podName().equals("c")).findFirst().orElseThrow();
        assertThat(List.of(ec.ready(), ec.serving(), ec.terminating())).containsExactly(false, false, true);
        assertThat(eps.stream().filter(EndpointsController::inEndpointsObject).map(EndpointRecord::podName)).containsExactly("a");
        // publishNotReadyAddresses: every endpoint ready, terminating ones kept in the Endpoints object too
        List<EndpointRecord> all = EndpointsController.forService(publishingNotReady(ARTICLE), List.of(ready(b)));
        assertThat(all.get(0).ready()).isTrue();
        assertThat(all.get(0).terminating()).isTrue();
        assertThat(EndpointsController.inEndpointsObject(all.get(0))).isTrue();
    }
}
