package io.kubenetlab.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.k8s.EndpointSliceManifest;
import io.kubenetlab.k8s.KubeObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** discovery.k8s.io/v1 EndpointSlices read through {@link ManifestLoader}: defaults and the API server's validation words. */
class EndpointSliceParserTest {
    @TempDir
    Path dir;

    private static final String HEAD = """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-1
              namespace: shop
              labels: {kubernetes.io/service-name: web}
            """;

    private static KubeObject parse(String yaml) {
        return ManifestLoader.parse(YamlNode.loadAll("m.yaml", new StringReader(yaml)).get(0));
    }

    private static EndpointSliceManifest slice(String yaml) {
        return (EndpointSliceManifest) parse(yaml);
    }

    @Test
    void readsEveryFieldKubeProxyUses() {
        EndpointSliceManifest s = slice(HEAD + """
                addressType: IPv4
                ports:
                  - {name: http, port: 8080, protocol: TCP, appProtocol: http}
                  - {name: dns, port: 53, protocol: UDP}
                endpoints:
                  - addresses: [10.1.0.5]
                    conditions: {ready: true, serving: true, terminating: false}
                    nodeName: node1
                    zone: zone-a
                    hostname: web-a
                    targetRef: {kind: Pod, name: web-a, namespace: shop, uid: 1234}
                  - addresses: [10.2.0.7]
                    conditions: {ready: false, serving: true, terminating: true}
                    nodeName: node2
                  - addresses: [10.2.0.9]
                """);
        assertThat(s.metadata().key()).isEqualTo("shop/web-1");
        assertThat(s.serviceName()).isEqualTo("web");
        assertThat(s.controllerManaged()).isFalse();
        assertThat(s.proxied()).isTrue();
        assertThat(s.ports()).containsExactly(new EndpointSliceManifest.Port("http", 8080, "TCP"), new EndpointSliceManifest.Port("dns", 53, "UDP"));
        assertThat(s.endpoints()).hasSize(3);
        EndpointSliceManifest.Endpoint a = s.endpoints().get(0);
        assertThat(a.addresses()).containsExactly("10.1.0.5");
        assertThat(a.nodeName()).isEqualTo("node1");
        assertThat(a.zone()).isEqualTo("zone-a");
        assertThat(List.of(a.ready(), a.serving(), a.terminating())).containsExactly(true, true, false);
        EndpointSliceManifest.Endpoint b = s.endpoints().get(1);
        assertThat(List.of(b.ready(), b.serving(), b.terminating())).containsExactly(false, true, true);
        // Unset conditions: kube-proxy reads ready and serving as true, terminating as false (endpointslicecache.go).
        EndpointSliceManifest.Endpoint c = s.endpoints().get(2);
        assertThat(c.readyCondition()).isNull();
        assertThat(List.of(c.ready(), c.serving(), c.terminating())).containsExactly(true, true, false);
    }

    @Test
    void defaultsPortNameAndProtocolAndAllowsAPortWithoutANumber() {
        EndpointSliceManifest s = slice(HEAD + "addressType: IPv4\nports:\n  - {port: 80}\n  - {name: all}\n");
        assertThat(s.ports()).containsExactly(new EndpointSliceManifest.Port("", 80, "TCP"), new EndpointSliceManifest.Port("all", 0, "TCP"));
        assertThat(s.endpoints()).isEmpty();
    }

    @Test
    void aSliceWithoutTheServiceNameLabelIsValidButFeedsNoService() {
        EndpointSliceManifest s = slice(HEAD.replace("  labels: {kubernetes.io/service-name: web}\n", "") + "addressType: IPv4\n");
        assertThat(s.serviceName()).isNull();
        assertThat(s.proxied()).isFalse();
    }

    @Test
    void ipv6AndFqdnSlicesAreValidButNotProxied() {
        assertThat(slice(HEAD + "addressType: IPv6\nendpoints:\n  - addresses: ['fd00::5']\n").proxied()).isFalse();
        assertThat(slice(HEAD + "addressType: FQDN\nendpoints:\n  - addresses: [db.example.com]\n").proxied()).isFalse();
    }

    @Test
    void theControllersLabelMarksADerivedSlice() {
        EndpointSliceManifest s = slice(HEAD.replace("{kubernetes.io/service-name: web}",
                "{kubernetes.io/service-name: web, endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}") + "addressType: IPv4\n");
        assertThat(s.controllerManaged()).isTrue();
    }

    static Stream<Arguments> badSlices() {
        String v4 = HEAD + "addressType: IPv4\n";
        return Stream.of(
                Arguments.of("no addressType", HEAD + "ports: []\n", "addressType", "Required value"),
                Arguments.of("unknown addressType", HEAD + "addressType: IP\n", "addressType",
                        "Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\""),
                Arguments.of("bad IPv4", v4 + "endpoints:\n  - addresses: [10.1.0.300]\n", "endpoints[0].addresses[0]",
                        "Invalid value: \"10.1.0.300\": must be a valid IPv4 address"),
                Arguments.of("IPv6 in an IPv4 slice", v4 + "endpoints:\n  - addresses: ['fd00::1']\n", "endpoints[0].addresses[0]",
                        "Invalid value: \"fd00::1\": must be a valid IPv4 address"),
                Arguments.of("loopback", v4 + "endpoints:\n  - addresses: [127.0.0.1]\n", "endpoints[0].addresses[0]",
                        "Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"),
                Arguments.of("link-local", v4 + "endpoints:\n  - addresses: [169.254.169.254]\n", "endpoints[0].addresses[0]",
                        "may not be in the link-local range (169.254.0.0/16, fe80::/10)"),
                Arguments.of("unspecified", v4 + "endpoints:\n  - addresses: [0.0.0.0]\n", "endpoints[0].addresses[0]",
                        "may not be unspecified (0.0.0.0)"),
                Arguments.of("bad IPv6", HEAD + "addressType: IPv6\nendpoints:\n  - addresses: [10.1.0.5]\n", "endpoints[0].addresses[0]",
                        "Invalid value: \"10.1.0.5\": must be a valid IPv6 address"),
                Arguments.of("bad FQDN", HEAD + "addressType: FQDN\nendpoints:\n  - addresses: [db]\n", "endpoints[0].addresses[0]",
                        "should be a domain with at least two segments separated by dots"),
                Arguments.of("no addresses", v4 + "endpoints:\n  - nodeName: node1\n", "endpoints[0].addresses",
                        "Required value: must contain at least 1 address"),
                Arguments.of("bad nodeName", v4 + "endpoints:\n  - addresses: [10.1.0.5]\n    nodeName: Node_1\n", "endpoints[0].nodeName",
                        "Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain"),
                Arguments.of("condition not a boolean", v4 + "endpoints:\n  - addresses: [10.1.0.5]\n    conditions: {ready: maybe}\n",
                        "endpoints[0].conditions.ready", "must be true or false"),
                Arguments.of("unknown condition", v4 + "endpoints:\n  - addresses: [10.1.0.5]\n    conditions: {healthy: true}\n",
                        "endpoints[0].conditions.healthy", "unknown field \"healthy\""),
                Arguments.of("port 0", v4 + "ports:\n  - {name: http, port: 0}\n", "ports[0].port",
                        "Invalid value: 0: must be between 1 and 65535, inclusive"),
                Arguments.of("port 65536", v4 + "ports:\n  - {name: http, port: 65536}\n", "ports[0].port",
                        "Invalid value: 65536: must be between 1 and 65535, inclusive"),
                Arguments.of("bad protocol", v4 + "ports:\n  - {name: http, port: 80, protocol: tcp}\n", "ports[0].protocol",
                        "Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
                Arguments.of("bad port name", v4 + "ports:\n  - {name: HTTP, port: 80}\n", "ports[0].name",
                        "Invalid value: \"HTTP\": a lowercase RFC 1123 label"),
                Arguments.of("duplicate port name", v4 + "ports:\n  - {name: http, port: 80}\n  - {name: http, port: 81}\n", "ports[1].name",
                        "Duplicate value: \"http\""),
                Arguments.of("two unnamed ports", v4 + "ports:\n  - {port: 80}\n  - {port: 81}\n", "ports[1].name", "Duplicate value: \"\""),
                Arguments.of("a typo at the top", v4 + "endpoint: []\n", "endpoint", "unknown field \"endpoint\""),
                Arguments.of("wrong apiVersion", HEAD.replace("discovery.k8s.io/v1", "discovery.k8s.io/v1beta1") + "addressType: IPv4\n",
                        "apiVersion", "does not serve kind EndpointSlice (use discovery.k8s.io/v1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSlices")
    void rejectsBadSlicesNamingTheField(String description, String yaml, String field, String reason) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as(description).isNotNull();
        assertThat(e.field()).as(description).isEqualTo(field);
        assertThat(e.reason()).as(description).contains(reason);
    }

    @Test
    void anErrorNamesTheFileAndLine() throws Exception {
        Path f = Files.writeString(dir.resolve("slice.yaml"), HEAD + "addressType: IPv4\nendpoints:\n  - addresses: [10.1.0.5, 10.1.0.x]\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ManifestLoader.load(List.of(f)));
        assertThat(e.getMessage()).isEqualTo(f + ":9: endpoints[0].addresses[1]: Invalid value: \"10.1.0.x\": must be a valid IPv4 address");
    }
}
