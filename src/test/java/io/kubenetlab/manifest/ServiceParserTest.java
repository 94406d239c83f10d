package io.kubenetlab.manifest;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.k8s.Service;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.k8s.EndpointsManifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Services and Endpoints read through {@link ManifestLoader}: API defaults and the API server's validation wording. */
class ServiceParserTest {

    @TempDir
    Path dir;

    private static final String HEAD = """
            apiVersion: v1
            kind: Service
            metadata:
              name: s
            spec:
            """;

    /** A minimal ClusterIP Service; spec lines are indented by two spaces. */
    private static final String SIMPLE = HEAD + """
              selector:
                app: web
              ports:
                - port: 80
            """;

    private static List<KubeObject> parseAll(String yaml) {
        return YamlNode.loadAll("m.yaml", new StringReader(yaml)).stream().map(ManifestLoader::parse).toList();
    }

    private static Service service(String yaml) {
        List<KubeObject> objects = parseAll(yaml);
        assertThat(objects).hasSize(1);
        assertThat(objects.get(0)).isInstanceOf(Service.class);
        return (Service) objects.get(0);
    }

    private static EndpointsManifest endpoints(String yaml) {
        List<KubeObject> objects = parseAll(yaml);
        assertThat(objects).hasSize(1);
        return (EndpointsManifest) objects.get(0);
    }

    private static ConfigException error(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parseAll(yaml));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        assertThat(e.file()).isEqualTo("m.yaml");
        return e;
    }

    private Path write(String name, String text) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, text);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    // ------------------------------------------------------------------ defaults

    @Test
    void sessionAffinityNoneClearsItsConfigAsTheApiServersDefaultingDoes() {
        Service s = service(SIMPLE + "  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 60\n");
        assertThat(s.sessionAffinity()).isEqualTo("None");
        assertThat(s.affinityTimeoutSeconds()).isEqualTo(10800);
    }

    @Test
    void defaultsOfAMinimalService() {
        Service s = service(SIMPLE);
        assertThat(s.kind()).isEqualTo("Service");
        assertThat(s.metadata().key()).isEqualTo("default/s");
        assertThat(s.type()).isEqualTo("ClusterIP");
        assertThat(s.selector()).isEqualTo(Map.of("app", "web"));
        assertThat(s.clusterIP()).isNull();
        assertThat(s.headless()).isFalse();
        assertThat(s.hasNodePorts()).isFalse();
        assertThat(s.ports()).containsExactly(new ServicePortSpec("", "TCP", 80, 80, null, 0));
        assertThat(s.ports().get(0).targetPort()).isEqualTo("80");
        assertThat(s.externalIPs()).isEmpty();
        assertThat(s.sessionAffinity()).isEqualTo("None");
        assertThat(s.affinityTimeoutSeconds()).isEqualTo(10800);
        assertThat(s.externalTrafficPolicy()).isNull();
        assertThat(s.internalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(s.loadBalancerSourceRanges()).isEmpty();
        assertThat(s.externalName()).isNull();
        assertThat(s.source()).isEqualTo("m.yaml:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NodePort", "LoadBalancer"})
    void externalTrafficPolicyDefaultsToClusterForExternalTypes(String type) {
        Service s = service(SIMPLE + "  type: " + type + "\n");
        assertThat(s.type()).isEqualTo(type);
        assertThat(s.hasNodePorts()).isTrue();
        assertThat(s.externalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(s.internalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(s.ports().get(0).nodePort()).as("0: to be allocated").isZero();
    }

    @Test
    void publishNotReadyAddressesIsReadNotIgnored() {
        assertThat(service(SIMPLE).publishNotReadyAddresses()).isFalse();
        assertThat(service(SIMPLE + "  publishNotReadyAddresses: true\n").publishNotReadyAddresses()).isTrue();
        assertThat(service(SIMPLE + "  publishNotReadyAddresses: false\n").publishNotReadyAddresses()).isFalse();
        assertThat(service(SIMPLE + "  publishNotReadyAddresses: null\n").publishNotReadyAddresses()).isFalse();
        assertThat(error(SIMPLE + "  publishNotReadyAddresses: maybe\n").getMessage())
                .contains("spec.publishNotReadyAddresses").contains("must be true or false");
    }

    @Test
    void externalTrafficPolicyStaysNullForClusterIPEvenWithExternalIPs() {
        assertThat(service(SIMPLE + "  externalIPs: [192.0.2.10]\n").externalTrafficPolicy()).isNull();
    }

    @Test
    void protocolTargetPortAndNameAreKept() {
        Service s = service(HEAD + """
                  ports:
                    - name: dns
                      protocol: UDP
                      port: 53
                      targetPort: 5353
                    - name: dns-tcp
                      protocol: TCP
                      port: 53
                      targetPort: 5353
                    - name: sctp
                      protocol: SCTP
                      port: 9999
                """);
        assertThat(s.ports()).containsExactly(
                new ServicePortSpec("dns", "UDP", 53, 5353, null, 0),
                new ServicePortSpec("dns-tcp", "TCP", 53, 5353, null, 0),
                new ServicePortSpec("sctp", "SCTP", 9999, 9999, null, 0));
        assertThat(s.selector()).as("no selector: Endpoints come from the manifests").isNull();
    }

    @Test
    void emptySelectorMeansNoSelector() {
        assertThat(service(HEAD + "  selector: {}\n  ports:\n    - port: 80\n").selector()).isNull();
    }

    @Test
    void emptyClusterIPMeansAllocate() {
        assertThat(service(SIMPLE + "  clusterIP: \"\"\n").clusterIP()).isNull();
    }

    @Test
    void namedTargetPort() {
        Service s = service(HEAD + """
                  ports:
                    - port: 80
                      targetPort: http
                """);
        ServicePortSpec p = s.ports().get(0);
        assertThat(p.targetPortName()).isEqualTo("http");
        assertThat(p.targetPortNumber()).isZero();
        assertThat(p.targetPort()).isEqualTo("http");
    }

    @Test
    void sessionAffinityClientIPDefaultsAndExplicitTimeout() {
        Service def = service(SIMPLE + "  sessionAffinity: ClientIP\n");
        assertThat(def.sessionAffinity()).isEqualTo("ClientIP");
        assertThat(def.affinityTimeoutSeconds()).isEqualTo(10800);

        Service explicit = service(SIMPLE + """
                  sessionAffinity: ClientIP
                  sessionAffinityConfig:
                    clientIP:
                      timeoutSeconds: 60
                """);
        assertThat(explicit.affinityTimeoutSeconds()).isEqualTo(60);

        Service max = service(SIMPLE + """
                  sessionAffinity: ClientIP
                  sessionAffinityConfig:
                    clientIP:
                      timeoutSeconds: 86400
                """);
        assertThat(max.affinityTimeoutSeconds()).isEqualTo(86400);
    }

    @Test
    void policiesAndExternalsAreKept() {
        Service s = service(SIMPLE.replace("- port: 80", "- port: 80\n      nodePort: 30080") + """
                  type: LoadBalancer
                  clusterIP: 10.3.241.153
                  externalIPs: [192.0.2.10, 192.0.2.11]
                  externalTrafficPolicy: Local
                  internalTrafficPolicy: Local
                  loadBalancerSourceRanges: [198.51.100.0/24, " 203.0.113.0/25 "]
                  loadBalancerIP: 203.0.113.5
                  allocateLoadBalancerNodePorts: true
                  ipFamilyPolicy: SingleStack
                """);
        assertThat(s.clusterIP()).isEqualTo("10.3.241.153");
        assertThat(s.ports().get(0).nodePort()).isEqualTo(30080);
        assertThat(s.externalIPs()).containsExactly(ip("192.0.2.10"), ip("192.0.2.11"));
        assertThat(s.externalTrafficPolicy()).isEqualTo("Local");
        assertThat(s.internalTrafficPolicy()).isEqualTo("Local");
        assertThat(s.loadBalancerSourceRanges()).containsExactly(Cidr.parse("198.51.100.0/24"), Cidr.parse("203.0.113.0/25"));
    }

    @Test
    void externalTrafficPolicyAllowedOnClusterIPWithExternalIPs() {
        Service s = service(SIMPLE + "  externalIPs: [192.0.2.10]\n  externalTrafficPolicy: Local\n");
        assertThat(s.type()).isEqualTo("ClusterIP");
        assertThat(s.externalTrafficPolicy()).isEqualTo("Local");
    }

    @Test
    void clusterIPIsNormalised() {
        assertThat(service(SIMPLE + "  clusterIP: \" 10.3.241.152\"\n").clusterIP()).isEqualTo("10.3.241.152");
    }

    @Test
    void externalNameService() {
        Service s = service(HEAD + "  type: ExternalName\n  externalName: db.example.com\n");
        assertThat(s.type()).isEqualTo("ExternalName");
        assertThat(s.externalName()).isEqualTo("db.example.com");
        assertThat(s.clusterIP()).isNull();
        assertThat(s.ports()).isEmpty();
        assertThat(s.internalTrafficPolicy()).isNull();
        assertThat(s.externalTrafficPolicy()).isNull();
    }

    @Test
    void statusAndAnnotationsAreAccepted() {
        Service s = service("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: service-test
                  annotations:
                    service.beta.kubernetes.io/aws-load-balancer-ssl-ports: "443,8443"
                spec:
                  ports:
                    - port: 80
                status:
                  loadBalancer: {}
                """);
        assertThat(s.metadata().annotations()).containsEntry("service.beta.kubernetes.io/aws-load-balancer-ssl-ports", "443,8443");
    }

    // ------------------------------------------------------------------ health check node port and status

    private static final String LB_LOCAL = HEAD + """
              type: LoadBalancer
              externalTrafficPolicy: Local
              selector: {app: web}
              ports: [{port: 80}]
            """;

    @Test
    void healthCheckNodePortIsKeptForALoadBalancerWithLocalPolicy() {
        Service s = service(LB_LOCAL + "  healthCheckNodePort: 31000\n");
        assertThat(s.healthCheckNodePort()).isEqualTo(31000);
        assertThat(s.needsHealthCheck()).isTrue();
        assertThat(service(LB_LOCAL).healthCheckNodePort()).isZero();
    }

    @Test
    void healthCheckNodePortOnAServiceThatNeedsNoneIsAnError() {
        String cluster = LB_LOCAL.replace("externalTrafficPolicy: Local", "externalTrafficPolicy: Cluster");
        assertThat(error(cluster + "  healthCheckNodePort: 31000\n").getMessage()).isEqualTo("m.yaml:10: spec.healthCheckNodePort: "
                + "Invalid value: 31000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
        String nodePort = LB_LOCAL.replace("type: LoadBalancer", "type: NodePort");
        assertThat(error(nodePort + "  healthCheckNodePort: 31000\n").reason())
                .isEqualTo("Invalid value: 31000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
        // 0 means unset, as in the API.
        assertThat(service(cluster + "  healthCheckNodePort: 0\n").healthCheckNodePort()).isZero();
    }

    @Test
    void healthCheckNodePortNotReadyAddressesAndOptionsTogether() {
        Service s = service(LB_LOCAL + """
                  healthCheckNodePort: 31000
                  publishNotReadyAddresses: true
                  loadBalancerIP: 10.100.0.50
                  allocateLoadBalancerNodePorts: false
                status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}
                """);
        assertThat(s.healthCheckNodePort()).isEqualTo(31000);
        assertThat(s.publishNotReadyAddresses()).isTrue();
        assertThat(s.options().loadBalancerIP()).isEqualTo("10.100.0.50");
        assertThat(s.options().allocatesNodePorts()).isFalse();
        assertThat(s.statusIngressIPs()).containsExactly(ip("1.2.3.4"));
        assertThat(s.withHealthCheckNodePort(31001).options()).isEqualTo(s.options());
    }

    @Test
    void healthCheckNodePortMustBeAPortNumber() {
        assertThat(error(LB_LOCAL + "  healthCheckNodePort: 70000\n").reason()).isEqualTo("Invalid value: 70000: must be between 1 and 65535, inclusive");
        assertThat(error(LB_LOCAL + "  healthCheckNodePort: -1\n").reason()).isEqualTo("Invalid value: -1: must be between 1 and 65535, inclusive");
    }

    @Test
    void loadBalancerIngressIPsAreReadFromTheStatus() {
        Service s = service(LB_LOCAL + """
                status:
                  loadBalancer:
                    ingress:
                      - ip: 1.2.3.4
                      - hostname: lb.example.com
                      - {ip: 5.6.7.8, ipMode: VIP}
                      - {ip: 9.9.9.9, ipMode: Proxy}
                """);
        // Hostnames and proxying balancers (ipMode Proxy) give kube-proxy nothing to capture.
        assertThat(s.statusIngressIPs()).containsExactly(ip("1.2.3.4"), ip("5.6.7.8"));
        assertThat(error(LB_LOCAL + "status: {loadBalancer: {ingress: [{ip: 1.2.3}]}}\n").reason())
                .isEqualTo("Invalid value: \"1.2.3\": must be a valid IP address");
        assertThat(error(LB_LOCAL + "status: {loadBalancer: {ingress: [{ip: 1.2.3.4, ipMode: Magic}]}}\n").reason())
                .isEqualTo("Unsupported value: \"Magic\": supported values: \"Proxy\", \"VIP\"");
    }

    // ------------------------------------------------------------------ the article's Services

    @Test
    void articleClusterIPService() {
        Service s = service("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: service-test
                spec:
                  type: ClusterIP # Chỉ tạo Virtual IP
                  selector:
                    app: service_test_pod # Label selector
                  ports:
                    - protocol: TCP # Protocol
                      port: 80 # Port của Service
                      targetPort: 8080 # Port của Pod
                """);
        assertThat(s.type()).isEqualTo("ClusterIP");
        assertThat(s.selector()).isEqualTo(Map.of("app", "service_test_pod"));
        assertThat(s.ports()).containsExactly(new ServicePortSpec("", "TCP", 80, 8080, null, 0));
    }

    @Test
    void articleHeadlessServiceWithOnlyTargetPort() {
        Service s = service("""
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: service-test
                spec:
                  clusterIP: None # Không tạo Virtual IP
                  selector:
                    app: service_test_pod # Label selector
                  ports:
                    - protocol: TCP # Protocol
                      targetPort: 8080 # Port của Pod
                """);
        assertThat(s.headless()).isTrue();
        assertThat(s.clusterIP()).isEqualTo(Service.NONE);
        assertThat(s.type()).isEqualTo("ClusterIP");
        assertThat(s.ports()).as("a headless Service's port defaults to its targetPort")
                .containsExactly(new ServicePortSpec("", "TCP", 8080, 8080, null, 0));
        assertThat(s.source()).isEqualTo("m.yaml:2");
    }

    @Test
    void headlessServiceMayHaveNoPorts() {
        Service s = service(HEAD + "  clusterIP: None\n  selector:\n    app: web\n");
        assertThat(s.headless()).isTrue();
        assertThat(s.ports()).isEmpty();
    }

    @Test
    void articleDatabaseServiceAndManualEndpoints() {
        Path f = write("db.yaml", """
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: database
                spec:
                  clusterIP: None
                  ports:
                    - protocol: TCP
                      targetPort: 5432
                ---
                apiVersion: v1
                kind: Endpoints
                metadata:
                  name: database
                subsets:
                  - addresses:
                      - ip: 192.0.2.42
                    ports:
                      - port: 5432
                """);
        List<KubeObject> objects = ManifestLoader.load(List.of(f));
        assertThat(objects).extracting(KubeObject::kind).containsExactly("Service", "Endpoints");
        Service s = (Service) objects.get(0);
        assertThat(s.metadata().name()).isEqualTo("database");
        assertThat(s.headless()).isTrue();
        assertThat(s.selector()).isNull();
        assertThat(s.ports()).containsExactly(new ServicePortSpec("", "TCP", 5432, 5432, null, 0));
        assertThat(s.source()).isEqualTo(f + ":2");

        EndpointsManifest ep = (EndpointsManifest) objects.get(1);
        assertThat(ep.kind()).isEqualTo("Endpoints");
        assertThat(ep.metadata().key()).isEqualTo("default/database");
        assertThat(ep.source()).isEqualTo(f + ":12");
        assertThat(ep.subsets()).containsExactly(new EndpointsManifest.Subset(
                List.of(new EndpointsManifest.Address(ip("192.0.2.42"), null)),
                List.of(),
                List.of(new EndpointsManifest.Port("", 5432, "TCP"))));
    }

    @Test
    void articleVariantsFileLoads() {
        List<KubeObject> objects = ManifestLoader.load(List.of(Path.of("topologies/manifests/service-test-service.yaml"),
                Path.of("topologies/manifests/service-test-variants.yaml")));
        assertThat(objects).extracting(o -> ((Service) o).metadata().name() + " " + ((Service) o).type())
                .containsExactly("service-test ClusterIP", "service-test-nodeport NodePort", "service-test-lb LoadBalancer",
                        "service-test-headless ClusterIP");
        assertThat(((Service) objects.get(0)).clusterIP()).isEqualTo("10.3.241.152");
        assertThat(((Service) objects.get(1)).ports().get(0).nodePort()).isEqualTo(30080);
        assertThat(((Service) objects.get(2)).ports().get(0).nodePort()).isEqualTo(30081);
        assertThat(((Service) objects.get(3)).ports()).containsExactly(new ServicePortSpec("", "TCP", 8080, 8080, null, 0));
    }

    @Test
    void endpointsWithNotReadyAddressesNamedPortsAndNodeNames() {
        EndpointsManifest ep = endpoints("""
                apiVersion: v1
                kind: Endpoints
                metadata:
                  name: web
                  namespace: shop
                subsets:
                  - addresses:
                      - ip: 10.0.1.2
                        nodeName: node1
                    notReadyAddresses:
                      - ip: 10.0.2.2
                    ports:
                      - name: http
                        port: 8080
                      - name: dns
                        port: 53
                        protocol: UDP
                  - addresses:
                      - ip: 192.0.2.1
                    ports:
                      - port: 9
                """);
        assertThat(ep.metadata().key()).isEqualTo("shop/web");
        assertThat(ep.subsets()).hasSize(2);
        EndpointsManifest.Subset first = ep.subsets().get(0);
        assertThat(first.addresses()).containsExactly(new EndpointsManifest.Address(ip("10.0.1.2"), "node1"));
        assertThat(first.notReadyAddresses()).containsExactly(new EndpointsManifest.Address(ip("10.0.2.2"), null));
        assertThat(first.ports()).containsExactly(new EndpointsManifest.Port("http", 8080, "TCP"),
                new EndpointsManifest.Port("dns", 53, "UDP"));
        assertThat(ep.subsets().get(1).ports()).containsExactly(new EndpointsManifest.Port("", 9, "TCP"));
    }

    @Test
    void endpointsWithoutSubsets() {
        assertThat(endpoints("apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: e\n").subsets()).isEmpty();
    }

    @Test
    void serviceAndEndpointsMayShareANameButNotTwoServices() {
        Path a = write("a.yaml", SIMPLE);
        Path b = write("b.yaml", "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: s\n");
        assertThat(ManifestLoader.load(List.of(a, b))).hasSize(2);
        Path c = write("c.yaml", SIMPLE);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ManifestLoader.load(List.of(a, c)));
        assertThat(e.file()).isEqualTo(c.toString());
        assertThat(e.field()).isEqualTo("metadata.name");
        assertThat(e.reason()).isEqualTo("duplicate Service \"s\" in namespace \"default\" (first defined at " + a + ":1)");
    }

    @Test
    void sameServiceNameInTwoNamespaces() {
        String other = SIMPLE.replace("  name: s\n", "  name: s\n  namespace: other\n");
        assertThat(parseAll(SIMPLE + "---\n" + other)).hasSize(2);
    }

    @Test
    void serviceWithWrongApiVersion() {
        ConfigException e = error(SIMPLE.replace("apiVersion: v1", "apiVersion: apps/v1"));
        assertThat(e.field()).isEqualTo("apiVersion");
        assertThat(e.reason()).isEqualTo("\"apps/v1\" does not serve kind Service (use v1)");
    }

    // ------------------------------------------------------------------ errors

    static Stream<Arguments> badServices() {
        return Stream.of(
                Arguments.of("unknown type", SIMPLE + "  type: Foo\n", "spec.type",
                        "Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
                Arguments.of("missing ports", HEAD + "  selector:\n    app: web\n", "spec.ports", "Required value"),
                Arguments.of("empty ports", HEAD + "  ports: []\n", "spec.ports", "Required value"),
                Arguments.of("missing ports on NodePort", HEAD + "  type: NodePort\n", "spec.ports", "Required value"),
                Arguments.of("port 0", HEAD + "  ports:\n    - port: 0\n", "spec.ports[0].port",
                        "Invalid value: 0: must be between 1 and 65535, inclusive"),
                Arguments.of("port 65536", HEAD + "  ports:\n    - port: 65536\n", "spec.ports[0].port",
                        "Invalid value: 65536: must be between 1 and 65535, inclusive"),
                Arguments.of("negative port", HEAD + "  ports:\n    - port: -1\n", "spec.ports[0].port",
                        "Invalid value: -1: must be between 1 and 65535, inclusive"),
                Arguments.of("port not a number", HEAD + "  ports:\n    - port: http\n", "spec.ports[0].port", "must be an integer"),
                Arguments.of("port missing", HEAD + "  ports:\n    - targetPort: 8080\n", "spec.ports[0].port", "Required value"),
                Arguments.of("port missing, headless with named targetPort", HEAD + "  clusterIP: None\n  ports:\n    - targetPort: http\n",
                        "spec.ports[0].port", "Required value"),
                Arguments.of("targetPort 0", HEAD + "  ports:\n    - port: 80\n      targetPort: 0\n", "spec.ports[0].targetPort",
                        "Invalid value: 0: must be between 1 and 65535, inclusive"),
                Arguments.of("targetPort 70000", HEAD + "  ports:\n    - port: 80\n      targetPort: 70000\n", "spec.ports[0].targetPort",
                        "Invalid value: 70000: must be between 1 and 65535, inclusive"),
                Arguments.of("targetPort bad name", HEAD + "  ports:\n    - port: 80\n      targetPort: Web_Port\n", "spec.ports[0].targetPort",
                        "Invalid value: \"Web_Port\": must be a port number or an IANA_SVC_NAME (a container port's name)"),
                Arguments.of("targetPort name too long", HEAD + "  ports:\n    - port: 80\n      targetPort: abcdefghijklmnop\n",
                        "spec.ports[0].targetPort", "IANA_SVC_NAME"),
                Arguments.of("bad protocol", HEAD + "  ports:\n    - port: 80\n      protocol: HTTP\n", "spec.ports[0].protocol",
                        "Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
                Arguments.of("bad port name", HEAD + "  ports:\n    - port: 80\n      name: Web\n", "spec.ports[0].name",
                        "Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"),
                Arguments.of("unknown port field", HEAD + "  ports:\n    - port: 80\n      hostPort: 80\n", "spec.ports[0].hostPort",
                        "unknown field \"hostPort\""),
                Arguments.of("two ports without names", HEAD + "  ports:\n    - port: 80\n    - port: 443\n", "spec.ports[0].name",
                        "Required value"),
                Arguments.of("second port without a name", HEAD + "  ports:\n    - name: a\n      port: 80\n    - port: 443\n",
                        "spec.ports[1].name", "Required value"),
                Arguments.of("duplicate port names", HEAD + "  ports:\n    - name: web\n      port: 80\n    - name: web\n      port: 443\n",
                        "spec.ports[1].name", "Duplicate value: \"web\""),
                Arguments.of("duplicate port and protocol",
                        HEAD + "  ports:\n    - name: a\n      port: 80\n    - name: b\n      port: 80\n", "spec.ports[1]",
                        "Duplicate value: 80/TCP (port and protocol must be unique)"),
                Arguments.of("nodePort on ClusterIP", HEAD + "  ports:\n    - port: 80\n      nodePort: 30080\n", "spec.ports[0].nodePort",
                        "Forbidden: may not be used when `type` is 'ClusterIP'"),
                Arguments.of("nodePort on explicit ClusterIP", HEAD + "  type: ClusterIP\n  ports:\n    - port: 80\n      nodePort: 30080\n",
                        "spec.ports[0].nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'"),
                Arguments.of("nodePort out of range", HEAD + "  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 70000\n",
                        "spec.ports[0].nodePort", "Invalid value: 70000: must be between 1 and 65535, inclusive"),
                Arguments.of("clusterIP not an IP", SIMPLE + "  clusterIP: 10.3.241\n", "spec.clusterIP",
                        "Invalid value: \"10.3.241\": must be a valid IP address, (e.g. 10.9.8.7), or \"None\""),
                Arguments.of("clusterIP a word", SIMPLE + "  clusterIP: none\n", "spec.clusterIP",
                        "Invalid value: \"none\": must be a valid IP address, (e.g. 10.9.8.7), or \"None\""),
                Arguments.of("clusterIP None with NodePort", SIMPLE + "  type: NodePort\n  clusterIP: None\n", "spec.clusterIP",
                        "Invalid value: \"None\": may not be set to 'None' for NodePort services"),
                Arguments.of("clusterIP None with LoadBalancer", SIMPLE + "  type: LoadBalancer\n  clusterIP: None\n", "spec.clusterIP",
                        "Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"),
                Arguments.of("bad sessionAffinity", SIMPLE + "  sessionAffinity: Sticky\n", "spec.sessionAffinity",
                        "Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\""),
                Arguments.of("affinity timeout 0", SIMPLE + "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 0\n",
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds", "Invalid value: 0: must be greater than 0 and less than 86400"),
                Arguments.of("affinity timeout 86401", SIMPLE + "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 86401\n",
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds", "Invalid value: 86401: must be greater than 0 and less than 86400"),
                Arguments.of("ExternalName with a clusterIP", HEAD + "  type: ExternalName\n  externalName: example.com\n  clusterIP: 10.3.241.9\n",
                        "spec.clusterIPs", "Forbidden: may not be set for ExternalName services"),
                Arguments.of("ExternalName with ipFamilies", HEAD + "  type: ExternalName\n  externalName: example.com\n  ipFamilies: [IPv4]\n",
                        "spec.ipFamilies", "Forbidden: may not be set for ExternalName services"),
                Arguments.of("ExternalName with ipFamilyPolicy", HEAD + "  type: ExternalName\n  externalName: example.com\n  ipFamilyPolicy: SingleStack\n",
                        "spec.ipFamilyPolicy", "Forbidden: may not be set for ExternalName services"),
                Arguments.of("unknown affinity config field", SIMPLE + "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIp: {}\n",
                        "spec.sessionAffinityConfig.clientIp", "unknown field \"clientIp\""),
                Arguments.of("externalTrafficPolicy on ClusterIP", SIMPLE + "  externalTrafficPolicy: Local\n", "spec.externalTrafficPolicy",
                        "Invalid value: \"Local\": may only be set for externally-accessible services"),
                Arguments.of("externalTrafficPolicy Cluster on ClusterIP", SIMPLE + "  externalTrafficPolicy: Cluster\n", "spec.externalTrafficPolicy",
                        "Invalid value: \"Cluster\": may only be set for externally-accessible services"),
                Arguments.of("bad externalTrafficPolicy", SIMPLE + "  type: NodePort\n  externalTrafficPolicy: Nearest\n", "spec.externalTrafficPolicy",
                        "Unsupported value: \"Nearest\": supported values: \"Cluster\", \"Local\""),
                Arguments.of("bad internalTrafficPolicy", SIMPLE + "  internalTrafficPolicy: Node\n", "spec.internalTrafficPolicy",
                        "Unsupported value: \"Node\": supported values: \"Cluster\", \"Local\""),
                Arguments.of("bad externalIP", SIMPLE + "  externalIPs: [192.0.2.10, 192.0.2]\n", "spec.externalIPs[1]",
                        "Invalid value: \"192.0.2\": must be a valid IP address"),
                Arguments.of("loadBalancerSourceRanges on NodePort", SIMPLE + "  type: NodePort\n  loadBalancerSourceRanges: [10.0.0.0/8]\n",
                        "spec.loadBalancerSourceRanges", "Forbidden: may only be used when `type` is 'LoadBalancer'"),
                Arguments.of("loadBalancerSourceRanges on ClusterIP", SIMPLE + "  loadBalancerSourceRanges: [10.0.0.0/8]\n",
                        "spec.loadBalancerSourceRanges", "Forbidden: may only be used when `type` is 'LoadBalancer'"),
                Arguments.of("bad loadBalancerSourceRange", SIMPLE + "  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.1/8]\n",
                        "spec.loadBalancerSourceRanges[0]",
                        "Invalid value: \"10.0.0.1/8\": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24"),
                Arguments.of("ExternalName without externalName", HEAD + "  type: ExternalName\n", "spec.externalName", "Required value"),
                Arguments.of("ExternalName with blank externalName", HEAD + "  type: ExternalName\n  externalName: \" \"\n", "spec.externalName",
                        "Required value"),
                Arguments.of("unknown spec field", SIMPLE + "  clusterIp: 10.3.241.152\n", "spec.clusterIp",
                        "unknown field \"clusterIp\" (known: "),
                Arguments.of("unknown top-level field", SIMPLE + "data: {}\n", "data", "unknown field \"data\""),
                Arguments.of("missing spec", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n", "spec", "is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badServices")
    void rejectsBadService(String description, String yaml, String field, String reason) {
        ConfigException e = error(yaml);
        assertThat(e.field()).as(description).isEqualTo(field);
        if (reason.endsWith("(known: ")) {
            assertThat(e.reason()).as(description).startsWith(reason);
        } else if (reason.startsWith("unknown field") || reason.equals("must be an integer") || reason.equals("is required")
                || reason.equals("IANA_SVC_NAME")) {
            assertThat(e.reason()).as(description).contains(reason);
        } else {
            assertThat(e.reason()).as(description).isEqualTo(reason);
        }
        assertThat(e.getMessage()).as(description).startsWith("m.yaml:" + e.line() + ": " + field + ": ");
    }

    @Test
    void unknownSpecFieldListsTheKnownOnes() {
        ConfigException e = error(SIMPLE + "  clusterIp: 10.3.241.152\n");
        assertThat(e.reason()).contains("selector", "ports", "clusterIP", "externalTrafficPolicy", "sessionAffinity");
    }

    static Stream<Arguments> badEndpoints() {
        String head = "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: e\nsubsets:\n";
        return Stream.of(
                Arguments.of("bad ip", head + "  - addresses:\n      - ip: 192.0.2\n    ports:\n      - port: 5432\n",
                        "subsets[0].addresses[0].ip", "Invalid value: \"192.0.2\": must be a valid IP address"),
                Arguments.of("bad notReady ip", head + "  - notReadyAddresses:\n      - ip: 192.0.2.300\n    ports:\n      - port: 5432\n",
                        "subsets[0].notReadyAddresses[0].ip", "Invalid value: \"192.0.2.300\": must be a valid IP address"),
                Arguments.of("missing ip", head + "  - addresses:\n      - nodeName: n\n    ports:\n      - port: 5432\n",
                        "subsets[0].addresses[0].ip", "is required"),
                Arguments.of("port 0", head + "  - addresses:\n      - ip: 192.0.2.42\n    ports:\n      - port: 0\n",
                        "subsets[0].ports[0].port", "Invalid value: 0: must be between 1 and 65535, inclusive"),
                Arguments.of("port 65536", head + "  - addresses:\n      - ip: 192.0.2.42\n    ports:\n      - port: 65536\n",
                        "subsets[0].ports[0].port", "Invalid value: 65536: must be between 1 and 65535, inclusive"),
                Arguments.of("port missing", head + "  - addresses:\n      - ip: 192.0.2.42\n    ports:\n      - name: x\n",
                        "subsets[0].ports[0].port", "is required"),
                Arguments.of("bad protocol", head + "  - addresses:\n      - ip: 192.0.2.42\n    ports:\n      - port: 1\n        protocol: tcp\n",
                        "subsets[0].ports[0].protocol", "Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
                Arguments.of("two unnamed ports", head + "  - addresses:\n      - ip: 192.0.2.42\n    ports:\n      - port: 1\n      - port: 2\n",
                        "subsets[0].ports[0].name", "Required value"),
                Arguments.of("unknown subset field", head + "  - address:\n      - ip: 192.0.2.42\n", "subsets[0].address", "unknown field \"address\""),
                Arguments.of("unknown address field", head + "  - addresses:\n      - ip: 192.0.2.42\n        zone: a\n",
                        "subsets[0].addresses[0].zone", "unknown field \"zone\""),
                Arguments.of("unknown top-level field", head.replace("subsets:\n", "spec: {}\n"), "spec", "unknown field \"spec\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEndpoints")
    void rejectsBadEndpoints(String description, String yaml, String field, String reason) {
        ConfigException e = error(yaml);
        assertThat(e.field()).as(description).isEqualTo(field);
        assertThat(e.reason()).as(description).contains(reason);
    }

    // ------------------------------------------------------------------ lines

    @Test
    void errorLinesPointAtTheBadValue() {
        String yaml = HEAD + """
                  type: NodePort
                  ports:
                    - name: a
                      port: 80
                    - name: b
                      port: 81
                      nodePort: 70000
                """;
        ConfigException e = error(yaml);
        assertThat(e.field()).isEqualTo("spec.ports[1].nodePort");
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.getMessage()).isEqualTo("m.yaml:12: spec.ports[1].nodePort: Invalid value: 70000: must be between 1 and 65535, inclusive");
    }

    @Test
    void requiredPortsErrorPointsAtTheSpec() {
        ConfigException e = error(HEAD + "  selector:\n    app: web\n");
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.getMessage()).isEqualTo("m.yaml:6: spec.ports: Required value");
    }

    @Test
    void requiredPortNamePointsAtThePort() {
        ConfigException e = error(HEAD + "  ports:\n    - port: 80\n    - port: 443\n");
        assertThat(e.line()).isEqualTo(7);
    }

    @Test
    void errorInASecondDocumentHasItsLine() {
        ConfigException e = error(SIMPLE + "---\n" + SIMPLE.replace("name: s", "name: t") + "  type: Foo\n");
        assertThat(e.field()).isEqualTo("spec.type");
        assertThat(e.line()).isEqualTo(20);
    }

    @Test
    void errorThroughLoadNamesTheFile() {
        Path f = write("bad.yaml", SIMPLE + "  sessionAffinity: Sticky\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ManifestLoader.load(List.of(f)));
        assertThat(e.file()).isEqualTo(f.toString());
        assertThat(e.getMessage()).isEqualTo(f + ":10: spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"");
    }
}
