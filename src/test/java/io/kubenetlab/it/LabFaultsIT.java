package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.lab.LoadGenerator;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.PodRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Network faults on the article's lab (issue 15): a partition between the nodes, a node's link down
 * and up, a pod's egress rate-limited, a pod killed with no grace period; then the same partition in
 * kube-proxy's nftables mode on the VXLAN plugin, surviving kube-proxy's syncs. Destroy leaves nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabFaultsIT {
    private static final int ONE_MB = 1 << 20;
    /** Sends 1 MiB to every connection on port 9000, then closes it. */
    private static final String SOURCE = """
            import socket
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('', 9000))
            s.listen(8)
            while True:
                c, _ = s.accept()
                c.sendall(b'x' * 1048576)
                c.close()
            """;
    /** Reads everything from argv[1]:9000; prints the bytes and the seconds it took. */
    private static final String SINK = """
            import socket, sys, time
            t = time.time()
            s = socket.create_connection((sys.argv[1], 9000), timeout=30)
            n = 0
            while True:
                b = s.recv(65536)
                if not b:
                    break
                n += len(b)
            print(n, time.time() - t)
            """;

    private String rootBefore;
    private String name;
    private Lab lab;

    @BeforeAll
    void deploy() {
        rootBefore = ItSupport.rootNamespaceSnapshot();
        name = ItSupport.uniqueLab("flt");
        lab = ItSupport.deployArticle(name);
    }

    @AfterAll
    void destroy() {
        if (lab != null) ItSupport.destroyLeavesNothing(lab, name, "netns", rootBefore);
    }

    private PodRecord server(Lab l, String node) {
        return l.pods().stream().filter(p -> "ReplicaSet".equals(p.ownerKind()) && p.name().startsWith("service-test-") && p.node().equals(node))
                .findFirst().orElseThrow(() -> new AssertionError("no service-test pod on " + node));
    }

    private static LoadGenerator.Result requests(Lab l, String from, String host, int port, int n) {
        return l.requests().from(from).to(host, port).times(n).run();
    }

    @Test
    @Order(0)
    void badInputSaysWhatIsWrongAndChangesNothing() {
        String rules = lab.liveRules("node1");
        assertThatThrownBy(() -> lab.kill("no-such-pod")).isInstanceOf(LabException.class).hasMessageContaining("no-such-pod");
        assertThatThrownBy(() -> lab.partition("node1", "node1")).isInstanceOf(LabException.class).hasMessageContaining("itself");
        assertThatThrownBy(() -> lab.partition("node1", "node3")).isInstanceOf(LabException.class).hasMessageContaining("\"node3\"");
        assertThatThrownBy(() -> lab.linkDown("router")).isInstanceOf(LabException.class).hasMessageContaining("router");
        assertThatThrownBy(() -> lab.rateLimit("node1", "fast")).isInstanceOf(LabException.class).hasMessageContaining("\"fast\"");
        assertThatThrownBy(() -> lab.rateLimit("node1", "0bit")).isInstanceOf(LabException.class).hasMessageContaining("out of range");
        assertThat(lab.liveRules("node1")).isEqualTo(rules);
        assertThat(lab.exec("node1", "tc", "qdisc", "show", "dev", "eth0").stdout()).doesNotContain("tbf");
        assertThat(lab.exec("node1", "nft", "list", "tables").stdout()).doesNotContain("kubenetlab-faults");
        assertThat(lab.exec("node1", "ip", "-o", "link", "show", "eth0").stdout()).contains("state UP");
    }

    @Test
    @Order(1)
    void aPartitionDropsExactlyTheTrafficBetweenTheTwoNodes() {
        String far = server(lab, "node2").ip().toString();
        String near = server(lab, "node1").ip().toString();
        assertThat(requests(lab, "service-test-client1", far, 8080, 3).failed()).isZero();

        lab.partition("node1", "node2");
        LoadGenerator.Result cut = requests(lab, "service-test-client1", far, 8080, 4);
        assertThat(cut.sent()).isEqualTo(4);
        assertThat(cut.failed()).as("every request from node1's pod to node2's pod fails: " + cut).isEqualTo(4);
        assertThat(requests(lab, "service-test-client2", near, 8080, 2).failed()).as("and back").isEqualTo(2);
        assertThat(requests(lab, "service-test-client1", near, 8080, 5).failed()).as("node1's pods still reach each other").isZero();
        assertThat(lab.exec("service-test-client1", "nc", "-z", "-w", "3", "192.0.2.42", "5432").exit()).as("and the outside database").isZero();
        assertThat(requests(lab, "ext-client", far, 8080, 3).failed()).as("the outside host still reaches node2's pod").isZero();
        assertThat(requests(lab, "ext-client", near, 8080, 3).failed()).as("and node1's").isZero();
        // kube-proxy's rules are untouched: the faults live in their own nft table.
        assertThat(lab.liveRules("node1")).doesNotContain("kubenetlab-faults");

        lab.heal("node1", "node2");
        assertThat(requests(lab, "service-test-client1", far, 8080, 10).failed()).isZero();
        assertThat(requests(lab, "service-test-client2", near, 8080, 5).failed()).isZero();
        for (String node : List.of("node1", "node2")) {
            assertThat(lab.exec(node, "nft", "list", "tables").stdout()).as(node).doesNotContain("kubenetlab-faults");
        }
        lab.heal("node1", "node2"); // nothing left to heal: fine
    }

    @Test
    @Order(2)
    void aNodeWithItsLinkDownIsUnreachableAndComesBackWithItsRoutes() {
        assertThat(requests(lab, "node1", "10.100.0.3", 30080, 3).failed()).isZero();
        var routesBefore = lab.liveRoutes("node2");

        lab.linkDown("node2");
        assertThat(requests(lab, "node1", "10.100.0.3", 30080, 3).failed()).as("node2 is unreachable from node1").isEqualTo(3);
        assertThat(lab.liveRoutes("node2")).as("the kernel dropped the routes through the link").isNotEqualTo(routesBefore);

        lab.linkUp("node2");
        assertThat(lab.liveRoutes("node2")).containsExactlyInAnyOrderElementsOf(routesBefore);
        assertThat(requests(lab, "node1", "10.100.0.3", 30080, 5).failed()).isZero();
        assertThat(lab.exec("service-test-client2", "nc", "-z", "-w", "3", "192.0.2.42", "5432").exit()).as("node2's pods reach outside").isZero();
        assertThat(requests(lab, "ext-client", server(lab, "node2").ip().toString(), 8080, 3).failed()).isZero();
    }

    @Test
    @Order(3)
    void aRateLimitSlowsAPodsEgressAndClearingItMakesItFastAgain() {
        PodRecord source = server(lab, "node2");
        String ip = source.ip().toString();
        assertThat(lab.execCapture(source.name(), List.of("sh", "-c", "python3 -c \"$1\" </dev/null >/dev/null 2>&1 &", "sh", SOURCE)).exit()).isZero();
        double fast = transfer(ip, true);
        assertThat(fast).as("1 MiB unlimited").isLessThan(1.5);

        lab.rateLimit(source.name(), "2mbit");
        assertThat(lab.exec(source.name(), "tc", "qdisc", "show", "dev", "eth0").stdout()).contains("tbf").contains("rate 2Mbit");
        double slow = transfer(ip, false);
        assertThat(slow).as("1 MiB at 2 Mbit/s: about 4.2 s").isBetween(3.0, 12.0);

        lab.clearRateLimit(source.name());
        assertThat(lab.exec(source.name(), "tc", "qdisc", "show", "dev", "eth0").stdout()).doesNotContain("tbf");
        assertThat(transfer(ip, false)).as("1 MiB after the limit is cleared").isLessThan(1.5);
        lab.clearRateLimit(source.name()); // nothing left to clear: fine
    }

    /** Seconds the article's client on node1 takes to read 1 MiB from ip:9000 (retried while the source starts). */
    private double transfer(String ip, boolean awaitSource) {
        long deadline = System.nanoTime() + Duration.ofSeconds(awaitSource ? 10 : 0).toNanos();
        while (true) {
            Kernel.Result r = lab.execCapture("service-test-client1", List.of("python3", "-c", SINK, ip));
            String[] out = r.stdout().trim().split(" ");
            if (r.exit() == 0 && out.length == 2) {
                assertThat(Integer.parseInt(out[0])).as("bytes read").isEqualTo(ONE_MB);
                return Double.parseDouble(out[1]);
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no transfer from " + ip + ": " + r);
            Procs.sleep(100);
        }
    }

    @Test
    @Order(4)
    void aKilledPodIsNeverAnsweredFromRightAfterKillReturns() {
        // The replacement is not waited for: without a readiness probe it would join the endpoints as
        // soon as it runs, before its server listens (as in Kubernetes), and fail requests of its own.
        var probe = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        var container = probe.putObject("spec").putObject("template").putObject("spec").putArray("containers").addObject();
        container.put("name", "simple-http").putObject("readinessProbe").put("periodSeconds", 1).putObject("tcpSocket").put("port", 8080);
        lab.api().patch("/apis/apps/v1/namespaces/default/deployments/service-test", "application/strategic-merge-patch+json", probe);
        lab.awaitReady("service-test", Duration.ofSeconds(60));
        PodRecord victim = server(lab, "node1");
        assertThat(requests(lab, "service-test-client1", "10.3.241.152", 80, 20).byPod()).containsKey(victim.name());

        lab.kill(victim.name());
        LoadGenerator.Result after = requests(lab, "service-test-client1", "10.3.241.152", 80, 30);
        assertThat(after.failed()).as("" + after).isZero();
        assertThat(after.byPod()).doesNotContainKey(victim.name());
        for (String node : List.of("node1", "node2")) assertThat(lab.liveRules(node)).doesNotContain(victim.ip() + ":");
        assertThat(ItSupport.netnsOf(name)).doesNotContain(victim.netns());
        assertThat(lab.pods()).noneMatch(p -> p.name().equals(victim.name()));

        lab.awaitReady("service-test", Duration.ofSeconds(60));
        assertThat(requests(lab, "service-test-client1", "10.3.241.152", 80, 10).failed()).isZero();
    }

    @Test
    @Order(5)
    void inNftablesModeOnVxlanAPartitionHoldsThroughKubeProxysSyncs() {
        String root = ItSupport.rootNamespaceSnapshot();
        String n = ItSupport.uniqueLab("flt");
        Lab nft = Lab.deploy(ItSupport.ARTICLE, Lab.Options.defaults().withName(n).withProxyMode("nftables").withCni("vxlan"));
        try {
            String far = server(nft, "node2").ip().toString();
            assertThat(requests(nft, "service-test-client1", far, 8080, 3).failed()).isZero();
            nft.partition("node1", "node2");
            assertThat(requests(nft, "service-test-client1", far, 8080, 3).failed()).as("overlay traffic is dropped").isEqualTo(3);
            // A kill changes every node's kube-proxy table (an nft sync): the partition stays.
            nft.kill(server(nft, "node1").name());
            String table = nft.exec("node1", "nft", "list", "table", "inet", "kubenetlab-faults").stdout();
            assertThat(table).contains("partition-node2-input").contains("partition-node2-forward").contains("partition-node2-output");
            assertThat(requests(nft, "service-test-client1", far, 8080, 3).failed()).isEqualTo(3);
            // Pod IPs are the overlay's (no route from outside): both nodes' pods still reach the outside database.
            for (String client : List.of("service-test-client1", "service-test-client2")) {
                assertThat(nft.exec(client, "nc", "-z", "-w", "3", "192.0.2.42", "5432").exit()).as(client).isZero();
            }
            nft.heal("node1", "node2");
            assertThat(requests(nft, "service-test-client1", far, 8080, 10).failed()).isZero();
            assertThat(nft.liveRules("node1")).contains("table ip kube-proxy").doesNotContain("kubenetlab-faults");
        } finally {
            ItSupport.destroyLeavesNothing(nft, n, "netns", root);
        }
    }
}
