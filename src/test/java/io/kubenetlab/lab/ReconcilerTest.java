package io.kubenetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.cluster.ClusterPlanner;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pass of the Reconciler (endpoints, then each machine's kernel state where the plan changed, then
 * the state and the DNS zone) on the article's lab, without root: the kernel is a {@link FakeKernel}
 * that records what it is asked to run. Proves each node gets one kube-proxy restore DNATing the
 * ClusterIP to both servers, that an unchanged pass runs nothing, that a server turning unready costs
 * a partial restore of only the changed chains, and that the load balancer and the router follow the
 * Services (EXTERNAL-IP, nat table, externalIPs routes).
 */
class ReconcilerTest {
    static final String CLUSTER_IP = "10.3.241.152";
    static final String DNS_IP = "10.3.240.10";

    @TempDir
    Path stateRoot;
    FakeLab lab;
    Reconciler reconciler;

    @BeforeEach
    void deploy() {
        lab = FakeLab.article(stateRoot, "rt");
        lab.kernel.clear(); // the wiring of machines and pods is not what these tests look at
        reconciler = new Reconciler(lab.engine);
    }

    /** Every pod's status as the fake runtime reports it: running, ports listening, so ready. */
    Map<String, PodStatus> statuses() {
        return new HashMap<>(lab.engine.statuses());
    }

    PodRecord server(String node) {
        return lab.podsOf("service-test").stream().filter(p -> p.node().equals(node)).findFirst().orElseThrow();
    }

    @Test
    void theFirstPassGivesEachNodeOneRestoreThatDnatsTheClusterIpToBothServers() {
        assertThat(reconciler.sync(statuses()).kernelChanged()).isTrue();

        for (String node : List.of("node1", "node2")) {
            List<FakeKernel.Command> restores = lab.kernel.restoresInto(lab.netns(node));
            assertThat(restores).as("restores into " + node).hasSize(1);
            assertThat(restores.get(0).noflush()).isTrue();
            assertThat(dnatTargets(restores.get(0).stdin(), CLUSTER_IP, 80)).containsExactly("10.0.1.2:8080", "10.0.2.2:8080");
        }
        assertThat(server("node1").ip()).hasToString("10.0.1.2");
        assertThat(server("node2").ip()).hasToString("10.0.2.2");
    }

    @Test
    void theFirstPassRecordsTheEndpointsAndWritesTheDnsZone() throws Exception {
        reconciler.sync(statuses());

        Map<String, List<EndpointRecord>> eps = lab.state().endpoints;
        assertThat(eps.get("default/service-test")).extracting(e -> e.ip() + ":" + e.port() + " ready=" + e.ready())
                .containsExactly("10.0.1.2:8080 ready=true", "10.0.2.2:8080 ready=true");
        assertThat(eps.get("default/database")).extracting(e -> e.ip() + ":" + e.port()).containsExactly("192.0.2.42:5432");
        Path zone = Reconciler.zoneFile(lab.store, "rt");
        assertThat(zone).exists();
        JsonNode records = new ObjectMapper().readTree(Files.readString(zone));
        assertThat(records.path("service-test.default.svc.cluster.local.").toString()).contains(CLUSTER_IP);
        assertThat(records.path("database.default.svc.cluster.local.").toString()).contains("192.0.2.42");
        assertThat(lab.store.load("rt").endpoints).isEqualTo(eps); // saved as well
    }

    @Test
    void aSecondPassWithTheSameStatusesRunsNoCommand() {
        Map<String, PodStatus> st = statuses();
        reconciler.sync(st);
        assertThat(lab.kernel.commands()).isNotEmpty();
        lab.kernel.clear();

        assertThat(reconciler.sync(st).kernelChanged()).isFalse();
        assertThat(lab.kernel.commands()).isEmpty();
    }

    @Test
    void aPodInNoServiceThatGoesMakesItsNodeForgetItsPinnedNeighbour() {
        reconciler.sync(statuses());
        // A client pod: in no Service's endpoints, so its removal changes no endpoint, only its node's plan.
        PodRecord client = lab.state().pods.stream().filter(p -> p.name().startsWith("service-test-client")).findFirst().orElseThrow();
        lab.kernel.clear();
        lab.state().pods.remove(client);

        // The node's neighbours changed, but no Service: nothing for the network programming latency to count.
        assertThat(reconciler.sync(statuses())).extracting(Reconciler.Pass::kernelChanged, Reconciler.Pass::servicesProgrammed).containsExactly(true, false);
        assertThat(lab.kernel.ipLinesIn(lab.netns(client.node()))).contains("neigh del " + client.ip() + " dev cbr0");
    }

    @Test
    void aServerTurningUnreadyIsDroppedByAPartialRestoreOfTheChangedChainsOnEveryNode() {
        reconciler.sync(statuses());
        String full = lab.kernel.restoresInto(lab.netns("node1")).get(0).stdin();
        String svc = jumpTarget(full, CLUSTER_IP, 80);
        String sepOfReady = sepTo(full, svc, "10.0.2.2:8080");
        String dnsSvc = jumpTarget(full, DNS_IP, 53);
        // What must change: the KUBE-SVC chain of each Service that selects the servers, and the
        // endpoint chain each of them had for the server that turns unready (deleted).
        Set<String> changed = new TreeSet<>();
        Set<String> deleted = new TreeSet<>();
        for (String name : List.of("service-test", "service-test-nodeport", "service-test-lb")) {
            String chain = jumpTarget(full, lab.state().service("default", name).orElseThrow().clusterIP(), 80);
            changed.add(chain);
            deleted.add(sepTo(full, chain, "10.0.1.2:8080"));
        }
        lab.kernel.clear();

        lab.runtime.setReady(server("node1").name(), false);
        assertThat(reconciler.sync(statuses())).extracting(Reconciler.Pass::kernelChanged, Reconciler.Pass::servicesProgrammed).containsExactly(true, true);

        for (String node : List.of("node1", "node2")) {
            List<FakeKernel.Command> restores = lab.kernel.restoresInto(lab.netns(node));
            assertThat(restores).as("restores into " + node).hasSize(1);
            assertThat(restores.get(0).noflush()).isTrue();
            String text = restores.get(0).stdin();
            assertThat(text).doesNotContain("--to-destination 10.0.1.2:8080");
            for (String sep : deleted) assertThat(text).contains("-X " + sep + "\n").doesNotContain("-j " + sep + "\n");
            // the Service's own chain now sends everything to the ready server
            assertThat(sepsOf(text, svc)).containsExactly(sepOfReady);
            // and nothing else of the per-Service chains is declared: not the ready server's, not kube-dns's
            Set<String> perService = new TreeSet<>(declaredChains(text).stream().filter(c -> c.matches("KUBE-(SVC|SVL|EXT|FW|SEP)-.*")).toList());
            Set<String> expected = new TreeSet<>(changed);
            expected.addAll(deleted);
            assertThat(perService).isEqualTo(expected).doesNotContain(sepOfReady, dnsSvc);
        }
        assertThat(lab.state().endpoints.get("default/service-test")).extracting(e -> e.ip() + " ready=" + e.ready())
                .containsExactly("10.0.1.2 ready=false", "10.0.2.2 ready=true");
    }

    @Test
    void aPartialSyncTheKernelRefusesIsFollowedByAFullOne() {
        reconciler.sync(statuses());
        lab.kernel.clear();
        String node1 = lab.netns("node1");
        lab.kernel.refuseNext(c -> node1.equals(c.netns()) && c.isRestore());

        lab.runtime.setReady(server("node1").name(), false);
        assertThat(reconciler.sync(statuses()).kernelChanged()).isTrue();

        List<FakeKernel.Command> restores = lab.kernel.restoresInto(node1);
        assertThat(restores).as("the refused partial sync, then everything").hasSize(2);
        assertThat(restores.get(1).stdin().length()).isGreaterThan(restores.get(0).stdin().length());
        assertThat(dnatTargets(restores.get(1).stdin(), CLUSTER_IP, 80)).containsExactly("10.0.2.2:8080");
        assertThat(lab.kernel.restoresInto(lab.netns("node2"))).as("node2's partial sync was accepted").hasSize(1);
    }

    @Test
    void aServerWhoseContainerExitedIsNoEndpointAtAll() throws Exception {
        reconciler.sync(statuses());
        lab.kernel.clear();

        lab.runtime.exit(server("node1").name(), 1);
        Map<String, PodStatus> st = statuses();
        assertThat(st.get(server("node1").name()).phase()).isEqualTo("Failed");
        assertThat(reconciler.sync(st)).extracting(Reconciler.Pass::kernelChanged, Reconciler.Pass::servicesProgrammed).containsExactly(true, true);

        // unlike an unready server, a finished one is not listed at all, and leaves the headless Service's DNS name
        assertThat(lab.state().endpoints.get("default/service-test")).extracting(e -> e.ip() + " ready=" + e.ready())
                .containsExactly("10.0.2.2 ready=true");
        JsonNode zone = new ObjectMapper().readTree(Files.readString(Reconciler.zoneFile(lab.store, "rt")));
        assertThat(zone.path("service-test-headless.default.svc.cluster.local.").findValuesAsText("data")).containsExactly("10.0.2.2");
        for (String node : List.of("node1", "node2")) {
            assertThat(lab.kernel.restoresInto(lab.netns(node))).singleElement()
                    .satisfies(r -> assertThat(r.stdin()).doesNotContain("--to-destination 10.0.1.2:8080").contains("-X KUBE-SEP-"));
        }
    }

    @Test
    void theLoadBalancerGetsItsNatTableReplacedAndItsExternalIp() {
        reconciler.sync(statuses());

        String lb = lab.netns(Topology.LOAD_BALANCER);
        List<FakeKernel.Command> restores = lab.kernel.restoresInto(lb);
        assertThat(restores).hasSize(1);
        assertThat(restores.get(0).noflush()).as("a replacing restore").isFalse();
        assertThat(restores.get(0).stdin()).startsWith("*nat\n")
                .contains("-d 203.0.113.100/32 -p tcp -m tcp --dport 80")
                .contains("--to-destination 10.100.0.2:30081").contains("--to-destination 10.100.0.3:30081");
        assertThat(lab.kernel.ipLinesIn(lb)).containsExactly("addr add 203.0.113.100/32 dev eth0");
        assertThat(lab.state().service("default", "service-test-lb").orElseThrow().loadBalancerIPs()).hasToString("[203.0.113.100]");
    }

    @Test
    void aServiceWithExternalIpsGetsAnEcmpRouteOnTheRouter() {
        reconciler.sync(statuses());
        lab.kernel.clear();

        lab.state().services.add(service("""
                apiVersion: v1
                kind: Service
                metadata: {name: service-test-ext}
                spec:
                  selector: {app: service_test_pod}
                  externalIPs: [198.51.100.7]
                  ports: [{port: 80, targetPort: 8080}]
                """));
        assertThat(reconciler.sync(statuses()).kernelChanged()).isTrue();

        assertThat(lab.kernel.ipLinesIn(lab.netns(Topology.ROUTER)))
                .containsExactly("route replace 198.51.100.7/32 nexthop via 10.100.0.2 nexthop via 10.100.0.3");
        // and each node DNATs the external IP too
        for (String node : List.of("node1", "node2")) {
            assertThat(lab.kernel.restoresInto(lab.netns(node))).singleElement()
                    .satisfies(r -> assertThat(r.stdin()).contains("-d 198.51.100.7 --dport 80 -j KUBE-EXT-").contains("external IP"));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A Service admitted as the controller admits one (its ClusterIP allocated next to the lab's). */
    ServiceRecord service(String yaml) {
        var doc = YamlNode.loadAll("test", new StringReader(yaml)).get(0);
        var planner = ClusterPlanner.forState(lab.state(), new ImageCatalog(p -> true), stateRoot, java.time.Clock.systemUTC());
        return planner.plan(List.of(ManifestLoader.parse(doc))).get(0).service();
    }

    /** The chain KUBE-SERVICES sends IP:port to. */
    static String jumpTarget(String text, String ip, int port) {
        Matcher m = Pattern.compile("(?m)^-A KUBE-SERVICES .*-d " + Pattern.quote(ip) + " --dport " + port + " -j (KUBE-SVC-\\w+)$").matcher(text);
        assertThat(m.find()).as("a KUBE-SERVICES rule for " + ip + ":" + port).isTrue();
        return m.group(1);
    }

    /** The rules of one chain, in order. */
    static List<String> rulesOf(String text, String chain) {
        return text.lines().filter(l -> l.startsWith("-A " + chain + " ")).toList();
    }

    /** The endpoint chains a Service chain jumps to, in order. */
    static List<String> sepsOf(String text, String svc) {
        return rulesOf(text, svc).stream().map(r -> r.substring(r.lastIndexOf(' ') + 1)).filter(c -> c.startsWith("KUBE-SEP-")).toList();
    }

    /** The endpoint chain of {@code svc} that DNATs to {@code target}. */
    static String sepTo(String text, String svc, String target) {
        for (String sep : sepsOf(text, svc)) {
            if (rulesOf(text, sep).stream().anyMatch(r -> r.endsWith("-j DNAT --to-destination " + target))) return sep;
        }
        throw new AssertionError("no endpoint chain of " + svc + " DNATs to " + target);
    }

    /** Where traffic to IP:port ends: the DNAT targets of its Service's endpoint chains, sorted. */
    static List<String> dnatTargets(String text, String ip, int port) {
        Set<String> out = new TreeSet<>();
        for (String sep : sepsOf(text, jumpTarget(text, ip, port))) {
            for (String r : rulesOf(text, sep)) {
                int at = r.indexOf("--to-destination ");
                if (at >= 0) out.add(r.substring(at + "--to-destination ".length()));
            }
        }
        return new ArrayList<>(out);
    }

    /** The chains a restore text declares (":NAME - [0:0]"). */
    static List<String> declaredChains(String text) {
        return text.lines().filter(l -> l.startsWith(":")).map(l -> l.substring(1, l.indexOf(' '))).toList();
    }
}
