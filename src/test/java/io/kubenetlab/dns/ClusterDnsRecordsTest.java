package io.kubenetlab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterDnsRecordsTest {

    private static final String DOMAIN = "cluster.local";

    // ------------------------------------------------------------------ builders

    static ServiceRecord service(String name, String namespace, String type, String clusterIP, String externalName,
                                 ServicePortSpec... ports) {
        return new ServiceRecord(name, namespace, Map.of(), type, type.equals("ExternalName") ? null : Map.of("app", name),
                clusterIP, List.of(ports), List.of(), List.of(), "None", 10800, "Cluster", "Cluster", List.of(), externalName,
                "2024-01-01T00:00:00Z");
    }

    static ServiceRecord clusterIP(String name, String clusterIP, ServicePortSpec... ports) {
        return service(name, "default", "ClusterIP", clusterIP, null, ports);
    }

    static ServiceRecord headless(String name, ServicePortSpec... ports) {
        return service(name, "default", "ClusterIP", "None", null, ports);
    }

    static ServiceRecord externalName(String name, String target) {
        return service(name, "default", "ExternalName", null, target);
    }

    static ServicePortSpec port(String name, String protocol, int port, int target) {
        return new ServicePortSpec(name, protocol, port, target, null, 0);
    }

    static EndpointRecord ready(String ip, String portName, int port) {
        return new EndpointRecord(Ipv4.parse(ip), "node1", "pod-" + ip, true, portName, port, "TCP");
    }

    static EndpointRecord notReady(String ip, String portName, int port) {
        return new EndpointRecord(Ipv4.parse(ip), "node1", "pod-" + ip, false, portName, port, "TCP");
    }

    private static Map<String, List<DnsRecord>> zone(List<ServiceRecord> services, Map<String, List<EndpointRecord>> endpoints) {
        return ClusterDnsRecords.zone(DOMAIN, services, endpoints);
    }

    private static DnsRecord a(String ip) {
        return new DnsRecord("A", ip);
    }

    // ------------------------------------------------------------------ ClusterIP

    @Test
    void clusterIpServiceIsOneARecordOfItsClusterIp() {
        var z = zone(List.of(clusterIP("service-test", "10.3.241.152", port("", "TCP", 80, 8080))),
                Map.of("default/service-test", List.of(ready("10.0.1.2", "", 8080), ready("10.0.2.2", "", 8080))));

        assertThat(z).containsExactly(entry("service-test.default.svc.cluster.local.", List.of(a("10.3.241.152"))));
    }

    @Test
    void clusterIpServiceWithoutEndpointsStillResolves() {
        var z = zone(List.of(clusterIP("web", "10.3.240.20", port("", "TCP", 80, 80))), Map.of());

        assertThat(z).containsExactly(entry("web.default.svc.cluster.local.", List.of(a("10.3.240.20"))));
    }

    @Test
    void namespaceIsPartOfTheName() {
        var s = service("kube-dns", "kube-system", "ClusterIP", "10.3.240.10", null);

        assertThat(zone(List.of(s), Map.of())).containsOnlyKeys("kube-dns.kube-system.svc.cluster.local.");
    }

    @Test
    void nodePortAndLoadBalancerServicesResolveToTheirClusterIp() {
        var np = service("np", "default", "NodePort", "10.3.240.30", null, port("", "TCP", 80, 8080));
        var lb = service("lb", "default", "LoadBalancer", "10.3.240.31", null, port("", "TCP", 80, 8080));

        assertThat(zone(List.of(np, lb), Map.of())).containsOnly(
                entry("np.default.svc.cluster.local.", List.of(a("10.3.240.30"))),
                entry("lb.default.svc.cluster.local.", List.of(a("10.3.240.31"))));
    }

    @Test
    void clusterIpNamedPortsGetSrvToTheServiceNameAndServicePort() {
        var s = clusterIP("web", "10.3.240.20", port("http", "TCP", 80, 8080), port("dns", "UDP", 53, 5353));

        var z = zone(List.of(s), Map.of("default/web", List.of(ready("10.0.1.2", "http", 8080))));

        assertThat(z).containsOnly(
                entry("web.default.svc.cluster.local.", List.of(a("10.3.240.20"))),
                entry("_http._tcp.web.default.svc.cluster.local.",
                        List.of(new DnsRecord("SRV", "0 100 80 web.default.svc.cluster.local."))),
                entry("_dns._udp.web.default.svc.cluster.local.",
                        List.of(new DnsRecord("SRV", "0 100 53 web.default.svc.cluster.local."))));
    }

    @Test
    void unnamedPortsGetNoSrv() {
        var z = zone(List.of(clusterIP("web", "10.3.240.20", port("", "TCP", 80, 8080)),
                        headless("hl", port("", "TCP", 8080, 8080))),
                Map.of("default/hl", List.of(ready("10.0.1.2", "", 8080))));

        assertThat(z.keySet()).noneMatch(k -> k.startsWith("_"));
        assertThat(z.values()).allSatisfy(list -> assertThat(list).extracting(DnsRecord::type).doesNotContain("SRV"));
    }

    // ------------------------------------------------------------------ headless

    @Test
    void headlessServicePublishingNotReadyAddressesNamesItsNotReadyPods() {
        // The endpoints controller marks them ready (publishNotReadyAddresses), as CoreDNS reads EndpointSlices' ready.
        var s = headless("peers", port("", "TCP", 8080, 8080));
        var published = new ServiceRecord(s.name(), s.namespace(), s.labels(), s.type(), s.selector(), s.clusterIP(), s.ports(),
                s.externalIPs(), s.loadBalancerIPs(), s.sessionAffinity(), s.affinityTimeoutSeconds(), s.externalTrafficPolicy(),
                s.internalTrafficPolicy(), s.loadBalancerSourceRanges(), s.externalName(), s.createdAt(), 0, true);
        var pod = new io.kubenetlab.model.PodRecord("peer-0", "default", "uid", Map.of("app", "peers"), "ReplicaSet", "rs", "node1",
                Ipv4.parse("10.0.1.7"), "netns", "veth", "Always", List.of(), "2024-01-01T00:00:00Z", null);
        var notReady = List.of(new io.kubenetlab.cluster.EndpointsController.PodState(pod, false, false));
        var z = zone(List.of(published), Map.of("default/peers", io.kubenetlab.cluster.EndpointsController.forService(published, notReady)));
        assertThat(z.get("peers.default.svc.cluster.local.")).containsExactly(a("10.0.1.7"));
        assertThat(z.get("10-0-1-7.peers.default.svc.cluster.local.")).containsExactly(a("10.0.1.7"));
        var plain = zone(List.of(s), Map.of("default/peers", io.kubenetlab.cluster.EndpointsController.forService(s, notReady)));
        assertThat(plain.get("peers.default.svc.cluster.local.")).isEmpty();
    }

    @Test
    void headlessServiceHasOneAPerDistinctReadyEndpointAndADashedNamePerAddress() {
        var s = headless("service-test-headless", port("", "TCP", 8080, 8080), port("metrics", "TCP", 9090, 9090));
        var eps = List.of(
                ready("10.0.1.2", "", 8080), ready("10.0.1.2", "metrics", 9090), // same pod, two ports: one A
                ready("10.0.2.2", "", 8080),
                notReady("10.0.2.3", "", 8080)); // starting: not published

        var z = zone(List.of(s), Map.of("default/service-test-headless", eps));

        assertThat(z.get("service-test-headless.default.svc.cluster.local.")).containsExactlyInAnyOrder(a("10.0.1.2"), a("10.0.2.2"));
        assertThat(z.get("10-0-1-2.service-test-headless.default.svc.cluster.local.")).containsExactly(a("10.0.1.2"));
        assertThat(z.get("10-0-2-2.service-test-headless.default.svc.cluster.local.")).containsExactly(a("10.0.2.2"));
        assertThat(z).doesNotContainKey("10-0-2-3.service-test-headless.default.svc.cluster.local.");
        assertThat(z.values()).flatExtracting(l -> l).extracting(DnsRecord::data).noneMatch(d -> d.contains("10.0.2.3") || d.contains("10-0-2-3"));
    }

    @Test
    void headlessServiceWithNoReadyEndpointExistsWithNoRecords() {
        var s = headless("hl", port("", "TCP", 8080, 8080));

        var z = zone(List.of(s), Map.of("default/hl", List.of(notReady("10.0.1.2", "", 8080))));

        assertThat(z).containsExactly(entry("hl.default.svc.cluster.local.", List.of()));
    }

    @Test
    void headlessServiceWithoutAnyEndpointsExistsWithNoRecords() {
        assertThat(zone(List.of(headless("hl")), Map.of())).containsExactly(entry("hl.default.svc.cluster.local.", List.of()));
    }

    @Test
    void headlessNamedPortsGetSrvPerReadyEndpointWithEndpointPortAndDashedTarget() {
        var s = headless("hl", port("http", "TCP", 80, 8080), port("", "TCP", 9000, 9000));
        var eps = List.of(
                ready("10.0.1.2", "http", 8080),
                ready("10.0.2.2", "http", 8081),
                ready("10.0.2.2", "", 9000),
                notReady("10.0.2.3", "http", 8080));

        var z = zone(List.of(s), Map.of("default/hl", eps));

        assertThat(z.get("_http._tcp.hl.default.svc.cluster.local.")).containsExactlyInAnyOrder(
                new DnsRecord("SRV", "0 100 8080 10-0-1-2.hl.default.svc.cluster.local."),
                new DnsRecord("SRV", "0 100 8081 10-0-2-2.hl.default.svc.cluster.local."));
        assertThat(z.keySet()).filteredOn(k -> k.startsWith("_")).containsExactly("_http._tcp.hl.default.svc.cluster.local.");
        // every SRV target resolves in the same zone
        for (DnsRecord srv : z.get("_http._tcp.hl.default.svc.cluster.local.")) {
            assertThat(z).containsKey(srv.data().split(" ")[3]);
        }
    }

    @Test
    void headlessSrvMatchesEndpointProtocol() {
        var s = headless("dns", port("dns", "UDP", 53, 53), port("dns-tcp", "TCP", 53, 53));
        var eps = List.of(
                new EndpointRecord(Ipv4.parse("10.0.1.5"), "node1", "dns-0", true, "dns", 53, "UDP"),
                new EndpointRecord(Ipv4.parse("10.0.1.5"), "node1", "dns-0", true, "dns-tcp", 53, "TCP"));

        var z = zone(List.of(s), Map.of("default/dns", eps));

        assertThat(z.get("_dns._udp.dns.default.svc.cluster.local."))
                .containsExactly(new DnsRecord("SRV", "0 100 53 10-0-1-5.dns.default.svc.cluster.local."));
        assertThat(z.get("_dns-tcp._tcp.dns.default.svc.cluster.local."))
                .containsExactly(new DnsRecord("SRV", "0 100 53 10-0-1-5.dns.default.svc.cluster.local."));
        assertThat(z).doesNotContainKeys("_dns._tcp.dns.default.svc.cluster.local.", "_dns-tcp._udp.dns.default.svc.cluster.local.");
    }

    @Test
    void articleDatabaseSelectorlessHeadlessServiceResolvesToTheManualEndpoint() {
        // topologies/manifests/database.yaml: clusterIP None, no selector, only targetPort 5432; Endpoints 192.0.2.42:5432
        var db = new ServiceRecord("database", "default", Map.of(), "ClusterIP", null, "None",
                List.of(new ServicePortSpec("", "TCP", 5432, 5432, null, 0)), List.of(), List.of(), "None", 10800,
                "Cluster", "Cluster", List.of(), null, "2024-01-01T00:00:00Z");
        var manual = new EndpointRecord(Ipv4.parse("192.0.2.42"), null, null, true, "", 5432, "TCP");

        var z = zone(List.of(db), Map.of("default/database", List.of(manual)));

        assertThat(z).containsOnly(
                entry("database.default.svc.cluster.local.", List.of(a("192.0.2.42"))),
                entry("192-0-2-42.database.default.svc.cluster.local.", List.of(a("192.0.2.42"))));
    }

    @Test
    void endpointsOfOtherServicesAreNotMixedIn() {
        var z = zone(List.of(headless("a"), headless("b")),
                Map.of("default/a", List.of(ready("10.0.1.2", "", 80)), "default/b", List.of(ready("10.0.1.3", "", 80))));

        assertThat(z.get("a.default.svc.cluster.local.")).containsExactly(a("10.0.1.2"));
        assertThat(z.get("b.default.svc.cluster.local.")).containsExactly(a("10.0.1.3"));
    }

    @Test
    void sameServiceNameInTwoNamespacesGivesTwoNames() {
        var one = service("web", "default", "ClusterIP", "10.3.240.20", null);
        var two = service("web", "prod", "ClusterIP", "10.3.240.21", null);

        assertThat(zone(List.of(one, two), Map.of())).containsOnly(
                entry("web.default.svc.cluster.local.", List.of(a("10.3.240.20"))),
                entry("web.prod.svc.cluster.local.", List.of(a("10.3.240.21"))));
    }

    // ------------------------------------------------------------------ ExternalName

    @Test
    void externalNameIsACnameToTheLowerCasedFullyQualifiedName() {
        var z = zone(List.of(externalName("ext", "My.Database.Example.COM"), externalName("dotted", "already.example.org.")), Map.of());

        assertThat(z).containsOnly(
                entry("ext.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "my.database.example.com."))),
                entry("dotted.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "already.example.org."))));
    }

    @Test
    void externalNameIgnoresEndpointsAndPorts() {
        var s = service("ext", "default", "ExternalName", null, "db.example.com", port("pg", "TCP", 5432, 5432));

        var z = zone(List.of(s), Map.of("default/ext", List.of(ready("10.0.1.2", "pg", 5432))));

        assertThat(z).containsExactly(entry("ext.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "db.example.com."))));
    }

    // ------------------------------------------------------------------ names

    @Test
    void namesAreLowerCaseAndFullyQualified() {
        var s = service("Web", "Default", "ClusterIP", "None", null, port("HTTP", "TCP", 80, 80));
        var eps = Map.of("Default/Web", List.of(ready("10.0.1.2", "HTTP", 80)));

        var z = zone(List.of(s, externalName("Ext", "X.Example.com")), eps);

        assertThat(z.keySet()).isNotEmpty().allSatisfy(k -> {
            assertThat(k).isEqualTo(k.toLowerCase());
            assertThat(k).endsWith(".cluster.local.");
        });
        assertThat(z.values()).flatExtracting(l -> l).filteredOn(r -> !r.type().equals("A"))
                .extracting(DnsRecord::data).allSatisfy(d -> assertThat(d).endsWith("."));
    }

    @Test
    void otherClusterDomain() {
        var z = ClusterDnsRecords.zone("lab.internal", List.of(clusterIP("web", "10.3.240.20")), Map.of());

        assertThat(z).containsOnlyKeys("web.default.svc.lab.internal.");
    }

    @Test
    void zoneIsAPureFunction() {
        var services = List.of(clusterIP("web", "10.3.240.20", port("http", "TCP", 80, 80)),
                headless("hl", port("http", "TCP", 80, 80)), externalName("ext", "example.com"));
        Map<String, List<EndpointRecord>> eps = Map.of("default/hl", List.of(ready("10.0.1.2", "http", 80), ready("10.0.2.2", "http", 80)));

        assertThat(zone(services, eps)).isEqualTo(zone(services, eps));
    }

    @Test
    void fqdnAddsOneTrailingDotAndLowerCases() {
        assertThat(ClusterDnsRecords.fqdn("Example.COM")).isEqualTo("example.com.");
        assertThat(ClusterDnsRecords.fqdn("example.com.")).isEqualTo("example.com.");
    }
}
