package io.kubenetlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.verify.Check.Kind;
import io.kubenetlab.verify.Trial.SourceKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class JudgeTest {
    static final List<String> PODS = List.of("pod-a", "pod-b");

    static List<Outcome> answers(int a, int b) {
        List<Outcome> os = new ArrayList<>();
        os.addAll(Collections.nCopies(a, Outcome.answered("pod-a")));
        os.addAll(Collections.nCopies(b, Outcome.answered("pod-b")));
        return os;
    }

    static CheckResult judge(Kind kind, Expect e, int requests, List<Outcome> os) {
        return judge(kind, e, requests, os, 10);
    }

    static CheckResult judge(Kind kind, Expect e, int requests, List<Outcome> os, long ms) {
        Trial p = new Trial("client", SourceKind.POD, requests, e, kind == Kind.HAIRPIN ? "pod-a" : null);
        Check c = new Check(kind, "svc", "10.3.241.152", 80, List.of(p));
        return Judge.judge(c, List.of(new TrialRun(p, os, ms, null)));
    }

    @Test
    void anEvenSpreadOverEveryReadyEndpointPasses() {
        CheckResult r = judge(Kind.CLUSTER_IP, Expect.answer(PODS, false), 60, answers(31, 29));
        assertThat(r.passed()).isTrue();
        assertThat(r.result()).isEqualTo("60/60  pod-a 31  pod-b 29  p=0.80");
    }

    @Test
    void anEndpointThatNeverAnswersFailsAndIsNamed() {
        List<Outcome> os = answers(31, 0);
        os.addAll(Collections.nCopies(29, Outcome.refused()));
        CheckResult r = judge(Kind.CLUSTER_IP, Expect.answer(PODS, false), 60, os);
        assertThat(r.passed()).isFalse();
        assertThat(r.result()).isEqualTo("31/60  pod-a 31  pod-b 0  p=2.6e-08");
        assertThat(r.reason()).isEqualTo("29 refused; no answer from pod-b; uneven spread (p < 0.001)");
    }

    @Test
    void oneFailedRequestFailsTheLine() {
        List<Outcome> os = answers(30, 29);
        os.add(Outcome.timedOut());
        CheckResult r = judge(Kind.CLUSTER_IP, Expect.answer(PODS, false), 60, os);
        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo("1 timed out");
    }

    @Test
    void anUnevenSpreadFails() {
        CheckResult r = judge(Kind.CLUSTER_IP, Expect.answer(PODS, false), 60, answers(50, 10));
        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).startsWith("uneven spread");
        assertThat(r.result()).contains("p=2.4e-07");
    }

    @Test
    void anAnswerFromAPodThatIsNoReadyEndpointFails() {
        List<Outcome> os = answers(30, 29);
        os.add(Outcome.answered("stranger"));
        CheckResult r = judge(Kind.CLUSTER_IP, Expect.answer(PODS, false), 60, os);
        assertThat(r.passed()).isFalse();
        assertThat(r.result()).startsWith("60/60  pod-a 30  pod-b 29  stranger 1");
        assertThat(r.reason()).isEqualTo("answers from stranger, not a ready endpoint");
    }

    @Test
    void answersWithoutHelloAreCountedByConnectionOnly() {
        CheckResult r = judge(Kind.CLUSTER_IP, Expect.answer(PODS, false), 60, Collections.nCopies(60, Outcome.answered(null)));
        assertThat(r.passed()).isTrue();
        assertThat(r.result()).isEqualTo("60/60 answered");
        List<Outcome> os = new ArrayList<>(Collections.nCopies(59, Outcome.answered(null)));
        os.add(Outcome.refused());
        assertThat(judge(Kind.CLUSTER_IP, Expect.answer(PODS, false), 60, os).reason()).isEqualTo("1 refused");
    }

    @Test
    void endpointsOutsideTheLabAreCountedByConnectionOnly() {
        CheckResult r = judge(Kind.CLUSTER_IP, Expect.answer(null, false), 60, answers(60, 0));
        assertThat(r.passed()).isTrue();
        assertThat(r.result()).isEqualTo("60/60  pod-a 60");
    }

    @Test
    void oneEndpointHasNoPValue() {
        CheckResult r = judge(Kind.CLUSTER_IP, Expect.answer(List.of("pod-a"), false), 60, answers(60, 0));
        assertThat(r.passed()).isTrue();
        assertThat(r.result()).isEqualTo("60/60  pod-a 60");
    }

    @Test
    void clientIpAffinitySticksToOnePod() {
        CheckResult r = judge(Kind.CLUSTER_IP, Expect.answer(PODS, true), 60, answers(0, 60));
        assertThat(r.passed()).isTrue();
        assertThat(r.result()).isEqualTo("60/60  pod-a 0  pod-b 60  sticky (sessionAffinity ClientIP)");
        CheckResult r2 = judge(Kind.CLUSTER_IP, Expect.answer(PODS, true), 60, answers(30, 30));
        assertThat(r2.passed()).isFalse();
        assertThat(r2.reason()).contains("sessionAffinity ClientIP sticks to one");
    }

    @Test
    void aLoopCutShortFails() {
        CheckResult r = judge(Kind.CLUSTER_IP, Expect.answer(PODS, false), 60, answers(20, 20));
        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo("only 40 of 60 requests ran");
        List<Outcome> os = answers(1, 1);
        os.addAll(Collections.nCopies(5, Outcome.timedOut()));
        assertThat(judge(Kind.CLUSTER_IP, Expect.answer(PODS, false), 60, os).reason())
                .isEqualTo("5 timed out (stopped after 5 timeouts, 7 of 60 sent)");
    }

    @Test
    void aNodePortPassesWhenSomethingAnswers() {
        List<Outcome> os = answers(0, 40);
        os.addAll(Collections.nCopies(20, Outcome.refused()));
        CheckResult r = judge(Kind.NODE_PORT, Expect.answer(PODS, false), 60, os);
        assertThat(r.passed()).isTrue();
        assertThat(r.result()).isEqualTo("40/60  pod-a 0  pod-b 40  (20 refused)");
        CheckResult none = judge(Kind.NODE_PORT, Expect.answer(PODS, false), 60, Collections.nCopies(60, Outcome.refused()));
        assertThat(none.passed()).isFalse();
        assertThat(none.reason()).isEqualTo("no answer");
        CheckResult local = judge(Kind.NODE_PORT, Expect.answer(List.of("pod-a"), false), 60, answers(30, 30));
        assertThat(local.passed()).isFalse();
        assertThat(local.reason()).isEqualTo("answers from pod-b, not a ready endpoint");
    }

    @Test
    void hairpinPassesOnTheFirstAnswerFromItself() {
        Expect self = Expect.answer(PODS, false);
        assertThat(judge(Kind.HAIRPIN, self, 30, answers(1, 0)).result()).isEqualTo("answered by itself at the first request");
        List<Outcome> os = answers(0, 2);
        os.add(Outcome.answered("pod-a"));
        CheckResult r = judge(Kind.HAIRPIN, self, 30, os);
        assertThat(r.passed()).isTrue();
        assertThat(r.result()).isEqualTo("answered by itself after 3 requests");
        assertThat(judge(Kind.HAIRPIN, self, 30, List.of(Outcome.answered(null))).result()).contains("no \"Hello from\"");
    }

    @Test
    void hairpinUnderClientIpAffinityMayStickToAnotherPod() {
        CheckResult r = judge(Kind.HAIRPIN, Expect.answer(PODS, true), 30, answers(0, 30));
        assertThat(r.passed()).isTrue();
        assertThat(r.result()).isEqualTo("30/30 answered, by pod-b 30  sticky (sessionAffinity ClientIP): its own answer cannot be asked for");
        assertThat(judge(Kind.HAIRPIN, Expect.answer(PODS, false), 30, answers(0, 30)).passed()).isFalse();
        List<Outcome> os = answers(0, 29);
        os.add(Outcome.refused());
        assertThat(judge(Kind.HAIRPIN, Expect.answer(PODS, true), 30, os).passed()).isFalse();
    }

    @Test
    void hairpinFailsWhenThePodNeverReachesItself() {
        List<Outcome> os = answers(0, 15);
        os.addAll(Collections.nCopies(15, Outcome.timedOut()));
        CheckResult r = judge(Kind.HAIRPIN, Expect.answer(PODS, false), 30, os);
        assertThat(r.passed()).isFalse();
        assertThat(r.result()).isEqualTo("15/30 answered, by pod-b 15");
        assertThat(r.reason()).isEqualTo("no answer from itself in 30 requests; 15 timed out");
    }

    @Test
    void aServiceWithoutEndpointsMustRefuseAtOnce() {
        Expect e = Expect.refuse("no endpoints");
        CheckResult ok = judge(Kind.NO_ENDPOINTS, e, 1, List.of(Outcome.refused()), 12);
        assertThat(ok.passed()).isTrue();
        assertThat(ok.result()).isEqualTo("refused (no endpoints) in 12 ms");
        CheckResult slow = judge(Kind.NO_ENDPOINTS, e, 1, List.of(Outcome.refused()), 3100);
        assertThat(slow.passed()).isFalse();
        assertThat(slow.result()).isEqualTo("refused after 3100 ms");
        CheckResult timeout = judge(Kind.NO_ENDPOINTS, e, 1, List.of(Outcome.timedOut()), 3010);
        assertThat(timeout.passed()).isFalse();
        assertThat(timeout.result()).isEqualTo("timed out");
        assertThat(timeout.reason()).isEqualTo("expected refused (no endpoints)");
        CheckResult answered = judge(Kind.NO_ENDPOINTS, e, 1, List.of(Outcome.answered("pod-a")), 5);
        assertThat(answered.result()).isEqualTo("answered by pod-a");
        assertThat(answered.passed()).isFalse();
    }

    @Test
    void aLocalPolicyWithoutALocalEndpointMustDrop() {
        Expect e = Expect.drop("externalTrafficPolicy Local, no ready endpoint on node2");
        CheckResult ok = judge(Kind.NODE_PORT, e, 1, List.of(Outcome.timedOut()));
        assertThat(ok.passed()).isTrue();
        assertThat(ok.result()).isEqualTo("dropped (externalTrafficPolicy Local, no ready endpoint on node2)");
        assertThat(judge(Kind.NODE_PORT, e, 1, List.of(Outcome.answered("pod-a"))).passed()).isFalse();
    }

    @Test
    void reachCountsOneRequestPerSourceAndNamesTheSilentOnes() {
        Expect any = Expect.answer(PODS, false);
        Expect drop = Expect.drop("internalTrafficPolicy Local, no ready endpoint on node2");
        List<Trial> probes = List.of(new Trial("node1", SourceKind.NODE, 1, any, null), new Trial("node2", SourceKind.NODE, 1, drop, null),
                new Trial("pod-a", SourceKind.POD, 1, any, null), new Trial("client", SourceKind.POD, 1, any, null));
        Check c = new Check(Kind.REACH, "svc", "10.3.241.152", 80, probes);
        assertThat(c.from()).isEqualTo("2 nodes, 2 pods");
        CheckResult ok = Judge.judge(c, List.of(new TrialRun(probes.get(0), answers(1, 0), 5, null),
                new TrialRun(probes.get(1), List.of(Outcome.timedOut()), 3000, null),
                new TrialRun(probes.get(2), answers(0, 1), 5, null), new TrialRun(probes.get(3), List.of(Outcome.answered(null)), 5, null)));
        assertThat(ok.passed()).isTrue();
        assertThat(ok.result()).isEqualTo("3/3 answered, 1/1 dropped as expected (Local traffic policy)");
        CheckResult bad = Judge.judge(c, List.of(new TrialRun(probes.get(0), List.of(Outcome.refused()), 5, null),
                new TrialRun(probes.get(1), answers(1, 0), 5, null),
                TrialRun.failed(probes.get(2), "pod-a is not running (its sandbox process is gone)", 1),
                new TrialRun(probes.get(3), List.of(Outcome.answered("stranger")), 5, null)));
        assertThat(bad.passed()).isFalse();
        assertThat(bad.result()).isEqualTo("0/3 answered, 0/1 dropped as expected (Local traffic policy)");
        assertThat(bad.reason()).isEqualTo("node1 refused; node2 answered by pod-a, expected dropped "
                + "(internalTrafficPolicy Local, no ready endpoint on node2); pod-a: pod-a is not running (its sandbox process is gone); "
                + "client answered by stranger, not a ready endpoint");
    }

    @Test
    void anExecThatFailedFailsTheCheck() {
        Trial p = new Trial("client", SourceKind.POD, 60, Expect.answer(PODS, false), null);
        Check c = new Check(Kind.CLUSTER_IP, "svc", "10.3.241.152", 80, List.of(p));
        CheckResult r = Judge.judge(c, List.of(TrialRun.failed(p, "client is not running", 3)));
        assertThat(r.passed()).isFalse();
        assertThat(r.result()).isEqualTo("not run");
        assertThat(r.reason()).isEqualTo("client is not running");
    }

    @Test
    void tallyCountsEachKind() {
        Tally t = Tally.of(List.of(Outcome.answered("a"), Outcome.answered("a"), Outcome.answered(null), Outcome.refused(),
                Outcome.timedOut(), Outcome.failed("Network is unreachable"), Outcome.failed("other")));
        assertThat(t.sent()).isEqualTo(7);
        assertThat(t.answered()).isEqualTo(3);
        assertThat(t.notAnswered()).isEqualTo(4);
        assertThat(t.byBackend()).containsExactlyEntriesOf(java.util.Map.of("a", 2));
        assertThat(t.unattributed()).isEqualTo(1);
        assertThat(t.failures()).isEqualTo("1 refused, 1 timed out, 2 failed (Network is unreachable)");
    }
}
