package io.kubenetlab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.k8s.Probe;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.PodFacts.ContainerFacts;
import io.kubenetlab.model.PodFacts.Exit;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.kubelet.ProbeState.Result;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kubelet's probe worker driven by a fake clock and a fake checker (a list of outcomes). */
class ProbeWorkerTest {
    static Probe tcp(int delay, int period, int success, int failure) {
        return new Probe(null, null, new Probe.TcpSocketAction(80, null, null), delay, period, 1, success, failure, null);
    }

    static ProbeWorker worker(ProbeKind kind, Probe p) {
        ContainerRecord c = new ContainerRecord("web", "alpine", "alpine", List.of("x"), Map.of(), List.of(),
                kind == ProbeKind.READINESS ? p : null, kind == ProbeKind.LIVENESS ? p : null, kind == ProbeKind.STARTUP ? p : null);
        PodRecord pod = new PodRecord("p", "default", "u", Map.of(), null, null, "node1", Ipv4.parse("10.0.1.2"), "ns", "v",
                "Always", List.of(c), "t", null);
        return new ProbeWorker(pod, c, kind);
    }

    static ContainerFacts running(int run, long startedAt) {
        return new ContainerFacts("web", run, startedAt, run > 1 ? new Exit(run - 1, 137, 0, 0) : null, true);
    }

    /** Ticks and feeds outcomes in order, returning the published result after each. */
    static Result feed(ProbeWorker w, long now, int run, boolean... outcomes) {
        for (boolean ok : outcomes) {
            ProbeWorker.Step s = w.tick(now, running(run, 0), true);
            assertThat(s.probe()).isTrue();
            w.outcome(ok ? ProbeOutcome.ok() : ProbeOutcome.failed("x"), run);
            now += 1000;
        }
        return w.result(run);
    }

    @Test
    void readinessStartsFailedAndNeedsSuccessThresholdInARow() {
        ProbeWorker w = worker(ProbeKind.READINESS, tcp(0, 1, 2, 3));
        w.tick(0, running(1, 0), true);
        assertThat(w.result(1)).isEqualTo(Result.FAILURE);
        w.outcome(ProbeOutcome.ok(), 1);
        assertThat(w.result(1)).isEqualTo(Result.FAILURE); // one success of two
        w.outcome(ProbeOutcome.failed("x"), 1);
        w.outcome(ProbeOutcome.ok(), 1);
        assertThat(w.result(1)).isEqualTo(Result.FAILURE); // the run of successes started over
        assertThat(w.outcome(ProbeOutcome.ok(), 1).changed()).isTrue();
        assertThat(w.result(1)).isEqualTo(Result.SUCCESS);
    }

    @Test
    void failureThresholdConsecutiveFailuresTurnItNotReadyAndOneSuccessBack() {
        ProbeWorker w = worker(ProbeKind.READINESS, tcp(0, 1, 1, 3));
        assertThat(feed(w, 0, 1, true)).isEqualTo(Result.SUCCESS);
        assertThat(feed(w, 1000, 1, false, false)).isEqualTo(Result.SUCCESS);
        assertThat(feed(w, 3000, 1, true, false, false)).isEqualTo(Result.SUCCESS);
        assertThat(feed(w, 6000, 1, false)).isEqualTo(Result.FAILURE);
        assertThat(feed(w, 7000, 1, true)).isEqualTo(Result.SUCCESS);
        // A readiness failure never kills.
        ProbeWorker r = worker(ProbeKind.READINESS, tcp(0, 1, 1, 1));
        r.tick(0, running(1, 0), true);
        assertThat(r.outcome(ProbeOutcome.failed("x"), 1).kill()).isFalse();
    }

    @Test
    void livenessStartsHealthyAndKillsAfterFailureThresholdThenHolds() {
        ProbeWorker w = worker(ProbeKind.LIVENESS, tcp(0, 10, 1, 3));
        w.tick(0, running(1, 0), true);
        assertThat(w.result(1)).isEqualTo(Result.SUCCESS);
        assertThat(w.outcome(ProbeOutcome.failed("x"), 1).kill()).isFalse();
        assertThat(w.outcome(ProbeOutcome.failed("x"), 1).kill()).isFalse();
        ProbeWorker.Effect third = w.outcome(ProbeOutcome.failed("x"), 1);
        assertThat(third.kill()).isTrue();
        assertThat(third.changed()).isTrue();
        // On hold until the supervisor has started the next run: no probes, no second kill.
        assertThat(w.tick(10_000, running(1, 0), true).probe()).isFalse();
        assertThat(w.outcome(ProbeOutcome.failed("x"), 1).kill()).isFalse();
        // The next run starts healthy again.
        assertThat(w.tick(20_000, running(2, 19_000), true).probe()).isTrue();
        assertThat(w.result(2)).isEqualTo(Result.SUCCESS);
        assertThat(w.result(1)).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void periodsAndInitialDelayFollowTheContainersStart() {
        ProbeWorker w = worker(ProbeKind.READINESS, tcp(5, 2, 1, 3));
        ProbeWorker.Step early = w.tick(1_000, running(1, 1_000), true);
        assertThat(early.probe()).isFalse();
        assertThat(early.nextAtMs()).isEqualTo(6_000); // start + initialDelaySeconds
        ProbeWorker.Step due = w.tick(6_000, running(1, 1_000), true);
        assertThat(due.probe()).isTrue();
        assertThat(due.nextAtMs()).isEqualTo(8_000); // one period later
    }

    @Test
    void aContainerBeingCreatedIsLookedAtSoonNotAPeriodLater() {
        ProbeWorker w = worker(ProbeKind.READINESS, tcp(0, 10, 1, 3));
        ProbeWorker.Step s = w.tick(0, new ContainerFacts("web", 0, 0, null, false), true);
        assertThat(s.probe()).isFalse();
        assertThat(s.nextAtMs()).isEqualTo(ProbeWorker.CREATING_POLL_MS);
    }

    @Test
    void anExitedContainerIsNotReadyAndANewRunStartsOver() {
        ProbeWorker w = worker(ProbeKind.READINESS, tcp(0, 1, 1, 3));
        assertThat(feed(w, 0, 1, true)).isEqualTo(Result.SUCCESS);
        ProbeWorker.Step exited = w.tick(5_000, new ContainerFacts("web", 1, 0, new Exit(1, 1, 5, 10), false), true);
        assertThat(exited.probe()).isFalse();
        assertThat(exited.changed()).isTrue();
        assertThat(w.result(1)).isEqualTo(Result.FAILURE);
        ProbeWorker.Step next = w.tick(16_000, running(2, 15_000), true);
        assertThat(next.probe()).isTrue();
        assertThat(w.result(2)).isEqualTo(Result.FAILURE); // not ready until probed, per run
        // An outcome of the old run, arriving late, changes nothing.
        assertThat(w.outcome(ProbeOutcome.ok(), 1).changed()).isFalse();
        assertThat(w.result(2)).isEqualTo(Result.FAILURE);
    }

    @Test
    void startupGatesTheOthersAndStopsOnceSucceeded() {
        ProbeWorker readiness = worker(ProbeKind.READINESS, tcp(0, 1, 1, 3));
        assertThat(readiness.tick(0, running(1, 0), false).probe()).isFalse();
        ProbeWorker startup = worker(ProbeKind.STARTUP, tcp(0, 1, 1, 30));
        startup.tick(0, running(1, 0), true);
        assertThat(startup.result(1)).isEqualTo(Result.UNKNOWN);
        startup.outcome(ProbeOutcome.ok(), 1);
        assertThat(startup.result(1)).isEqualTo(Result.SUCCESS);
        assertThat(startup.tick(1_000, running(1, 0), true).probe()).isFalse(); // done for this run
        // Failing failureThreshold times kills, like liveness.
        ProbeWorker slow = worker(ProbeKind.STARTUP, tcp(0, 1, 1, 2));
        slow.tick(0, running(1, 0), true);
        slow.outcome(ProbeOutcome.failed("x"), 1);
        assertThat(slow.outcome(ProbeOutcome.failed("x"), 1).kill()).isTrue();
    }
}
