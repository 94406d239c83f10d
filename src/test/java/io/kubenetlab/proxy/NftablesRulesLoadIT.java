package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.notReady;
import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.servingTerminating;
import static io.kubenetlab.proxy.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.net.Cidr;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real nft and kernel accept what we write: render() on a fresh namespace, full syncs over our own
 * and over another kube-proxy version's table, and partial syncs (stale chains deleted in the same
 * transaction as their last reference) that end exactly where a fresh load of the new table does.
 * Root only, and nft must be installed (scripts/setup.sh does): a missing tool fails, never skips.
 */
class NftablesRulesLoadIT {
    static final NodeSettings NODE = NftablesUpstreamTest.UPSTREAM_NODE;

    /** Every kind of rule the renderer writes: firewall chains, local-, affinity, UDP, SCTP, drop and reject. */
    static final List<ServiceEndpoints> SERVICES = List.of(
            svc("default", "service-test", "", "172.30.0.10", 80).with(ready("10.0.2.2:8080", "node2"), ready("10.0.1.2:8080", "test-hostname")),
            svc("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(30001).loadBalancerIPs("1.2.3.4", "5.6.7.8")
                    .sourceRanges("192.168.0.0/24", "203.0.113.0/25").with(ready("10.180.0.1:80", null)),
            svc("ns3", "svc3", "https", "172.30.0.43", 443).nodePort(30443).loadBalancerIPs("1.2.3.4").externalPolicyLocal()
                    .with(ready("10.180.2.7:8443", "node2"), servingTerminating("10.180.0.4:8443", "test-hostname")),
            svc("ns4", "svc4", "dns", "172.30.0.44", 53).protocol("UDP").nodePort(30053).externalIPs("192.168.99.44")
                    .with(notReady("10.180.0.9:53", "test-hostname")),
            svc("ns5", "svc5", "p80", "172.30.0.45", 80).internalPolicyLocal().with(ready("10.180.1.3:80", "node2")),
            svc("ns6", "svc6", "p80", "172.30.0.46", 80).sticky(10800).externalIPs("192.168.99.46")
                    .with(ready("10.180.0.1:80", null), ready("10.180.0.10:80", null), ready("10.180.0.2:80", null)),
            svc("ns7", "sctp", "assoc", "172.30.0.47", 9999).protocol("SCTP").with(ready("10.180.0.7:9999", "test-hostname")));

    /** A change of every kind: endpoints gone, moved and added, a service gone, one emptied, a timeout changed. */
    static final List<ServiceEndpoints> CHANGED = List.of(
            svc("default", "service-test", "", "172.30.0.10", 80).with(ready("10.0.1.2:8080", "test-hostname"), ready("10.0.1.9:8080", "node2")),
            svc("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(30001).loadBalancerIPs("1.2.3.4", "5.6.7.8")
                    .sourceRanges("203.0.113.0/25").with(),
            SERVICES.get(3), SERVICES.get(4),
            svc("ns6", "svc6", "p80", "172.30.0.46", 80).sticky(60).externalIPs("192.168.99.46")
                    .with(ready("10.180.0.10:80", null), ready("10.180.0.2:80", null)),
            svc("ns8", "new", "", "172.30.0.48", 8080).nodePort(30080).with(ready("10.180.0.8:8080", "test-hostname")));

    private final List<String> namespaces = new ArrayList<>();

    @BeforeEach
    void needsRootAndNft() {
        assertThat("root".equals(System.getProperty("user.name"))).as("needs root to create a network namespace" + " (integration tests run as root with scripts/test.sh, which installs every tool: none may skip)").isTrue();
        assertThat(onPath("nft")).as("nft is not installed" + " (integration tests run as root with scripts/test.sh, which installs every tool: none may skip)").isTrue();
    }

    @Test
    void renderLoadsOnAFreshNamespaceAndSoDoesAFullSync() throws Exception {
        String rendered = NftablesRules.render(SERVICES, NODE);
        String fresh = namespace();
        String synced = namespace();
        try {
            nft(fresh, rendered);
            nft(synced, NftablesSync.syncText(null, rendered));
            assertThat(list(synced)).isEqualTo(list(fresh));
            assertThat(list(fresh)).contains("goto endpoint-", "numgen random mod 3 vmap", "flags dynamic,timeout",
                    "meta l4proto sctp dnat to 10.180.0.7:9999", "fib saddr type local goto service-");
            // A full sync over what we loaded (a controller that restarted) is a no-op in effect.
            nft(synced, NftablesSync.syncText(null, rendered));
            assertThat(list(synced)).isEqualTo(list(fresh));
        } finally {
            deleteNamespaces();
        }
    }

    @Test
    void aPartialSyncEndsWhereAFreshLoadEnds() throws Exception {
        String before = NftablesRules.render(SERVICES, NODE);
        String after = NftablesRules.render(CHANGED, NODE);
        String partial = NftablesSync.syncText(before, after);
        assertThat(partial).contains("delete chain ip kube-proxy endpoint-", "delete set ip kube-proxy affinity-")
                .doesNotContain("flush table");
        String part = namespace();
        String fresh = namespace();
        try {
            nft(part, before);
            nft(part, partial);
            nft(fresh, after);
            assertThat(list(part)).isEqualTo(list(fresh));
            // And back, then nothing.
            nft(part, NftablesSync.syncText(after, before));
            String again = namespace();
            nft(again, before);
            assertThat(list(part)).isEqualTo(list(again));
            assertThat(NftablesSync.syncText(before, before)).isEmpty();
        } finally {
            deleteNamespaces();
        }
    }

    /**
     * Why the partial sync's order matters: the kernel refuses to delete a chain that a map element
     * still points at (EBUSY), and the whole transaction with it. Our syncs delete the element first.
     */
    @Test
    void aChainStillReferencedCannotBeDeleted() throws Exception {
        String rendered = NftablesRules.render(SERVICES, NODE);
        String chain = rendered.lines().filter(l -> l.startsWith("add chain ip kube-proxy service-")).findFirst().orElseThrow().substring(24);
        String ns = namespace();
        try {
            nft(ns, rendered);
            String tx = "flush chain ip kube-proxy " + chain + "\ndelete chain ip kube-proxy " + chain + "\n";
            assertThat(status(tx, "ip", "netns", "exec", ns, "nft", "-f", "-")).isNotZero();
            assertThat(list(ns)).contains("chain " + chain + " {\n\t\tip daddr");
        } finally {
            deleteNamespaces();
        }
    }

    /**
     * A node that holds another kube-proxy version's table (v1.34's filter chains at priority 0 under
     * other names, an old service chain and map elements pointing at it): a full sync re-declares the
     * base chains with our priorities and leaves nothing of the old table in use.
     */
    @Test
    void aFullSyncReplacesAnotherVersionsTable() throws Exception {
        String other = """
                add table ip kube-proxy { comment "rules for kube-proxy" ; }
                add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }
                add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }
                add chain ip kube-proxy filter-forward { type filter hook forward priority 0 ; }
                add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }
                add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
                add chain ip kube-proxy services
                add chain ip kube-proxy service-ZZZZZZZZ-old/gone/tcp/p80
                add rule ip kube-proxy service-ZZZZZZZZ-old/gone/tcp/p80 meta l4proto tcp dnat to 10.99.0.1:80
                add rule ip kube-proxy nat-prerouting jump services
                add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips
                add rule ip kube-proxy filter-forward ct state new drop
                add element ip kube-proxy service-ips { 172.30.9.9 . tcp . 80 : goto service-ZZZZZZZZ-old/gone/tcp/p80 }
                """;
        String rendered = NftablesRules.render(SERVICES, NODE);
        String node = namespace();
        String fresh = namespace();
        try {
            nft(node, other);
            nft(node, NftablesSync.syncText(null, rendered));
            nft(fresh, rendered);
            String got = list(node);
            assertThat(got).contains("chain filter-forward {\n\t\ttype filter hook forward priority -110; policy accept;")
                    .doesNotContain("172.30.9.9", "10.99.0.1", "ct state new drop");
            // What is left of the old table is empty and unreferenced: our whole table plus those shells.
            assertThat(got.replaceAll("\tchain (filter-prerouting-pre-dnat|service-ZZZZZZZZ-old/gone/tcp/p80) \\{\n(\t\ttype [^\n]*\n)?\t}\n", ""))
                    .isEqualTo(list(fresh));
        } finally {
            deleteNamespaces();
        }
    }

    /**
     * nft lists chains, sets and elements in the kernel's order, which depends on the history of the
     * table: compare the blocks sorted, and each set's elements sorted, rules keeping their order.
     */
    private static String list(String ns) throws Exception {
        String out = run(null, "ip", "netns", "exec", ns, "nft", "-s", "list", "table", "ip", "kube-proxy");
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("\tchain ") || line.startsWith("\tset ") || line.startsWith("\tmap ")) block = new StringBuilder();
            if (block != null && !line.isBlank()) block.append(line).append('\n');
            if (line.equals("\t}") && block != null) {
                blocks.add(sortedElements(block.toString()));
                block = null;
            }
        }
        blocks.sort(null);
        return String.join("", blocks);
    }

    private static String sortedElements(String block) {
        int start = block.indexOf("elements = { ");
        if (start < 0) return block;
        int end = block.indexOf(" }\n", start);
        String inner = block.substring(start + 13, end);
        List<String> items = new ArrayList<>();
        for (String item : inner.split(",\n|, ")) items.add(item.strip());
        items.sort(null);
        return block.substring(0, start) + "elements = { " + String.join(", ", items) + block.substring(end);
    }

    private String namespace() throws Exception {
        String ns = "knl-nfttest-" + ProcessHandle.current().pid() + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
        run(null, "ip", "netns", "add", ns);
        namespaces.add(ns);
        return ns;
    }

    private void deleteNamespaces() throws Exception {
        for (String ns : namespaces) run(null, "ip", "netns", "delete", ns);
        namespaces.clear();
    }

    private static void nft(String ns, String transaction) throws Exception {
        run(transaction, "ip", "netns", "exec", ns, "nft", "-f", "-");
    }

    private static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, binary))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", binary)) || Files.isExecutable(Path.of("/sbin", binary));
    }

    /** Runs a command with the given stdin and returns its exit status. */
    private static int status(String stdin, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not finish in 60 s");
        }
        return p.exitValue();
    }

    /** Runs a command with the given stdin (null: none); fails the test with its stderr unless it exits 0. */
    private static String run(String stdin, String... argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("knl-nfttest", ".out");
        Path err = Files.createTempFile("knl-nfttest", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish in 60 s");
            }
            assertThat(p.exitValue()).as("%s failed: %s\ninput:\n%s", String.join(" ", argv), Files.readString(err), stdin).isZero();
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
