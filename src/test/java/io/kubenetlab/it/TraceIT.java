package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.trace.TraceReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code kubenetlab trace} on the article's lab, in both kube-proxy modes (issue 14): a ClusterIP on the
 * same node and across nodes, a NodePort from outside, the load balancer's EXTERNAL-IP, a Service with no
 * endpoints (rejected, and said why), UDP to the cluster DNS; and that a trace, finished or interrupted,
 * leaves every namespace as it found it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceIT {
    private static final String NOBODY = """
            apiVersion: v1
            kind: Service
            metadata: {name: nobody}
            spec:
              selector: {app: nobody}
              ports: [{port: 80, targetPort: 8080}]
            """;
    private final List<Lab> labs = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private Lab iptables;
    private Lab nftables;
    private Path dir;

    @BeforeAll
    void deploy() throws IOException {
        ItSupport.requireRoot();
        dir = Files.createTempDirectory("knl-i14t");
        Path topology = ItSupport.articleWith(dir, NOBODY);
        iptables = deploy(topology, "iptables");
        nftables = deploy(topology, "nftables");
    }

    private Lab deploy(Path topology, String mode) {
        String name = ItSupport.uniqueLab("i14t-" + mode.substring(0, 3));
        names.add(name);
        Lab lab = Lab.deploy(topology, Lab.Options.defaults().withName(name).withProxyMode(mode));
        labs.add(lab);
        return lab;
    }

    @AfterAll
    void destroy() throws IOException {
        for (Lab l : labs) l.close();
        for (String n : names) ItSupport.assertGone(n);
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Traces until one ends as wanted (the endpoint is a random choice); fails after n tries. */
    private TraceReport traceUntil(Lab lab, String from, String to, Predicate<TraceReport> wanted, int n) {
        TraceReport last = null;
        for (int i = 0; i < n; i++) {
            last = lab.trace(from, to, null, 0);
            if (wanted.test(last)) return last;
        }
        throw new AssertionError("no trace of " + from + " -> " + to + " in " + n + " tries ended as wanted; the last:\n" + last.text());
    }

    private static String text(TraceReport r) {
        return r.text();
    }

    private static boolean crossNode(TraceReport r) {
        return r.hops().stream().anyMatch(h -> h.machine().equals("router")) && r.verdict().contains("on node2");
    }

    private static boolean sameNode(TraceReport r) {
        return r.verdict().contains("on node1") && r.hops().stream().noneMatch(h -> h.machine().equals("router"));
    }

    @Test
    void clusterIPSameNodeAndAcrossNodesInIptablesMode() {
        String before = traceState(iptables);
        TraceReport same = traceUntil(iptables, "service-test-client1", "service-test:80", TraceIT::sameNode, 12);
        assertThat(text(same))
                .containsPattern("nat KUBE-SERVICES #\\d+: -> KUBE-SVC-")
                .contains("(default/service-test cluster IP)")
                .containsPattern("picked endpoint \\d of 2")
                .contains("DNAT 10.3.241.152:80 -> 10.0.1.2:8080 (pod default/service-test-")
                .contains("cbr0 -> pod default/service-test-");
        assertThat(same.answer()).startsWith("HTTP/1.0 200 OK").contains("Hello from service-test-");
        assertThat(same.reply()).anySatisfy(r -> assertThat(r).contains("node1 reverses its DNAT 10.3.241.152:80"));

        TraceReport cross = traceUntil(iptables, "service-test-client1", "service-test:80", TraceIT::crossNode, 12);
        assertThat(text(cross))
                .contains("DNAT 10.3.241.152:80 -> 10.0.2.2:8080 (pod default/service-test-")
                .contains("route to 10.0.2.2 via 10.100.0.1 dev eth0 (router)")
                .contains("route to 10.0.2.2 via 10.100.0.3");
        assertThat(traceState(iptables)).as("nothing of the traces left in any namespace").isEqualTo(before);
    }

    @Test
    void nodePortFromOutsideAndTheLoadBalancerInIptablesMode() {
        TraceReport np = iptables.trace("ext-client", "node2:30080", null, 0);
        assertThat(text(np)).contains("ext-client").contains("route to 10.100.0.3 dev eth0 (node2)")
                .contains("-> KUBE-NODEPORTS").contains("(default/service-test-nodeport)").contains("MASQUERADE")
                .contains("DNAT 10.100.0.3:30080 -> 10.0.");
        assertThat(np.verdict()).startsWith("reached pod default/service-test-");
        assertThat(np.answer()).startsWith("HTTP/1.0 200 OK");

        TraceReport lb = iptables.trace("ext-client", "service-test-lb", null, 0);
        assertThat(lb.request().dst()).isEqualTo("203.0.113.100");
        assertThat(lb.hops()).extracting(TraceReport.Hop::machine).startsWith("ext-client", "router", "lb", "router");
        assertThat(text(lb)).contains("KUBENETLAB-LB #").contains("DNAT 203.0.113.100:80 -> 10.100.0.")
                .contains("lb reverses its DNAT 203.0.113.100:80");
        assertThat(lb.verdict()).startsWith("reached pod default/service-test-");
    }

    @Test
    void noEndpointsIsRejectedAndSaidWhyInBothModes() {
        TraceReport ipt = iptables.trace("service-test-client1", "nobody", null, 0);
        assertThat(ipt.verdict()).contains("rejected by filter KUBE-SERVICES").contains("default/nobody has no endpoints");
        assertThat(ipt.answer()).contains("Connection refused");
        TraceReport nft = nftables.trace("service-test-client1", "nobody", null, 0);
        assertThat(text(nft)).contains("@no-endpoint-services  => goto reject-chain").contains("(packet rejected)");
        assertThat(nft.verdict()).contains("rejected by kube-proxy reject-chain").contains("Service default/nobody (ClusterIP) has no ready endpoints");
    }

    @Test
    void nftablesModeShowsItsChainsTheRandomChoiceAndTheBalancer() {
        String before = traceState(nftables);
        TraceReport cross = traceUntil(nftables, "service-test-client1", "service-test", TraceIT::crossNode, 12);
        assertThat(text(cross)).contains("netfilter (nftables)")
                .contains("goto service-").contains("default/service-test/tcp/")
                .containsPattern("\\(random choice: endpoint \\d of 2\\)")
                .contains("dnat to 10.0.2.2:8080  => accept (pod default/service-test-")
                .contains("route to 10.0.2.2 via 10.100.0.1 dev eth0 (router)");
        assertThat(cross.answer()).startsWith("HTTP/1.0 200 OK");
        TraceReport lb = nftables.trace("ext-client", "service-test-lb", null, 0);
        assertThat(lb.hops()).extracting(TraceReport.Hop::machine).contains("lb");
        assertThat(lb.verdict()).startsWith("reached pod default/service-test-");
        assertThat(traceState(nftables)).isEqualTo(before);
    }

    @Test
    void udpToTheClusterDns() {
        TraceReport dns = iptables.trace("service-test-client1", "kube-system/kube-dns:53", "udp", 0);
        assertThat(dns.request().proto()).isEqualTo("udp");
        assertThat(dns.verdict()).startsWith("reached pod kube-system/kube-dns-");
        assertThat(text(dns)).contains("(kube-system/kube-dns:dns cluster IP)");
    }

    @Test
    void theCliPrintsJsonAndAnInterruptedTraceLeavesNothing() throws Exception {
        String rootBefore = ItSupport.rootNamespaceSnapshot() + rootNfLog();
        String before = traceState(iptables);
        ItSupport.CliResult r = ItSupport.cli("trace", "service-test-client1", "service-test", "--lab", iptables.name(), "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("verdict").asText()).startsWith("reached pod default/service-test-");
        assertThat(json.path("hops").get(1).path("rules").size()).isPositive();

        // A trace that waits (nobody answers at 192.0.2.99), stopped by SIGTERM as Ctrl-C or a timeout would.
        List<String> argv = List.of(ItSupport.REPO.resolve("scripts/kubenetlab").toString(), "trace", "ext-client", "192.0.2.99:80",
                "--lab", iptables.name());
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!traceState(iptables).contains("kubenetlab-trace-") && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertThat(traceState(iptables)).as("the trace's tables are in place").contains("kubenetlab-trace-");
        p.destroy();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(traceState(iptables)).as("an interrupted trace removed all it added").isEqualTo(before);
        assertThat(ItSupport.rootNamespaceSnapshot() + rootNfLog()).as("the root namespace is untouched").isEqualTo(rootBefore);
    }

    private static String rootNfLog() {
        return ItSupport.KERNEL.run(List.of("sysctl", "-n", "net.netfilter.nf_log.2"), null, false).stdout();
    }

    /**
     * What a trace may touch, in every machine namespace of the lab: nft tables, nf_log's IPv4 logger,
     * and processes monitoring it (by their netns path in their argv).
     */
    private static String traceState(Lab lab) {
        StringBuilder sb = new StringBuilder();
        Kernel k = ItSupport.KERNEL;
        for (var m : lab.plan().machines()) {
            if (m.kind() == io.kubenetlab.plan.MachinePlan.Kind.POD) continue;
            sb.append(m.name()).append(": ").append(k.run(List.of("ip", "netns", "exec", m.netns(), "nft", "list", "tables")).stdout().strip())
                    .append(" nf_log=").append(k.readSysctls(m.netns(), List.of("net.netfilter.nf_log.2"))).append('\n');
        }
        try (var procs = Files.list(Path.of("/proc"))) {
            procs.filter(d -> d.getFileName().toString().matches("\\d+")).forEach(d -> {
                try {
                    String cmd = Files.readString(d.resolve("cmdline")).replace('\0', ' ');
                    if (cmd.contains("/run/netns/knl-" + lab.name() + "-") && (cmd.contains("monitor trace") || cmd.contains("nflog:0"))) {
                        sb.append("monitor: ").append(cmd).append('\n');
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sb.toString();
    }
}
