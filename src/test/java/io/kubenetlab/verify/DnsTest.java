package io.kubenetlab.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.verify.Trial.SourceKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of the DNS lines: the script, reading getent's output, what a name should resolve to, the verdicts. */
class DnsTest {
    static final String GETENT_TWO = """
            10.0.2.2        STREAM service-test-headless.default.svc.cluster.local
            10.0.2.2        DGRAM \s
            10.0.2.2        RAW   \s
            10.0.1.2        STREAM\s
            10.0.1.2        DGRAM \s
            10.0.1.2        RAW   \s
            """;

    // ---------------------------------------------------------------- script and parsing

    @Test
    void oneScriptLooksUpEveryNameWithABoundedGetent() {
        List<String> argv = Dns.argv(List.of("service-test.default", "kube-dns.kube-system"));
        assertThat(argv).hasSize(3).startsWith("sh", "-c");
        assertThat(argv.get(2)).startsWith("for n in 'service-test.default' 'kube-dns.kube-system'; do ")
                .contains("timeout " + Dns.LOOKUP_TIMEOUT_SECONDS + " getent ahostsv4 \"$n\"").contains(Dns.MARK).endsWith("done; exit 0");
    }

    @Test
    void namesThatAreNotDnsNamesNeverReachTheShell() {
        assertThatThrownBy(() -> Dns.script(List.of("a'; rm -rf /; '"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dns.script(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Dns.Expected("-x", Set.of(), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getentOutputIsReadAsTheSetOfAddressesPerName() {
        String out = Dns.MARK + "0 4 service-test.default\n10.3.241.152    STREAM service-test.default.svc.cluster.local\n"
                + "10.3.241.152    DGRAM  \n10.3.241.152    RAW    \n"
                + Dns.MARK + "0 5 service-test-headless.default\n" + GETENT_TWO
                + Dns.MARK + "2 3 no-such-service.default\n\n"
                + Dns.MARK + "124 5002 slow.default\n\n"
                + Dns.MARK + "127 1 odd.default\nsh: 1: getent: not found\n";
        Map<String, Dns.Answer> a = Dns.parse(out);
        assertThat(a).containsOnlyKeys("service-test.default", "service-test-headless.default", "no-such-service.default", "slow.default",
                "odd.default");
        assertThat(a.get("service-test.default").addresses()).containsExactly("10.3.241.152");
        assertThat(a.get("service-test.default").ms()).isEqualTo(4);
        assertThat(a.get("service-test-headless.default").addresses()).containsExactly("10.0.2.2", "10.0.1.2");
        assertThat(a.get("service-test-headless.default").describe()).isEqualTo("10.0.1.2, 10.0.2.2");
        assertThat(a.get("no-such-service.default").exit()).isEqualTo(Dns.NOT_FOUND);
        assertThat(a.get("no-such-service.default").addresses()).isEmpty();
        assertThat(a.get("no-such-service.default").describe()).isEqualTo("no address (not found)");
        assertThat(a.get("slow.default").describe()).isEqualTo("a timeout (5 s)");
        assertThat(a.get("odd.default").describe()).isEqualTo("getent exit 127: sh: 1: getent: not found");
    }

    @Test
    void aScriptCutShortHasNoAnswerForTheRest() {
        assertThat(Dns.parse("")).isEmpty();
        assertThat(Dns.parse("garbage\n" + Dns.MARK + "0 1 a.default\n10.3.0.1 STREAM a.default\n")).containsOnlyKeys("a.default");
    }

    // ---------------------------------------------------------------- what a name should resolve to

    static ServiceRecord svc(String name, String ns, String type, String clusterIP, String externalName) {
        return new ServiceRecord(name, ns, Map.of(), type, null, clusterIP, List.of(), List.of(), List.of(), "None", 0, null, null, List.of(),
                externalName, "2026-01-01T00:00:00Z");
    }

    static EndpointRecord ep(String ip, boolean ready, String port) {
        return new EndpointRecord(Ipv4.parse(ip), null, null, ready, port, 5432, "TCP");
    }

    @Test
    void aClusterIpServiceResolvesToExactlyItsClusterIp() {
        Dns.Expected e = Dns.expected(svc("kube-dns", "kube-system", "ClusterIP", "10.3.240.10", null), List.of(ep("10.0.1.254", true, "dns")));
        assertThat(e.name()).isEqualTo("kube-dns.kube-system");
        assertThat(e.addresses()).containsExactly("10.3.240.10");
        assertThat(e.describe()).isEqualTo("10.3.240.10");
        assertThat(Dns.expected(svc("np", "default", "NodePort", "10.3.251.232", null), List.of()).addresses()).containsExactly("10.3.251.232");
    }

    @Test
    void aHeadlessServiceResolvesToItsReadyEndpointsOnceEach() {
        Dns.Expected e = Dns.expected(svc("database", "default", "ClusterIP", "None", null),
                List.of(ep("192.0.2.42", true, ""), ep("192.0.2.42", true, "metrics"), ep("192.0.2.43", false, "")));
        assertThat(e.addresses()).containsExactly("192.0.2.42");
        Dns.Expected none = Dns.expected(svc("empty", "default", "ClusterIP", "None", null), List.of(ep("10.0.1.9", false, "")));
        assertThat(none.addresses()).isEmpty();
        assertThat(none.describe()).isEqualTo("no address");
    }

    @Test
    void anExternalNameServiceIsNotExpectedToResolve() {
        assertThat(Dns.expected(svc("ext", "default", "ExternalName", null, "example.org"), List.of())).isNull();
    }

    @Test
    void anExternalNameToAClusterServiceResolvesAsItsTarget() {
        ServiceRecord web = svc("web", "default", "ClusterIP", "10.3.245.148", null);
        ServiceRecord hl = svc("hl", "apps", "ClusterIP", "None", null);
        ServiceRecord toWeb = svc("to-web", "default", "ExternalName", null, "web.default.svc.cluster.local");
        ServiceRecord toHl = svc("to-hl", "default", "ExternalName", null, "HL.apps.svc.cluster.local.");
        ServiceRecord chain = svc("chain", "other", "ExternalName", null, "to-web.default.svc.cluster.local");
        ServiceRecord gone = svc("gone", "default", "ExternalName", null, "nope.default.svc.cluster.local");
        ServiceRecord outside = svc("outside", "default", "ExternalName", null, "example.org");
        ServiceRecord toOutside = svc("to-outside", "default", "ExternalName", null, "outside.default.svc.cluster.local");
        List<ServiceRecord> all = List.of(web, hl, toWeb, toHl, chain, gone, outside, toOutside);
        Map<String, List<EndpointRecord>> eps = Map.of(hl.key(), List.of(ep("10.0.1.2", true, ""), ep("10.0.2.2", true, "")));

        assertThat(Dns.externalName(toWeb, all, eps, "cluster.local").addresses()).containsExactly("10.3.245.148");
        assertThat(Dns.externalName(toWeb, all, eps, "cluster.local").name()).isEqualTo("to-web.default");
        assertThat(Dns.externalName(toHl, all, eps, "cluster.local").addresses()).containsExactlyInAnyOrder("10.0.1.2", "10.0.2.2");
        assertThat(Dns.externalName(chain, all, eps, "cluster.local").addresses()).containsExactly("10.3.245.148");
        assertThat(Dns.externalName(gone, all, eps, "cluster.local").addresses()).isEmpty();
        assertThat(Dns.externalName(toOutside, all, eps, "cluster.local").addresses()).isEmpty();
        assertThat(Dns.externalName(outside, all, eps, "cluster.local")).isNull();
    }

    // ---------------------------------------------------------------- verdicts

    static final List<String> PODS = List.of("a", "b", "c");

    static Check line(Dns.Expected e, List<String> pods) {
        return Check.dns(e, pods.stream().map(p -> new Trial(p, SourceKind.POD, 1, null, null)).toList());
    }

    static Dns.PodRun ran(String pod, String stdout) {
        return Dns.PodRun.ran(pod, Dns.parse(stdout));
    }

    static String answer(String name, int exit, long ms, String... ips) {
        StringBuilder sb = new StringBuilder(Dns.MARK + exit + " " + ms + " " + name + "\n");
        for (String ip : ips) sb.append(ip).append("  STREAM ").append(name).append('\n').append(ip).append("  DGRAM\n");
        return sb.toString();
    }

    static Map<String, Dns.PodRun> runs(Dns.PodRun... runs) {
        Map<String, Dns.PodRun> m = new LinkedHashMap<>();
        for (Dns.PodRun r : runs) m.put(r.pod(), r);
        return m;
    }

    @Test
    void everyPodGettingTheClusterIpPasses() {
        Check c = line(new Dns.Expected("service-test.default", Set.of("10.3.241.152"), false), PODS);
        assertThat(c.target()).isEqualTo("-> 10.3.241.152");
        assertThat(c.from()).isEqualTo("3 pods");
        String out = answer("service-test.default", 0, 3, "10.3.241.152");
        CheckResult r = Dns.judge(c, runs(ran("a", out), ran("b", out), ran("c", out)));
        assertThat(r.passed()).isTrue();
        assertThat(r.result()).isEqualTo("3/3");
    }

    @Test
    void podsThatGotSomethingElseAreNamedByWhatTheyGot() {
        Check c = line(new Dns.Expected("service-test-headless.default", Set.of("10.0.1.2", "10.0.2.2"), false), PODS);
        String name = "service-test-headless.default";
        CheckResult r = Dns.judge(c, runs(ran("a", answer(name, 0, 2, "10.0.2.2", "10.0.1.2")), ran("b", answer(name, 0, 2, "10.0.1.2")),
                ran("c", answer(name, 2, 2))));
        assertThat(r.passed()).isFalse();
        assertThat(r.result()).isEqualTo("1/3");
        assertThat(r.reason()).isEqualTo("b got 10.0.1.2; c got no address (not found)");
    }

    @Test
    void aNameThatMustNotResolvePassesOnlyWhenNotFound() {
        Check c = line(new Dns.Expected("empty.default", Set.of(), false), List.of("a", "b", "c"));
        CheckResult r = Dns.judge(c, runs(ran("a", answer("empty.default", 2, 1)), ran("b", answer("empty.default", 0, 1, "10.0.1.9")),
                ran("c", answer("empty.default", 124, 5001))));
        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo("b got 10.0.1.9; c got a timeout (5 s)");
        assertThat(Dns.judge(c, runs(ran("a", answer("empty.default", 2, 1)))).result()).startsWith("1/1");
    }

    @Test
    void aPodWhoseExecFailsIsSkippedAndNamedOnTheLine() {
        Check c = line(new Dns.Expected("service-test.default", Set.of("10.3.241.152"), false), PODS);
        CheckResult r = Dns.judge(c, runs(ran("a", answer("service-test.default", 0, 3, "10.3.241.152")),
                Dns.PodRun.skipped("b", "is not running (its sandbox process is gone)")));
        assertThat(r.passed()).isTrue();
        assertThat(r.result()).isEqualTo("1/1  (skipped, exec failed: b: is not running (its sandbox process is gone); c)");
    }

    @Test
    void aLineWithoutAnyPodThatRanFails() {
        Check c = line(new Dns.Expected("service-test.default", Set.of("10.3.241.152"), false), List.of("b"));
        CheckResult r = Dns.judge(c, runs(Dns.PodRun.skipped("b", "gone")));
        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo("no pod could run getent");
        CheckResult cut = Dns.judge(c, runs(ran("b", answer("other.default", 0, 1, "10.3.0.1"))));
        assertThat(cut.reason()).isEqualTo("b got no answer (the lookup was cut short)");
    }

    @Test
    void aMissingNameMustFailAtOnce() {
        Check c = line(new Dns.Expected(Dns.NO_SUCH_NAME, Set.of(), true), List.of("a"));
        assertThat(c.target()).isEqualTo("-> NXDOMAIN");
        assertThat(c.from()).isEqualTo("a");
        CheckResult ok = Dns.judge(c, runs(ran("a", answer(Dns.NO_SUCH_NAME, 2, 7))));
        assertThat(ok.passed()).isTrue();
        assertThat(ok.result()).isEqualTo("not found in 7 ms");
        CheckResult slow = Dns.judge(c, runs(ran("a", answer(Dns.NO_SUCH_NAME, 2, 4012))));
        assertThat(slow.passed()).isFalse();
        assertThat(slow.result()).isEqualTo("not found after 4012 ms");
        assertThat(slow.reason()).isEqualTo("expected NXDOMAIN at once (< 2000 ms), not a timeout");
        CheckResult timeout = Dns.judge(c, runs(ran("a", answer(Dns.NO_SUCH_NAME, 124, 5003))));
        assertThat(timeout.passed()).isFalse();
        assertThat(timeout.result()).isEqualTo("a timeout (5 s)");
        CheckResult resolved = Dns.judge(c, runs(ran("a", answer(Dns.NO_SUCH_NAME, 0, 2, "10.3.0.9"))));
        assertThat(resolved.passed()).isFalse();
        assertThat(resolved.result()).isEqualTo("resolved to 10.3.0.9");
        CheckResult gone = Dns.judge(c, runs(Dns.PodRun.skipped("a", "is not running")));
        assertThat(gone.passed()).isFalse();
        assertThat(gone.reason()).isEqualTo("a: is not running");
    }
}
