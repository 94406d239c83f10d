package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.NODE;
import static io.kubenetlab.proxy.Fixtures.notReady;
import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.servingTerminating;
import static io.kubenetlab.proxy.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real parser accepts what we render: bootstrap() then render() are fed to iptables-restore --noflush
 * inside a throwaway network namespace (root only: without root or a binary the tests fail, never skip).
 */
class KubeProxyRulesRestoreIT {

    /** Every kind of rule the renderer writes: FW chains, SVL, affinity, UDP, REJECT/DROP, the union case. */
    private static final List<ServiceEndpoints> SERVICES = List.of(
            svc("default", "service-test", "", "10.3.241.152", 80)
                    .with(ready("10.0.2.2:8080", "node2"), ready("10.0.1.2:8080", "node1")),
            svc("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(30001).loadBalancerIPs("1.2.3.4", "5.6.7.8")
                    .sourceRanges("192.168.0.0/24", "203.0.113.0/25").with(ready("10.180.0.1:80", null)),
            svc("ns3", "svc3", "https", "172.30.0.43", 443).nodePort(30443).loadBalancerIPs("1.2.3.4")
                    .externalPolicyLocal().healthCheckNodePort(30000)
                    .with(ready("10.180.2.7:8443", "node2"), servingTerminating("10.180.0.4:8443", "node1")),
            svc("ns4", "svc4", "dns", "172.30.0.44", 53).protocol("UDP").nodePort(30053)
                    .externalIPs("192.168.99.44").with(notReady("10.180.0.9:53", "node1")),
            svc("ns5", "svc5", "p80", "172.30.0.45", 80).internalPolicyLocal().with(ready("10.180.1.3:80", "node2")),
            svc("ns6", "svc6", "p80", "172.30.0.46", 80).sticky(10800).externalIPs("192.168.99.46")
                    .with(ready("10.180.0.1:80", null), ready("10.180.0.10:80", null), ready("10.180.0.2:80", null)),
            svc("ns7", "sctp", "assoc", "172.30.0.47", 9999).protocol("SCTP").with(ready("10.180.0.7:9999", "node1")));

    @ParameterizedTest
    @ValueSource(strings = {"iptables-nft", "iptables-legacy"})
    void iptablesRestoreAcceptsBootstrapAndRules(String iptables) throws Exception {
        assertThat("root".equals(System.getProperty("user.name"))).as("needs root to create a network namespace" + " (integration tests run as root with scripts/test.sh, which installs every tool: none may skip)").isTrue();
        assertThat(onPath(iptables + "-restore")).as(iptables + "-restore is not installed" + " (integration tests run as root with scripts/test.sh, which installs every tool: none may skip)").isTrue();

        String ns = "knl-proxytest-" + ProcessHandle.current().pid() + "-"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
        run(null, "ip", "netns", "add", ns);
        try {
            restore(ns, iptables, KubeProxyRules.bootstrap());
            restore(ns, iptables, KubeProxyRules.render(SERVICES, NODE));
            // A later sync replaces the service chains: fewer services, one endpoint more.
            restore(ns, iptables, KubeProxyRules.render(List.of(svc("default", "service-test", "", "10.3.241.152", 80)
                    .with(ready("10.0.2.2:8080", "node2"), ready("10.0.1.2:8080", "node1"), ready("10.0.1.3:8080", "node1"))), NODE));

            String saved = run(null, "ip", "netns", "exec", ns, iptables + "-save");
            assertThat(saved).contains(
                    "-A INPUT -j KUBE-FIREWALL\n-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL\n",
                    "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n",
                    ":KUBE-SVC-GBTMB5ZTD56ECL5F - [0:0]",
                    "--to-destination 10.0.1.3:8080",
                    "--probability 0.33333333");
        } finally {
            run(null, "ip", "netns", "delete", ns);
        }
    }

    /**
     * A sync from what we last gave a node ends exactly where a sync from the node's own iptables-save
     * does (every chain rewritten, stale ones deleted): the same iptables-save, for changes that add,
     * remove and move endpoints and drop whole services.
     */
    @Test
    void aPartialSyncEndsWhereAFullSyncEnds() throws Exception {
        assertThat("root".equals(System.getProperty("user.name"))).as("needs root to create a network namespace" + " (integration tests run as root with scripts/test.sh, which installs every tool: none may skip)").isTrue();
        assertThat(onPath("iptables-legacy-restore")).as("iptables-legacy-restore is not installed" + " (integration tests run as root with scripts/test.sh, which installs every tool: none may skip)").isTrue();
        String before = KubeProxyRules.render(SERVICES, NODE);
        List<ServiceEndpoints> changed = List.of(
                svc("default", "service-test", "", "10.3.241.152", 80).with(ready("10.0.1.2:8080", "node1"), ready("10.0.1.9:8080", "node1")),
                SERVICES.get(1), SERVICES.get(3), SERVICES.get(5));
        String after = KubeProxyRules.render(changed, NODE);
        String partial = PartialSync.restoreText(before, after);
        assertThat(partial.length()).isLessThan(after.length());
        String tag = ProcessHandle.current().pid() + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
        String full = "knl-proxyfull-" + tag, part = "knl-proxypart-" + tag;
        run(null, "ip", "netns", "add", full);
        run(null, "ip", "netns", "add", part);
        try {
            for (String ns : List.of(full, part)) {
                restore(ns, "iptables-legacy", KubeProxyRules.bootstrap());
                restore(ns, "iptables-legacy", before);
            }
            // "full": from what the node holds (a controller that just started); "part": from what we last gave it.
            restore(full, "iptables-legacy", PartialSync.restoreText(run(null, "ip", "netns", "exec", full, "iptables-legacy-save"), after));
            restore(part, "iptables-legacy", partial);
            String a = run(null, "ip", "netns", "exec", full, "iptables-legacy-save");
            String b = run(null, "ip", "netns", "exec", part, "iptables-legacy-save");
            assertThat(withoutComments(b)).isEqualTo(withoutComments(a));
            assertThat(a).doesNotContain("10.0.2.2:8080").contains("10.0.1.9:8080");
        } finally {
            run(null, "ip", "netns", "delete", full);
            run(null, "ip", "netns", "delete", part);
        }
    }

    /** iptables-save's "# Generated by/on" lines carry times: not part of the ruleset. */
    private static String withoutComments(String save) {
        return save.lines().filter(l -> !l.startsWith("#")).reduce("", (x, y) -> x + y + "\n");
    }

    private static void restore(String ns, String iptables, String payload) throws Exception {
        run(payload, "ip", "netns", "exec", ns, iptables + "-restore", "--noflush");
    }

    private static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, binary))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", binary)) || Files.isExecutable(Path.of("/sbin", binary));
    }

    /** Runs a command with the given stdin (null: none); fails the test with its stderr unless it exits 0. */
    private static String run(String stdin, String... argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("knl-proxytest", ".out");
        Path err = Files.createTempFile("knl-proxytest", ".err");
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
            assertThat(p.exitValue()).as("%s failed: %s", String.join(" ", argv), Files.readString(err)).isZero();
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
