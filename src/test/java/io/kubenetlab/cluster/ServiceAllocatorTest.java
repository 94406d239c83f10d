package io.kubenetlab.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.k8s.ObjectMeta;
import io.kubenetlab.k8s.Service;
import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.model.Topology.PortRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceAllocatorTest {
    static final java.time.Clock CLOCK = java.time.Clock.fixed(java.time.Instant.parse("2026-01-02T03:04:05Z"), java.time.ZoneOffset.UTC);


    private static final Cidr ARTICLE_CIDR = Cidr.parse("10.3.240.0/20");
    private static final Ipv4 ARTICLE_DNS = ip("10.3.240.10");
    private static final PortRange NODE_PORTS = new PortRange(30000, 32767);
    private static final String FILE = "/lab/manifests/svc.yaml";

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    private static ServiceAllocator article() {
        return new ServiceAllocator(ARTICLE_CIDR, NODE_PORTS, Set.of(ARTICLE_DNS), CLOCK);
    }

    private static ServiceAllocator withPool() {
        return new ServiceAllocator(ARTICLE_CIDR, NODE_PORTS, Set.of(ARTICLE_DNS), ip("203.0.113.100"), ip("203.0.113.101"), CLOCK);
    }

    static ServicePortSpec port(String name, int port, int nodePort) {
        return new ServicePortSpec(name, "TCP", port, 8080, null, nodePort);
    }

    /** A Service as the parser makes it, from {@code FILE} at {@code line}. */
    static Service svc(String name, String type, String clusterIP, int line, ServicePortSpec... ports) {
        boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
        return new Service(new ObjectMeta(name, "default", Map.of("tier", "web"), Map.of()), type,
                type.equals("ExternalName") ? null : Map.of("app", "web"), clusterIP, List.of(ports), List.of(), "None", 10800,
                external ? "Cluster" : null, type.equals("ExternalName") ? null : "Cluster", List.of(),
                type.equals("ExternalName") ? "db.example.com" : null, FILE + ":" + line);
    }

    static Service clusterIP(String name, String clusterIP) {
        return svc(name, "ClusterIP", clusterIP, 1, port("", 80, 0));
    }

    static Service nodePort(String name, int... nodePorts) {
        ServicePortSpec[] ports = new ServicePortSpec[nodePorts.length];
        for (int i = 0; i < nodePorts.length; i++) {
            ports[i] = port(nodePorts.length == 1 ? "" : "p" + i, 80 + i, nodePorts[i]);
        }
        return svc(name, "NodePort", null, 7, ports);
    }

    /** FNV-1a 32, written independently of the allocator's, as the reference for "derived from a hash of the name". */
    static long fnv1a(String s) {
        long h = 0x811c9dc5L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h = (h * 0x01000193L) & 0xffffffffL;
        }
        return h;
    }

    // ------------------------------------------------------------------ the hash

    @Test
    void hashIsFnv1a() {
        assertThat(Integer.toUnsignedLong(ServiceAllocator.hash(""))).isEqualTo(0x811c9dc5L);
        assertThat(Integer.toUnsignedLong(ServiceAllocator.hash("a"))).isEqualTo(0xe40c292cL);
        assertThat(Integer.toUnsignedLong(ServiceAllocator.hash("foobar"))).isEqualTo(0xbf9cf968L);
        for (String k : List.of("default/service-test", "default/service-test-nodeport", "kube-system/kube-dns", "ü/ß")) {
            assertThat(Integer.toUnsignedLong(ServiceAllocator.hash(k))).as(k).isEqualTo(fnv1a(k));
        }
    }

    // ------------------------------------------------------------------ ClusterIPs

    @Test
    void requestedClusterIPIsHonoured() {
        ServiceRecord r = article().admit(clusterIP("service-test", "10.3.241.152"));
        assertThat(r.clusterIP()).isEqualTo("10.3.241.152");
        assertThat(r.name()).isEqualTo("service-test");
        assertThat(r.namespace()).isEqualTo("default");
        assertThat(r.key()).isEqualTo("default/service-test");
        assertThat(r.type()).isEqualTo("ClusterIP");
        assertThat(r.labels()).isEqualTo(Map.of("tier", "web"));
        assertThat(r.selector()).isEqualTo(Map.of("app", "web"));
        assertThat(r.ports()).containsExactly(port("", 80, 0));
        assertThat(r.loadBalancerIPs()).isEmpty();
        assertThat(r.sessionAffinity()).isEqualTo("None");
        assertThat(r.affinityTimeoutSeconds()).isEqualTo(10800);
        assertThat(r.externalTrafficPolicy()).isNull();
        assertThat(r.internalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(Instant.parse(r.createdAt())).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void requestedDnsAddressIsAllowedOnlyAllocationAvoidsIt() {
        // "addresses no Service may take by allocation": a kube-dns Service may ask for it
        assertThat(article().admit(clusterIP("kube-dns", "10.3.240.10")).clusterIP()).isEqualTo("10.3.240.10");
    }

    @Test
    void allocationIsDerivedFromTheNameHash() {
        for (String name : List.of("service-test", "service-test-nodeport", "service-test-lb", "web", "db")) {
            long start = fnv1a("default/" + name) % (ARTICLE_CIDR.size() - 2);
            Ipv4 expected = ARTICLE_CIDR.address(1 + start);
            if (expected.equals(ARTICLE_DNS)) expected = ARTICLE_CIDR.address(2 + start);
            assertThat(article().admit(clusterIP(name, null)).clusterIP()).as(name).isEqualTo(expected.toString());
        }
    }

    @Test
    void sameServiceGetsTheSameIPInEveryAllocator() {
        ServiceAllocator a = article();
        ServiceAllocator b = article();
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (String name : List.of("one", "two", "three", "four")) {
            first.add(a.admit(clusterIP(name, null)).clusterIP());
            second.add(b.admit(clusterIP(name, null)).clusterIP());
        }
        assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
        assertThat(first).allSatisfy(s -> assertThat(ARTICLE_CIDR.contains(ip(s))).isTrue());
    }

    @Test
    void namespaceIsPartOfTheKey() {
        Service a = clusterIP("web", null);
        Service b = new Service(new ObjectMeta("web", "shop", Map.of(), Map.of()), "ClusterIP", null, null, a.ports(), List.of(),
                "None", 10800, null, "Cluster", List.of(), null, FILE + ":1");
        long sa = fnv1a("default/web") % (ARTICLE_CIDR.size() - 2);
        long sb = fnv1a("shop/web") % (ARTICLE_CIDR.size() - 2);
        assertThat(sa).isNotEqualTo(sb);
        assertThat(article().admit(a).clusterIP()).isNotEqualTo(article().admit(b).clusterIP());
    }

    @Test
    void allocationProbesUpwardsPastATakenAddress() {
        ServiceAllocator a = article();
        String ip = a.admit(clusterIP("web", null)).clusterIP();
        // the same name again (another namespace would differ): hash lands on a taken address, the next one is used
        String again = a.admit(clusterIP("web", null)).clusterIP();
        assertThat(ip(again)).isEqualTo(nextUsable(ip(ip)));
    }

    private static Ipv4 nextUsable(Ipv4 ip) {
        Ipv4 n = ip.plus(1);
        if (n.equals(ARTICLE_DNS)) n = n.plus(1);
        if (n.equals(ARTICLE_CIDR.broadcast())) n = ARTICLE_CIDR.address(1);
        return n;
    }

    @Test
    void allocationNeverTakesTheDnsAddress() {
        Cidr small = Cidr.parse("10.96.0.0/28"); // 14 usable, start = hash % 14, address = 1 + start
        Ipv4 dns = small.address(10);
        String name = null;
        for (int i = 0; name == null; i++) {
            if (fnv1a("default/s" + i) % 14 == 9) name = "s" + i;
        }
        ServiceAllocator a = new ServiceAllocator(small, NODE_PORTS, Set.of(dns), CLOCK);
        assertThat(a.admit(clusterIP(name, null)).clusterIP()).as("hash lands on .10, the DNS address").isEqualTo("10.96.0.11");
        // without the reservation it would have been .10: the reservation is what moved it
        assertThat(new ServiceAllocator(small, NODE_PORTS, Set.of(), CLOCK).admit(clusterIP(name, null)).clusterIP()).isEqualTo("10.96.0.10");
    }

    @Test
    void fillingASmallRangeNeverTakesNetworkBroadcastOrDns() {
        Cidr small = Cidr.parse("10.96.0.0/28");
        ServiceAllocator a = new ServiceAllocator(small, NODE_PORTS, Set.of(small.address(10)), CLOCK);
        Set<String> got = new HashSet<>();
        for (int i = 0; i < 13; i++) got.add(a.admit(clusterIP("s" + i, null)).clusterIP());
        assertThat(got).hasSize(13).doesNotContain("10.96.0.0", "10.96.0.15", "10.96.0.10");
        assertThatThrownBy(() -> a.admit(clusterIP("one-too-many", null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no free ClusterIP left in 10.96.0.0/28");
    }

    @Test
    void slash30HasTwoServiceAddresses() {
        Cidr tiny = Cidr.parse("10.96.0.0/30");
        ServiceAllocator a = new ServiceAllocator(tiny, NODE_PORTS, Set.of(), CLOCK);
        Set<String> got = Set.of(a.admit(clusterIP("a", null)).clusterIP(), a.admit(clusterIP("b", null)).clusterIP());
        assertThat(got).containsExactlyInAnyOrder("10.96.0.1", "10.96.0.2");
        assertThatThrownBy(() -> a.admit(clusterIP("c", null))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requestedIPAlreadyAllocated() {
        ServiceAllocator a = article();
        a.admit(clusterIP("service-test", "10.3.241.152"));
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> a.admit(svc("other", "ClusterIP", "10.3.241.152", 12, port("", 80, 0))));
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.field()).isEqualTo("spec.clusterIPs");
        assertThat(e.reason()).isEqualTo("Invalid value: []string{\"10.3.241.152\"}: failed to allocate IP 10.3.241.152: "
                + "provided IP is already allocated");
        assertThat(e.getMessage()).startsWith(FILE + ":12: spec.clusterIPs: Invalid value: ");
    }

    @Test
    void requestedIPCollidesWithAnAllocatedOne() {
        ServiceAllocator a = article();
        String taken = a.admit(clusterIP("web", null)).clusterIP();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> a.admit(clusterIP("pinned", taken)));
        assertThat(e.reason()).endsWith("provided IP is already allocated");
    }

    @Test
    void requestedIPOutsideTheRange() {
        for (String bad : List.of("10.4.0.1", "10.3.239.255", "192.168.0.1", "10.3.240.0", "10.3.255.255")) {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> article().admit(clusterIP("s", bad)));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.field()).isEqualTo("spec.clusterIPs");
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.reason()).isEqualTo("Invalid value: []string{\"" + bad + "\"}: failed to allocate IP " + bad
                    + ": the provided IP (" + bad + ") is not in the valid range. The range of valid IPs is 10.3.240.0/20");
        }
    }

    @Test
    void rangeEdgesJustInsideAreAccepted() {
        ServiceAllocator a = article();
        assertThat(a.admit(clusterIP("first", "10.3.240.1")).clusterIP()).isEqualTo("10.3.240.1");
        assertThat(a.admit(clusterIP("last", "10.3.255.254")).clusterIP()).isEqualTo("10.3.255.254");
    }

    @Test
    void headlessAndExternalNameTakeNoAddress() {
        Cidr tiny = Cidr.parse("10.96.0.0/30");
        ServiceAllocator a = new ServiceAllocator(tiny, NODE_PORTS, Set.of(), CLOCK);
        ServiceRecord headless = a.admit(svc("headless", "ClusterIP", Service.NONE, 1, port("", 8080, 0)));
        assertThat(headless.clusterIP()).isEqualTo("None");
        assertThat(headless.headless()).isTrue();
        ServiceRecord again = a.admit(svc("headless2", "ClusterIP", Service.NONE, 1, port("", 8080, 0)));
        assertThat(again.clusterIP()).isEqualTo("None");
        ServiceRecord ext = a.admit(svc("ext", "ExternalName", null, 1));
        assertThat(ext.clusterIP()).isNull();
        assertThat(ext.externalName()).isEqualTo("db.example.com");
        assertThat(ext.ports()).isEmpty();
        // both usable addresses are still free
        assertThat(Set.of(a.admit(clusterIP("a", null)).clusterIP(), a.admit(clusterIP("b", null)).clusterIP()))
                .containsExactlyInAnyOrder("10.96.0.1", "10.96.0.2");
    }

    // ------------------------------------------------------------------ nodePorts

    @Test
    void requestedNodePortIsHonoured() {
        ServiceRecord r = article().admit(svc("service-test-nodeport", "NodePort", null, 7, port("", 80, 30080)));
        assertThat(r.ports()).containsExactly(port("", 80, 30080));
        assertThat(r.externalTrafficPolicy()).isEqualTo("Cluster");
    }

    @Test
    void nodePortRangeEdgesAreAccepted() {
        ServiceAllocator a = article();
        assertThat(a.admit(nodePort("lo", 30000)).ports().get(0).nodePort()).isEqualTo(30000);
        assertThat(a.admit(nodePort("hi", 32767)).ports().get(0).nodePort()).isEqualTo(32767);
    }

    @Test
    void allocatedNodePortIsInRangeAndDeterministic() {
        ServiceRecord a = article().admit(nodePort("web", 0, 0));
        ServiceRecord b = article().admit(nodePort("web", 0, 0));
        assertThat(a.ports()).isEqualTo(b.ports());
        assertThat(a.ports()).extracting(ServicePortSpec::nodePort).allSatisfy(p -> assertThat(p).isBetween(30000, 32767))
                .doesNotHaveDuplicates();
        int size = 32767 - 30000 + 1;
        int expected = 30000 + (int) (fnv1a("default/web:p0/TCP") % size);
        assertThat(a.ports().get(0).nodePort()).isEqualTo(expected);
    }

    @Test
    void clusterIPServicesGetNoNodePort() {
        assertThat(article().admit(clusterIP("web", null)).ports().get(0).nodePort()).isZero();
    }

    @Test
    void loadBalancerGetsNodePortsToo() {
        ServiceRecord r = article().admit(svc("lb", "LoadBalancer", null, 1, port("", 80, 0)));
        assertThat(r.ports().get(0).nodePort()).isBetween(30000, 32767);
    }

    @Test
    void fillingASmallPortRange() {
        ServiceAllocator a = new ServiceAllocator(ARTICLE_CIDR, new PortRange(30000, 30004), Set.of(), CLOCK);
        Set<Integer> got = new HashSet<>();
        for (int i = 0; i < 5; i++) got.add(a.admit(nodePort("s" + i, 0)).ports().get(0).nodePort());
        assertThat(got).containsExactlyInAnyOrder(30000, 30001, 30002, 30003, 30004);
        assertThatThrownBy(() -> a.admit(nodePort("s5", 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no free nodePort left in 30000-30004");
    }

    @Test
    void allocationSkipsARequestedPort() {
        ServiceAllocator a = article();
        int wanted = a.admit(nodePort("web", 0)).ports().get(0).nodePort();
        ServiceAllocator b = article();
        b.admit(nodePort("pinned", wanted));
        int got = b.admit(nodePort("web", 0)).ports().get(0).nodePort();
        assertThat(got).isEqualTo(wanted == 32767 ? 30000 : wanted + 1);
    }

    @Test
    void nodePortAlreadyAllocated() {
        ServiceAllocator a = article();
        a.admit(nodePort("service-test-nodeport", 30080));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> a.admit(nodePort("other", 30090, 30080)));
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.field()).isEqualTo("spec.ports[1].nodePort");
        assertThat(e.reason()).isEqualTo("Invalid value: 30080: provided port is already allocated");
        assertThat(e.getMessage()).isEqualTo(FILE + ":7: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated");
    }

    @Test
    void sameNodePortTwiceInOneService() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> article().admit(nodePort("twice", 30080, 30080)));
        assertThat(e.field()).isEqualTo("spec.ports[1].nodePort");
        assertThat(e.reason()).isEqualTo("Invalid value: 30080: provided port is already allocated");
    }

    @Test
    void tcpAndUdpOfOnePortMayShareANodePort() {
        Service dns = svc("dns", "NodePort", null, 1, new ServicePortSpec("dns", "UDP", 53, 53, null, 30053),
                new ServicePortSpec("dns-tcp", "TCP", 53, 53, null, 30053));
        assertThat(article().admit(dns).ports()).extracting(ServicePortSpec::nodePort).containsExactly(30053, 30053);
    }

    @Test
    void nodePortOutsideTheRange() {
        for (int bad : new int[] {29999, 32768, 80, 65535}) {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> article().admit(nodePort("s", bad)));
            assertThat(e).as("%d", bad).isNotNull();
            assertThat(e.field()).isEqualTo("spec.ports[0].nodePort");
            assertThat(e.file()).isEqualTo(FILE);
            assertThat(e.line()).isEqualTo(7);
            assertThat(e.reason()).isEqualTo("Invalid value: " + bad
                    + ": provided port is not in the valid range. The range of valid ports is 30000-32767");
        }
    }

    @Test
    void customRangeIsNamedInTheError() {
        ServiceAllocator a = new ServiceAllocator(ARTICLE_CIDR, new PortRange(31000, 31999), Set.of(), CLOCK);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> a.admit(nodePort("s", 30080)));
        assertThat(e.reason()).endsWith("The range of valid ports is 31000-31999");
    }

    @Test
    void errorsNameTheManifestFileAndTheServicesLine(@TempDir Path dir) throws java.io.IOException {
        Path f = dir.resolve("svc.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: Service
                metadata:
                  name: service-test-nodeport
                spec:
                  type: NodePort
                  ports:
                    - port: 80
                      nodePort: 30080
                ---
                # the same nodePort again
                apiVersion: v1
                kind: Service
                metadata:
                  name: other
                spec:
                  type: NodePort
                  clusterIP: 10.3.241.152
                  ports:
                    - name: a
                      port: 80
                    - name: b
                      port: 81
                      nodePort: 30080
                """);
        List<KubeObject> objects = ManifestLoader.load(List.of(f));
        ServiceAllocator a = article();
        a.admit((Service) objects.get(0));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> a.admit((Service) objects.get(1)));
        assertThat(e.file()).isEqualTo(f.toString());
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.getMessage()).isEqualTo(f + ":12: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated");
    }

    // ------------------------------------------------------------------ a refused Service takes nothing

    @Test
    void refusedServiceReleasesItsRequestedIPAndPorts() {
        ServiceAllocator a = article();
        a.admit(nodePort("holder", 30080));
        Service bad = svc("web", "NodePort", "10.3.241.152", 3, port("a", 80, 30100), port("b", 81, 30080));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> a.admit(bad));
        assertThat(e.field()).isEqualTo("spec.ports[1].nodePort");
        Service fixed = svc("web", "NodePort", "10.3.241.152", 3, port("a", 80, 30100), port("b", 81, 30101));
        ServiceRecord r = a.admit(fixed);
        assertThat(r.clusterIP()).isEqualTo("10.3.241.152");
        assertThat(r.ports()).extracting(ServicePortSpec::nodePort).containsExactly(30100, 30101);
    }

    @Test
    void refusedServiceReleasesItsAllocatedIPAndPorts() {
        ServiceRecord fresh = article().admit(svc("web", "NodePort", null, 3, port("a", 80, 0), port("b", 81, 30081)));
        ServiceAllocator a = article();
        a.admit(nodePort("holder", 30080));
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> a.admit(svc("web", "NodePort", null, 3, port("a", 80, 0), port("b", 81, 30080))));
        assertThat(e).isNotNull();
        ServiceRecord r = a.admit(svc("web", "NodePort", null, 3, port("a", 80, 0), port("b", 81, 30081)));
        assertThat(r.clusterIP()).as("the allocated ClusterIP was given back").isEqualTo(fresh.clusterIP());
        assertThat(r.ports().get(0).nodePort()).as("the allocated nodePort was given back").isEqualTo(fresh.ports().get(0).nodePort());
    }

    @Test
    void refusedOutOfRangeNodePortReleasesToo() {
        ServiceAllocator a = article();
        assertThatThrownBy(() -> a.admit(svc("web", "NodePort", "10.3.241.152", 3, port("a", 80, 30100), port("b", 81, 80))))
                .isInstanceOf(ConfigException.class);
        ServiceRecord r = a.admit(svc("web", "NodePort", "10.3.241.152", 3, port("a", 80, 30100), port("b", 81, 30101)));
        assertThat(r.clusterIP()).isEqualTo("10.3.241.152");
    }

    @Test
    void refusedServiceDoesNotReleaseWhatOthersHold() {
        ServiceAllocator a = article();
        a.admit(nodePort("holder", 30080));
        assertThatThrownBy(() -> a.admit(nodePort("web", 30080))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> a.admit(nodePort("again", 30080)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("provided port is already allocated");
    }

    @Test
    void refusedServiceWithATakenIPDoesNotFreeTheOwnersIP() {
        ServiceAllocator a = article();
        a.admit(clusterIP("owner", "10.3.241.152"));
        assertThatThrownBy(() -> a.admit(clusterIP("thief", "10.3.241.152"))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> a.admit(clusterIP("thief2", "10.3.241.152")))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith("provided IP is already allocated");
    }

    // ------------------------------------------------------------------ restore

    static ServiceRecord record(String name, String type, String clusterIP, List<ServicePortSpec> ports, List<Ipv4> lbIPs) {
        return new ServiceRecord(name, "default", Map.of(), type, Map.of("app", "web"), clusterIP, ports, List.of(), lbIPs, "None",
                10800, null, "Cluster", List.of(), null, "2024-01-01T00:00:00Z");
    }

    @Test
    void restoredRecordsHoldTheirIPsAndPorts() {
        ServiceAllocator a = article();
        a.restore(record("old", "NodePort", "10.3.241.152", List.of(port("", 80, 30080)), List.of()));
        assertThat(catchThrowableOfType(ConfigException.class, () -> a.admit(clusterIP("new", "10.3.241.152"))).reason())
                .endsWith("provided IP is already allocated");
        assertThat(catchThrowableOfType(ConfigException.class, () -> a.admit(nodePort("new", 30080))).reason())
                .isEqualTo("Invalid value: 30080: provided port is already allocated");
    }

    @Test
    void allocationSkipsRestoredAddresses() {
        String usual = article().admit(clusterIP("web", null)).clusterIP();
        ServiceAllocator a = article();
        a.restore(record("old", "ClusterIP", usual, List.of(port("", 80, 0)), List.of()));
        assertThat(a.admit(clusterIP("web", null)).clusterIP()).isEqualTo(nextUsable(ip(usual)).toString());
    }

    @Test
    void restoringHeadlessAndExternalNameRecordsIsHarmless() {
        ServiceAllocator a = article();
        a.restore(record("h", "ClusterIP", "None", List.of(port("", 8080, 0)), List.of()));
        a.restore(record("e", "ExternalName", null, List.of(), List.of()));
        assertThat(a.admit(clusterIP("web", null)).clusterIP()).isEqualTo(article().admit(clusterIP("web", null)).clusterIP());
    }

    @Test
    void restoredLoadBalancerIPIsNotHandedOutAgain() {
        ServiceAllocator a = withPool();
        a.restore(record("old-lb", "LoadBalancer", "10.3.241.1", List.of(port("", 80, 30081)), List.of(ip("203.0.113.100"))));
        assertThat(a.admit(svc("new-lb", "LoadBalancer", null, 1, port("", 80, 0))).loadBalancerIPs()).containsExactly(ip("203.0.113.101"));
    }

    // ------------------------------------------------------------------ LoadBalancer IPs

    @Test
    void loadBalancerIPsComeFromThePoolInOrder() {
        ServiceAllocator a = withPool();
        assertThat(a.admit(svc("zz-first", "LoadBalancer", null, 1, port("", 80, 0))).loadBalancerIPs())
                .as("the first Service gets the first address, whatever its name").containsExactly(ip("203.0.113.100"));
        assertThat(a.admit(clusterIP("plain", null)).loadBalancerIPs()).isEmpty();
        assertThat(a.admit(nodePort("np", 0)).loadBalancerIPs()).isEmpty();
        assertThat(a.admit(svc("aa-second", "LoadBalancer", null, 1, port("", 80, 0))).loadBalancerIPs())
                .containsExactly(ip("203.0.113.101"));
    }

    @Test
    void aUsedUpPoolLeavesTheServicePendingLikeMetalLB() {
        ServiceAllocator a = withPool();
        a.admit(svc("a", "LoadBalancer", null, 1, port("", 80, 0)));
        a.admit(svc("b", "LoadBalancer", null, 1, port("", 80, 0)));
        ServiceRecord c = a.admit(svc("c", "LoadBalancer", "10.3.241.152", 1, port("", 80, 30090)));
        assertThat(c.loadBalancerIPs()).isEmpty();
        assertThat(c.clusterIP()).isEqualTo("10.3.241.152");
        assertThat(c.ports().get(0).nodePort()).isEqualTo(30090);
    }

    @Test
    void noPoolMeansPending() {
        ServiceRecord r = article().admit(svc("service-test-lb", "LoadBalancer", null, 1, port("", 80, 30081)));
        assertThat(r.loadBalancerIPs()).isEmpty();
        assertThat(r.ports().get(0).nodePort()).isEqualTo(30081);
        assertThat(r.clusterIP()).isNotNull();
    }

    @Test
    void articleServicesInOrder() {
        ServiceAllocator a = new ServiceAllocator(ARTICLE_CIDR, NODE_PORTS, Set.of(ARTICLE_DNS), ip("203.0.113.100"), ip("203.0.113.199"), CLOCK);
        ServiceRecord test = a.admit(clusterIP("service-test", "10.3.241.152"));
        ServiceRecord np = a.admit(svc("service-test-nodeport", "NodePort", null, 1, port("", 80, 30080)));
        ServiceRecord lb = a.admit(svc("service-test-lb", "LoadBalancer", null, 1, port("", 80, 30081)));
        ServiceRecord headless = a.admit(svc("service-test-headless", "ClusterIP", Service.NONE, 1, port("", 8080, 0)));
        assertThat(test.clusterIP()).isEqualTo("10.3.241.152");
        assertThat(np.ports().get(0).nodePort()).isEqualTo(30080);
        assertThat(lb.ports().get(0).nodePort()).isEqualTo(30081);
        assertThat(lb.loadBalancerIPs()).containsExactly(ip("203.0.113.100"));
        assertThat(headless.clusterIP()).isEqualTo("None");
        assertThat(Set.of(test.clusterIP(), np.clusterIP(), lb.clusterIP())).hasSize(3)
                .allSatisfy(s -> assertThat(ARTICLE_CIDR.contains(ip(s))).isTrue())
                .doesNotContain("10.3.240.10");
    }

    // ------------------------------------------------------------------ health check node port

    static Service lbLocal(String name, int line, int healthCheckNodePort, ServicePortSpec... ports) {
        Service s = svc(name, "LoadBalancer", null, line, ports);
        return new Service(s.metadata(), s.type(), s.selector(), s.clusterIP(), s.ports(), s.externalIPs(), s.sessionAffinity(),
                s.affinityTimeoutSeconds(), "Local", s.internalTrafficPolicy(), s.loadBalancerSourceRanges(), s.externalName(), s.source(),
                healthCheckNodePort, List.of(), false);
    }

    @Test
    void loadBalancerWithLocalPolicyGetsAHealthCheckNodePortFromTheNodePortRange() {
        ServiceAllocator a = withPool();
        ServiceRecord r = a.admit(lbLocal("web", 3, 0, port("http", 80, 0)));
        assertThat(r.healthCheckNodePort()).isBetween(30000, 32767).isNotEqualTo(r.ports().get(0).nodePort());
        // Deterministic, like every other allocation here.
        assertThat(withPool().admit(lbLocal("web", 3, 0, port("http", 80, 0))).healthCheckNodePort()).isEqualTo(r.healthCheckNodePort());
        // Cluster policy or another type: none.
        assertThat(a.admit(svc("np", "NodePort", null, 4, port("", 80, 0))).healthCheckNodePort()).isZero();
        assertThat(a.admit(svc("lb", "LoadBalancer", null, 5, port("", 80, 0))).healthCheckNodePort()).isZero();
    }

    @Test
    void requestedHealthCheckNodePortIsHonoured() {
        assertThat(article().admit(lbLocal("web", 3, 31000, port("http", 80, 0))).healthCheckNodePort()).isEqualTo(31000);
    }

    @Test
    void healthCheckNodePortCollidingWithANodePortIsAnInternalErrorAsUpstream() {
        ServiceAllocator a = article();
        a.admit(svc("np", "NodePort", null, 3, port("", 80, 30080)));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> a.admit(lbLocal("web", 7, 30080, port("http", 80, 0))));
        assertThat(e.getMessage()).isEqualTo(FILE + ":7: spec.healthCheckNodePort: Internal error occurred: "
                + "failed to allocate requested HealthCheck NodePort 30080: provided port is already allocated");
        // The refused Service took nothing: its nodePort and ClusterIP are free again.
        ServiceRecord again = a.admit(lbLocal("web", 7, 0, port("http", 80, 0)));
        assertThat(again.healthCheckNodePort()).isNotEqualTo(30080);
    }

    @Test
    void nodePortCollidingWithAHealthCheckNodePortIsRefused() {
        ServiceAllocator a = article();
        a.admit(lbLocal("web", 3, 31000, port("http", 80, 0)));
        assertThatThrownBy(() -> a.admit(svc("np", "NodePort", null, 9, port("", 80, 31000))))
                .hasMessage(FILE + ":9: spec.ports[0].nodePort: Invalid value: 31000: provided port is already allocated");
        assertThatThrownBy(() -> a.admit(lbLocal("other", 11, 31000, port("http", 80, 0))))
                .hasMessageEndingWith("failed to allocate requested HealthCheck NodePort 31000: provided port is already allocated");
    }

    @Test
    void healthCheckNodePortOutsideTheRange() {
        assertThatThrownBy(() -> article().admit(lbLocal("web", 3, 40000, port("http", 80, 0))))
                .hasMessage(FILE + ":3: spec.healthCheckNodePort: Internal error occurred: failed to allocate requested HealthCheck NodePort "
                        + "40000: provided port is not in the valid range. The range of valid ports is 30000-32767");
    }

    @Test
    void restoredHealthCheckNodePortIsTakenAndReleasedWithItsService() {
        ServiceRecord web = article().admit(lbLocal("web", 3, 31000, port("http", 80, 0)));
        ServiceAllocator restored = article();
        restored.restore(web);
        assertThatThrownBy(() -> restored.admit(svc("np", "NodePort", null, 9, port("", 80, 31000))))
                .hasMessageEndingWith("provided port is already allocated");
        // An allocator rebuilt without it (the Service deleted) hands the port out again.
        assertThat(article().admit(svc("np", "NodePort", null, 9, port("", 80, 31000))).ports().get(0).nodePort()).isEqualTo(31000);
    }
}
