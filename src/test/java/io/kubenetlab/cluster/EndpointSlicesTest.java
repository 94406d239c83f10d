package io.kubenetlab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.config.YamlNode;
import io.kubenetlab.k8s.EndpointSliceManifest;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.EndpointSliceRecord;
import io.kubenetlab.net.Ipv4;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slices merged into a Service's endpoints the way kube-proxy's endpointslicecache.go merges them. */
class EndpointSlicesTest {
    static EndpointSliceRecord slice(String name, String body) {
        String yaml = """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: %s, namespace: shop, labels: {kubernetes.io/service-name: web}}
                """.formatted(name) + body;
        var m = (EndpointSliceManifest) ManifestLoader.parse(YamlNode.loadAll("m.yaml", new StringReader(yaml)).get(0));
        return EndpointSlices.fromManifest(m, "2026-01-01T00:00:00Z");
    }

    static List<String> show(List<EndpointRecord> eps) {
        return eps.stream().map(e -> e.portName() + "/" + e.protocol() + " " + e.ip() + ":" + e.port()
                + " " + (e.ready() ? "R" : "-") + (e.serving() ? "S" : "-") + (e.terminating() ? "T" : "-")
                + (e.nodeName() == null ? "" : " @" + e.nodeName())).toList();
    }

    @Test
    void flattensEveryEndpointPerPortWithItsFirstAddressAndConditions() {
        EndpointSliceRecord s = slice("web-a", """
                addressType: IPv4
                ports: [{name: http, port: 8080}, {name: dns, port: 53, protocol: UDP}, {name: nonumber}]
                endpoints:
                  - {addresses: [10.1.0.5, 10.1.0.6], nodeName: n1, zone: z}
                  - {addresses: [10.1.0.7], conditions: {ready: false, serving: true, terminating: true}}
                """);
        assertThat(show(s.endpoints())).containsExactly(
                "http/TCP 10.1.0.5:8080 RS- @n1", "http/TCP 10.1.0.7:8080 -ST",
                "dns/UDP 10.1.0.5:53 RS- @n1", "dns/UDP 10.1.0.7:53 -ST");
        assertThat(s.serviceName()).isEqualTo("web");
    }

    @Test
    void severalSlicesAreOneListDeduplicatedByPortAndAddress() {
        EndpointSliceRecord a = slice("web-a", """
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints: [{addresses: [10.1.0.5]}, {addresses: [10.1.0.6]}]
                """);
        EndpointSliceRecord b = slice("web-b", """
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints: [{addresses: [10.1.0.6], nodeName: n2}, {addresses: [10.1.0.10]}]
                """);
        List<EndpointRecord> merged = EndpointSlices.merge("shop", "web", List.of(), List.of(b, a));
        // A later (by name) non-terminating duplicate wins: 10.1.0.6 from web-b, with its node.
        assertThat(show(merged)).containsExactly("http/TCP 10.1.0.5:8080 RS-", "http/TCP 10.1.0.6:8080 RS- @n2", "http/TCP 10.1.0.10:8080 RS-");
    }

    @Test
    void aTerminatingDuplicateNeverReplacesAnEndpoint() {
        EndpointSliceRecord a = slice("web-a", """
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints: [{addresses: [10.1.0.5], nodeName: n1}]
                """);
        EndpointSliceRecord b = slice("web-b", """
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints: [{addresses: [10.1.0.5], conditions: {ready: false, terminating: true}}]
                """);
        assertThat(show(EndpointSlices.merge("shop", "web", List.of(), List.of(a, b)))).containsExactly("http/TCP 10.1.0.5:8080 RS- @n1");
    }

    @Test
    void manualEndpointsComeFirstAsTheirMirroredSliceWould() {
        List<EndpointRecord> manual = List.of(new EndpointRecord(Ipv4.parse("192.0.2.42"), null, null, true, "http", 8080, "TCP"));
        EndpointSliceRecord a = slice("web-a", """
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints: [{addresses: [10.1.0.5]}, {addresses: [192.0.2.42], nodeName: n1}]
                """);
        assertThat(show(EndpointSlices.merge("shop", "web", manual, List.of(a))))
                .containsExactly("http/TCP 10.1.0.5:8080 RS-", "http/TCP 192.0.2.42:8080 RS- @n1");
    }

    @Test
    void slicesOfOtherServicesOrNamespacesOrAddressTypesAreIgnored() {
        EndpointSliceRecord v6 = slice("web-v6", "addressType: IPv6\nports: [{name: http, port: 8080}]\nendpoints: [{addresses: ['fd00::5']}]\n");
        EndpointSliceRecord a = slice("web-a", "addressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints: [{addresses: [10.1.0.5]}]\n");
        assertThat(v6.endpoints()).isEmpty();
        assertThat(EndpointSlices.merge("shop", "other", List.of(), List.of(a, v6))).isEmpty();
        assertThat(EndpointSlices.merge("default", "web", List.of(), List.of(a))).isEmpty();
        List<EndpointRecord> base = List.of(new EndpointRecord(Ipv4.parse("10.9.0.1"), null, "p", true, "http", 80, "TCP"));
        assertThat(EndpointSlices.merge("shop", "other", base, List.of(a))).isSameAs(base);
    }
}
