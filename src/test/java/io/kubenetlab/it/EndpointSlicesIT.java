package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.client.ControllerFiles;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A user's EndpointSlice on a real lab: a selector-less Service whose only endpoint comes from a slice in
 * the lab file, reached through its ClusterIP; the slice changed, added to, made terminating and deleted
 * with the real kubectl, the node's live rules and the answers following each time; the slice kept over
 * a controller killed with SIGKILL; the lab's derived slices refused with 403.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndpointSlicesIT {

    private static final Path KUBECTL = ItSupport.KUBECTL;
    private static final String VIP = "10.3.241.200";
    private static final int REQUESTS = 20;
    /** Requests that may go unanswered per batch: none is expected on a healthy lab; one spares a slow first connect. */
    private static final int ALLOWED_FAILURES = 1;
    private static final String FIRST = "10.0.1.2";   // the article's first replica, on node1
    private static final String SECOND = "10.0.2.2";  // its second, on node2

    private static final String EXTRA = """
            apiVersion: v1
            kind: Service
            metadata: {name: ext-web}
            spec:
              clusterIP: %s
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            %s""".formatted(VIP, slice("ext-web-1", FIRST, "node1", "{ready: true}"));

    private String name;
    private Lab lab;
    private Path dir;

    static String slice(String sliceName, String ip, String node, String conditions) {
        return """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %s
                  labels: {kubernetes.io/service-name: ext-web, endpointslice.kubernetes.io/managed-by: sl-it}
                addressType: IPv4
                ports: [{name: http, port: 8080, protocol: TCP}]
                endpoints:
                  - addresses: [%s]
                    conditions: %s
                    nodeName: %s
                """.formatted(sliceName, ip, conditions, node);
    }

    @BeforeAll
    void deploy() throws IOException {
        ItSupport.requireKubectl();
        name = ItSupport.uniqueLab("sl-it");
        dir = Files.createTempDirectory("knl-slices-it");
        lab = Lab.deploy(ItSupport.articleWith(dir, EXTRA), Lab.Options.defaults().withName(name).withProxyMode(proxyMode()));
    }

    @AfterAll
    void destroy() {
        if (dir != null) LabStore.deleteTree(dir);
        if (lab == null) return;
        lab.close();
        ItSupport.assertGone(name);
    }

    private Kernel.Result kubectl(String... args) {
        List<String> argv = new ArrayList<>(List.of(KUBECTL.toString(), "--cache-dir", dir.resolve("kube-cache").toString(),
                "--kubeconfig", lab.kubeconfig().toString()));
        argv.addAll(List.of(args));
        return Kernel.linux().run(argv, null, false);
    }

    private String ok(String... args) {
        Kernel.Result r = kubectl(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.stderr()).isZero();
        return r.stdout();
    }

    private void apply(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("slice.yaml"), yaml);
        ok("apply", "-f", f.toString());
    }

    private static void eventually(String what, long millis, Supplier<Boolean> check) {
        long deadline = System.currentTimeMillis() + millis;
        while (!check.get()) {
            assertThat(System.currentTimeMillis()).as(what + " within " + millis + " ms").isLessThan(deadline);
            io.kubenetlab.kernel.Procs.sleep(50);
        }
    }

    private String podAt(String ip) {
        return lab.pods().stream().filter(p -> p.ip() != null && p.ip().toString().equals(ip)).findFirst().orElseThrow().name();
    }

    /** kube-proxy's mode of the lab (the nftables variant overrides it). */
    String proxyMode() {
        return "iptables";
    }

    private static final java.util.regex.Pattern NFT_ENDPOINT = java.util.regex.Pattern.compile("ext-web/tcp/http__([0-9.]+)/([0-9]+)");

    /**
     * The ip:port endpoints node1's live rules send ext-web's traffic to: its DNAT rules (iptables-legacy-save),
     * or the endpoint chains in its service chain's numgen vmap (nft list).
     */
    private List<String> liveDnats() {
        String live = lab.liveRules("node1");
        if (proxyMode().equals("iptables")) {
            return live.lines().filter(l -> l.contains("default/ext-web:http") && l.contains("-j DNAT"))
                    .map(l -> l.substring(l.indexOf("--to-destination ") + "--to-destination ".length()).split(" ")[0]).toList();
        }
        List<String> out = new ArrayList<>();
        live.lines().filter(l -> l.contains("numgen random mod") && l.contains("ext-web/tcp/http__")).forEach(l -> {
            var m = NFT_ENDPOINT.matcher(l);
            while (m.find()) out.add(m.group(1) + ":" + m.group(2));
        });
        return out;
    }

    /** REQUESTS answers through the ClusterIP from client1, counted by pod; at most ALLOWED_FAILURES unanswered. */
    private Map<String, Integer> throughVip() {
        return ItSupport.spread(lab, "service-test-client1", VIP, 80, REQUESTS).atMostFailed(ALLOWED_FAILURES);
    }

    @Test
    @Order(1)
    void theSliceInTheLabFileMakesTheClusterIpReachItsPod() {
        assertThat(ok("get", "endpointslice", "ext-web-1", "-o", "jsonpath={.endpoints[0].addresses[0]}")).isEqualTo(FIRST);
        assertThat(liveDnats()).containsExactly(FIRST + ":8080");
        assertThat(throughVip()).containsOnlyKeys(podAt(FIRST));
    }

    @Test
    @Order(2)
    void changingTheSliceMovesTheRulesAndTheTraffic() throws IOException {
        apply(slice("ext-web-1", SECOND, "node2", "{ready: true}"));
        eventually("node1's rules DNAT to " + SECOND, 10_000, () -> liveDnats().equals(List.of(SECOND + ":8080")));
        assertThat(throughVip()).containsOnlyKeys(podAt(SECOND));
    }

    @Test
    @Order(3)
    void aSecondSliceIsMergedWithTheFirst() throws IOException {
        apply(slice("ext-web-2", FIRST, "node1", "{ready: true}"));
        eventually("two endpoints in node1's rules", 10_000, () -> liveDnats().size() == 2);
        Map<String, Integer> counts = ItSupport.spread(lab, "service-test-client1", VIP, 80, 2 * REQUESTS).atMostFailed(ALLOWED_FAILURES);
        // Each pod has a 50% chance per request: missing one in 40 happens once in 2^39 runs.
        assertThat(counts).containsOnlyKeys(podAt(FIRST), podAt(SECOND));
    }

    @Test
    @Order(4)
    void servingTerminatingEndpointsCarryTheTrafficWhenNoneIsReady() throws IOException {
        ok("delete", "endpointslice", "ext-web-2");
        apply(slice("ext-web-1", SECOND, "node2", "{ready: false, serving: true, terminating: true}"));
        eventually("only the terminating endpoint left", 10_000, () -> liveDnats().equals(List.of(SECOND + ":8080")));
        assertThat(throughVip()).containsOnlyKeys(podAt(SECOND));

        // Not serving any more: no endpoint at all, and kube-proxy rejects.
        apply(slice("ext-web-1", SECOND, "node2", "{ready: false, serving: false, terminating: true}"));
        eventually("no endpoint in node1's rules", 10_000, () -> liveDnats().isEmpty());
        Kernel.Result r = lab.execCapture("service-test-client1", List.of("sh", "-c", "echo x | nc -v -N -w 3 " + VIP + " 80"));
        assertThat(r.exit()).isNotZero();
        assertThat(r.stderr()).contains("refused");
    }

    @Test
    @Order(5)
    void theSliceSurvivesAControllerKilledWithSigkill() throws IOException {
        apply(slice("ext-web-1", FIRST, "node1", "{ready: true}"));
        eventually("back to " + FIRST, 10_000, () -> liveDnats().equals(List.of(FIRST + ":8080")));
        ControllerFiles files = new ControllerFiles(LabStore.fromEnvironment(), name);
        ControllerFiles.Endpoint before = files.endpoint().orElseThrow();
        io.kubenetlab.kernel.Procs.killAndWait(List.of(before.pid()), 5_000);

        ItSupport.CliResult r = ItSupport.cli("deploy", "-t", dir.resolve("lab.yaml").toString(), "--name", name);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("started it again");
        assertThat(ok("get", "endpointslice", "ext-web-1", "-o", "jsonpath={.endpoints[0].addresses[0]}")).isEqualTo(FIRST);
        assertThat(liveDnats()).containsExactly(FIRST + ":8080");
        assertThat(throughVip()).containsOnlyKeys(podAt(FIRST));
    }

    @Test
    @Order(6)
    void derivedSlicesAreReadOnly() {
        String derived = ok("get", "endpointslices", "-l", "kubernetes.io/service-name=service-test", "-o", "jsonpath={.items[0].metadata.name}");
        Kernel.Result r = kubectl("label", "endpointslice", derived, "mine=yes");
        assertThat(r.exit()).isNotZero();
        assertThat(r.stderr()).contains("Error from server (Forbidden)").contains("endpointslices.discovery.k8s.io \"" + derived + "\" is forbidden");
        r = kubectl("delete", "endpointslice", derived);
        assertThat(r.exit()).isNotZero();
        assertThat(r.stderr()).contains("(Forbidden)");
    }

    @Test
    @Order(7)
    void deletingTheSliceLeavesTheServiceWithoutEndpoints() {
        ok("delete", "endpointslice", "ext-web-1");
        eventually("no endpoint in node1's rules", 10_000, () -> liveDnats().isEmpty());
        assertThat(ok("get", "endpointslices", "-o", "name")).doesNotContain("ext-web-1");
    }
}
