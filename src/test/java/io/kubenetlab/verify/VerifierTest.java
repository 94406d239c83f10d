package io.kubenetlab.verify;

import static io.kubenetlab.verify.LabFixture.A;
import static io.kubenetlab.verify.LabFixture.B;
import static io.kubenetlab.verify.LabFixture.CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.model.LabException;
import io.kubenetlab.kernel.Kernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole run against a stand-in lab: the exec answers as the article's lab would. */
class VerifierTest {
    @TempDir
    Path tmp;

    static final Pattern LOOP = Pattern.compile("-lt (\\d+) .* nc -v -N -w 3 (\\S+) (\\d+) 2>&1");

    /** A lab where both servers answer in turn; {@code deadPod} refuses (its server was killed). */
    static final class FakeLab implements Verifier.Exec {
        final String deadPod;
        final List<String> calls = new ArrayList<>();
        final List<String> dnsCalls = new ArrayList<>();
        /** What each name resolves to in this lab (anything else: not found). */
        final java.util.Map<String, String> zone = new java.util.HashMap<>(java.util.Map.of(
                "service-test.default", "10.3.241.152", "service-test-nodeport.default", "10.3.251.232",
                "service-test-lb.default", "10.3.253.211", "nobody.default", "10.3.250.7",
                "service-test-headless.default", "10.0.2.2 10.0.1.2"));
        int turn;
        /** How many of the next ClusterIP samples of service-test from the client answer 46 to 14 (a fair coin's rare run). */
        int skewedSamples;

        FakeLab(String deadPod) {
            this.deadPod = deadPod;
        }

        /** Synchronized: verify runs several probes at once, and each answers its requests in turn. */
        @Override
        public synchronized Kernel.Result run(String target, List<String> argv) {
            assertThat(argv.subList(0, 2)).containsExactly("sh", "-c");
            if (argv.get(2).startsWith("for n in ")) return dns(target, argv.get(2));
            Matcher m = LOOP.matcher(argv.get(2));
            assertThat(m.find()).as(argv.get(2)).isTrue();
            int n = Integer.parseInt(m.group(1));
            String ip = m.group(2);
            calls.add(target + " -> " + ip + ":" + m.group(3));
            if (target.equals("gone")) throw new LabException("gone is not running (its sandbox process is gone)");
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < n; i++) {
                out.append(Requests.MARK);
                if (ip.equals("10.3.250.7")) {
                    out.append("1\nnc: connect to 10.3.250.7 port 80 (tcp) failed: Connection refused\n");
                    continue;
                }
                String pod = (turn++ % 2 == 0) ? A : B;
                if (skewing(target, ip, n)) pod = i < 46 ? A : B;
                if (target.equals(A) && i == 0) pod = A; // the hairpin pod reaches itself at once
                if (pod.equals(deadPod)) out.append("1\nnc: connect to x port 8080 (tcp) failed: Connection refused\n");
                else out.append("0\nHTTP/1.0 200 OK\n\n<p>Hello from ").append(pod).append("</p>\n");
                if (target.equals(A) && pod.equals(A) && argv.get(2).contains("Hello from " + A)) break;
            }
            if (skewing(target, ip, n)) skewedSamples--;
            return new Kernel.Result(0, out.toString(), "");
        }

        private boolean skewing(String target, String ip, int n) {
            return skewedSamples > 0 && target.equals(CLIENT) && ip.equals("10.3.241.152") && n == 60;
        }

        /** getent ahostsv4 for each name of the script, as glibc prints it. */
        Kernel.Result dns(String target, String script) {
            dnsCalls.add(target);
            if (target.equals("gone")) throw new LabException("gone is not running (its sandbox process is gone)");
            StringBuilder out = new StringBuilder();
            Matcher names = Pattern.compile("'([a-z0-9.-]+)'").matcher(script.substring(0, script.indexOf("; do")));
            while (names.find()) {
                String n = names.group(1);
                String ips = zone.get(n);
                if (ips == null) {
                    out.append(Dns.MARK).append("2 3 ").append(n).append("\n\n");
                    continue;
                }
                out.append(Dns.MARK).append("0 2 ").append(n).append('\n');
                for (String ip : ips.split(" ")) {
                    out.append(ip).append("      STREAM ").append(n).append(".svc.cluster.local\n")
                            .append(ip).append("      DGRAM  \n").append(ip).append("      RAW    \n");
                }
            }
            return new Kernel.Result(0, out.toString(), "");
        }
    }

    @Test
    void theArticlesLabPassesEveryCheck() {
        FakeLab lab = new FakeLab(null);
        List<String> out = new ArrayList<>();
        List<CheckResult> results = new Verifier(lab).run(VerifyPlan.of(LabFixture.article(tmp), 60), out::add);
        assertThat(Report.allPassed(results)).isTrue();
        assertThat(out.get(0)).isEqualTo("note: skipped service-test-headless: headless (clusterIP None), not proxied");
        assertThat(out.get(1)).isEqualTo("ClusterIP     service-test           10.3.241.152:80   from " + CLIENT + "           60/60  "
                + A + " 30  " + B + " 30  p=1.00  PASS");
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("NodePort      service-test-nodeport  10.100.0.3:30080  from ext-client")
                .endsWith("  PASS").doesNotContain("p="));
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("Reach         service-test           10.3.241.152:80   from 2 nodes, 3 pods")
                .endsWith("5/5 answered  PASS"));
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("Hairpin       service-test           10.3.241.152:80   from " + A)
                .endsWith("answered by itself at the first request  PASS"));
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("NoEndpoints   nobody                 10.3.250.7:80     from " + CLIENT)
                .contains("refused (no endpoints) in ").endsWith(" ms  PASS"));
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("LoadBalancer  service-test-lb        203.0.113.100:80  from ext-client")
                .endsWith("  PASS"));
        assertThat(out).contains(
                "DNS  service-test.default           -> 10.3.241.152        from 3 pods                3/3  PASS",
                "DNS  service-test-headless.default  -> 10.0.1.2, 10.0.2.2  from 3 pods                3/3  PASS",
                "DNS  no-such-service.default        -> NXDOMAIN            from " + CLIENT + "  not found in 3 ms  PASS");
        assertThat(out.get(out.size() - 1)).isEqualTo("verify: 21 checks, 21 passed");
        assertThat(out).hasSize(23);
        // one exec per pod for every name
        assertThat(lab.dnsCalls).containsExactlyInAnyOrder(A, B, CLIENT);
    }

    @Test
    void checksOfOneProbeRunSeveralAtOnceAndPrintInThePlansOrder() {
        FakeLab lab = new FakeLab(null);
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean firstRunning = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger besideFirst = new java.util.concurrent.atomic.AtomicInteger();
        Verifier.Exec slow = (target, argv) -> {
            boolean first = calls.incrementAndGet() == 1;
            if (first) firstRunning.set(true);
            else if (firstRunning.get()) besideFirst.incrementAndGet();
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                // The plan's first check (one probe) is the slowest: later ones finish first and must wait to print.
                Thread.sleep(first ? 300 : 30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
                if (first) firstRunning.set(false);
            }
            return lab.run(target, argv);
        };
        VerifyPlan plan = VerifyPlan.of(LabFixture.article(tmp), 60);
        List<String> out = new ArrayList<>();
        List<CheckResult> results = new Verifier(slow).run(plan, out::add);
        assertThat(Report.allPassed(results)).isTrue();
        assertThat(results).extracting(CheckResult::check).containsExactlyElementsOf(plan.checks());
        assertThat(out.get(1)).startsWith("ClusterIP     service-test           10.3.241.152:80   from " + CLIENT);
        assertThat(besideFirst.get()).as("probes of other checks run while the first check's runs").isPositive();
        assertThat(most.get()).as("probes running at once").isBetween(2, Verifier.PARALLEL * 2);
    }

    @Test
    void anUnevenSampleIsTakenAgainAndBelievedOnlyIfTheSecondIsUnevenToo() {
        FakeLab once = new FakeLab(null);
        once.skewedSamples = 1;
        List<String> out = new ArrayList<>();
        assertThat(Report.allPassed(new Verifier(once).run(VerifyPlan.of(LabFixture.article(tmp), 60), out::add))).isTrue();
        assertThat(out.get(1)).contains("60/60").contains("(a first sample was uneven: 60/60  " + A + " 46  " + B + " 14  p=").endsWith("PASS");

        FakeLab always = new FakeLab(null);
        always.skewedSamples = 2;
        out.clear();
        assertThat(Report.allPassed(new Verifier(always).run(VerifyPlan.of(LabFixture.article(tmp), 60), out::add))).isFalse();
        assertThat(out.get(1)).contains(A + " 46  " + B + " 14").endsWith("FAIL: uneven spread (p < 0.001)");
    }

    @Test
    void trafficGoesOnlyToClusterIpsAndNodesOfTheLab() {
        FakeLab lab = new FakeLab(null);
        new Verifier(lab).run(VerifyPlan.of(LabFixture.article(tmp), 5), l -> {});
        Set<String> allowed = Set.of("10.3.241.152", "10.3.251.232", "10.3.253.211", "10.3.250.7", "10.100.0.2", "10.100.0.3",
                "203.0.113.100");
        assertThat(lab.calls).isNotEmpty().allSatisfy(c -> assertThat(allowed).contains(c.substring(c.indexOf("-> ") + 3, c.lastIndexOf(':'))));
        // one exec per client and Service, per node and NodePort, per source of Reach, per hairpin, per refusal
        assertThat(lab.calls).hasSize(3 + 4 + 1 + 3 * 5 + 3 + 1);
    }

    @Test
    void aDeadServerFailsTheChecksThatNeedItAndTheLastLineSaysWhich() {
        FakeLab lab = new FakeLab(B);
        List<String> out = new ArrayList<>();
        List<CheckResult> results = new Verifier(lab).run(VerifyPlan.of(LabFixture.article(tmp), 60), out::add);
        assertThat(Report.allPassed(results)).isFalse();
        String spread = out.get(1);
        assertThat(spread).startsWith("ClusterIP     service-test ").contains("30/60  " + A + " 30  " + B + " 0")
                .endsWith("FAIL: 30 refused; no answer from " + B + "; uneven spread (p < 0.001)");
        String last = out.get(out.size() - 1);
        assertThat(last).startsWith("verify: FAILED: ").contains(" FAIL: ");
        assertThat(out).contains("verify: FAILED: " + spread);
        assertThat(out).anySatisfy(l -> assertThat(l).matches("verify: 21 checks, \\d+ passed, \\d+ failed"));
    }

    @Test
    void aSourceThatCannotExecFailsItsLine() {
        LabFixtureWithGone s = new LabFixtureWithGone(tmp);
        List<String> out = new ArrayList<>();
        List<CheckResult> results = new Verifier(new FakeLab(null)).run(VerifyPlan.of(s.state, 3), out::add);
        assertThat(results).filteredOn(r -> !r.passed()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.reason()).contains("gone is not running"));
        // A pod whose sandbox is gone is left out of the DNS lines, which name it.
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("DNS  service-test.default ")
                .endsWith("from 4 pods                3/3  (skipped, exec failed: gone: is not running (its sandbox process is gone))  PASS"));
        assertThat(out.get(out.size() - 1)).startsWith("verify: FAILED: ");
    }

    /** The article's lab plus a client pod whose sandbox is gone. */
    static final class LabFixtureWithGone {
        final io.kubenetlab.model.LabState state;

        LabFixtureWithGone(Path tmp) {
            state = LabFixture.article(tmp);
            state.pods.add(LabFixture.pod("gone", "node2", "10.0.2.9", null));
        }
    }
}
