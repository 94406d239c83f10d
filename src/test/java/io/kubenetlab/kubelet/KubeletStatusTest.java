package io.kubenetlab.kubelet;

import io.kubenetlab.model.ProcessRef;
import io.kubenetlab.model.ProbeView;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodFacts;
import io.kubenetlab.model.ContainerRecord;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.k8s.Probe;
import io.kubenetlab.model.PodFacts.ContainerFacts;
import io.kubenetlab.model.PodFacts.Exit;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KubeletStatusTest {
    static final long NOW = 1_000_000_000L; // ms
    static final Probe READINESS = new Probe(null, null, new Probe.TcpSocketAction(80, null, null), 0, 1, 1, 1, 3, null);

    static PodRecord pod(String policy, ContainerRecord... cs) {
        return new PodRecord("p", "default", "uid-1", Map.of(), null, null, "node1", Ipv4.parse("10.0.1.2"), "ns", "veth",
                policy, List.of(cs), "2024-01-01T00:00:00Z", new ProcessRef(1, 1));
    }

    static ContainerRecord c(String name) {
        return new ContainerRecord(name, "alpine", "alpine", List.of("true"), Map.of(), List.of(new ContainerPort(null, 80, "TCP")));
    }

    static ContainerRecord probed(String name) {
        return new ContainerRecord(name, "alpine", "alpine", List.of("true"), Map.of(), List.of(), READINESS, null, null);
    }

    static ContainerFacts running(String name, int run, boolean listening) {
        return new ContainerFacts(name, run, NOW - 5_000, run > 1 ? new Exit(run - 1, 1, NOW / 1000 - 6, 0) : null, listening);
    }

    static ContainerFacts exited(String name, int run, int code, int backOff) {
        return new ContainerFacts(name, run, NOW - 5_000, new Exit(run, code, NOW / 1000 - 1, backOff), false);
    }

    static PodStatus derive(PodRecord pod, ProbeView view, ContainerFacts... fs) {
        return KubeletStatus.derive(pod, new PodFacts(true, true, List.of(fs)), view, NOW);
    }

    @Test
    void creatingIsPendingAndNotReady() {
        PodStatus st = KubeletStatus.derive(pod("Always", c("a")), new PodFacts(false, false, List.of()), ProbeView.NONE, NOW);
        assertThat(st.phase()).isEqualTo("Pending");
        assertThat(io.kubenetlab.output.KubeView.statusColumn(st)).isEqualTo("ContainerCreating");
        assertThat(st.containers().get(0).state()).isEqualTo("waiting");
        assertThat(st.sandboxDied()).isFalse();
        PodStatus started = derive(pod("Always", c("a")), ProbeView.NONE, new ContainerFacts("a", 0, 0, null, false));
        assertThat(started.phase()).isEqualTo("Pending");
    }

    @Test
    void withoutAProbeReadyMeansRunningWhetherOrNotItsPortsListen() {
        // kubelet: no readiness probe, ready once running. Ports (SCTP has no socket here) never decide.
        PodStatus notListening = derive(pod("Always", c("a")), ProbeView.NONE, running("a", 1, false));
        assertThat(notListening.phase()).isEqualTo("Running");
        assertThat(notListening.ready()).isTrue();
        PodStatus waiting = derive(pod("Always", c("a")), ProbeView.NONE, new ContainerFacts("a", 0, 0, null, false));
        assertThat(waiting.ready()).isFalse();
        assertThat(waiting.conditions()).contains(new PodStatus.Condition("ContainersReady", "False", "ContainersNotReady"));
        PodStatus ready = derive(pod("Always", c("a")), ProbeView.NONE, running("a", 1, true));
        assertThat(ready.ready()).isTrue();
        assertThat(ready.conditions()).contains(new PodStatus.Condition("Ready", "True", null));
        assertThat(ready.containers().get(0).startedAt()).isEqualTo(NOW / 1000 - 5);
        assertThat(ready.containers().get(0).started()).isTrue();
    }

    @Test
    void aReadinessProbeDecidesAndPortsDoNot() {
        ProbeView fails = view(false, true);
        ProbeView succeeds = view(true, true);
        assertThat(derive(pod("Always", probed("a")), fails, running("a", 1, true)).ready()).isFalse();
        assertThat(derive(pod("Always", probed("a")), succeeds, running("a", 1, false)).ready()).isTrue();
        // Before its startup probe succeeds a container is neither started nor ready.
        PodStatus st = derive(pod("Always", probed("a")), view(true, false), running("a", 1, true));
        assertThat(st.ready()).isFalse();
        assertThat(st.containers().get(0).started()).isFalse();
    }

    @Test
    void withoutAProberAReadinessProbeFallsBackToListeningPorts() {
        // A one-shot CLI reads status with no prober running: the ports stand in for the probe.
        assertThat(derive(pod("Always", probed("a")), ProbeView.NONE, running("a", 1, false)).ready()).isFalse();
        assertThat(derive(pod("Always", probed("a")), ProbeView.NONE, running("a", 1, true)).ready()).isTrue();
    }

    @Test
    void everyContainerMustBeReady() {
        PodStatus st = derive(pod("Always", c("a"), c("b")), ProbeView.NONE, running("a", 1, true), exited("b", 1, 1, 10));
        assertThat(st.ready()).isFalse();
        assertThat(st.message()).isEqualTo("containers with unready status: [b]");
    }

    @Test
    void aRestartedContainerCountsAndRemembersItsLastState() {
        PodStatus st = derive(pod("Always", c("a")), ProbeView.NONE, running("a", 3, true));
        var c = st.containers().get(0);
        assertThat(c.restartCount()).isEqualTo(2);
        assertThat(c.lastState()).isEqualTo(new PodStatus.Terminated(1, "Error", 0, NOW / 1000 - 6));
        assertThat(st.restarts()).isEqualTo(2);
    }

    @Test
    void backOffIsCrashLoopBackOffWhileItLasts() {
        PodStatus st = derive(pod("Always", c("a")), ProbeView.NONE, exited("a", 2, 1, 10));
        var c = st.containers().get(0);
        assertThat(st.phase()).isEqualTo("Running");
        assertThat(c.state()).isEqualTo("waiting");
        assertThat(c.reason()).isEqualTo("CrashLoopBackOff");
        assertThat(c.message()).isEqualTo("back-off 10s restarting failed container=a pod=p_default(uid-1)");
        assertThat(c.lastState().exitCode()).isEqualTo(1);
        assertThat(c.restartCount()).isEqualTo(1);
        assertThat(io.kubenetlab.output.KubeView.statusColumn(st)).isEqualTo("CrashLoopBackOff");
        // Once the back-off has passed the restart is imminent: no longer CrashLoopBackOff.
        PodStatus later = KubeletStatus.derive(pod("Always", c("a")), new PodFacts(true, true, List.of(exited("a", 2, 1, 10))),
                ProbeView.NONE, NOW + 20_000);
        assertThat(later.containers().get(0).reason()).isEqualTo("ContainerCreating");
    }

    /** kubelet's phase for a one-container pod that has exited: the restartPolicy matrix. */
    @ParameterizedTest
    @CsvSource({
            // policy, exit, back-off written by the supervisor (-1: no restart), phase, state, reason
            "Always,    0,  0, Running,   waiting,    ContainerCreating",
            "Always,    0, 10, Running,   waiting,    CrashLoopBackOff",
            "Always,    1, 10, Running,   waiting,    CrashLoopBackOff",
            "OnFailure, 0, -1, Succeeded, terminated, Completed",
            "OnFailure, 2, 10, Running,   waiting,    CrashLoopBackOff",
            "Never,     0, -1, Succeeded, terminated, Completed",
            "Never,     3, -1, Failed,    terminated, Error",
    })
    void restartPolicyMatrix(String policy, int exit, int backOff, String phase, String state, String reason) {
        PodStatus st = derive(pod(policy, c("a")), ProbeView.NONE, exited("a", 1, exit, backOff));
        assertThat(st.phase()).isEqualTo(phase);
        assertThat(st.containers().get(0).state()).isEqualTo(state);
        assertThat(st.containers().get(0).reason()).isEqualTo(reason);
        assertThat(st.containers().get(0).exitCode()).isEqualTo(exit);
        assertThat(st.ready()).isFalse();
    }

    @Test
    void finishedPodsAreNotReadyBecauseCompleted() {
        PodStatus st = derive(pod("Never", c("a")), ProbeView.NONE, exited("a", 1, 0, -1));
        assertThat(st.finished()).isTrue();
        assertThat(io.kubenetlab.output.KubeView.statusColumn(st)).isEqualTo("Completed");
        assertThat(st.conditions()).contains(new PodStatus.Condition("Ready", "False", "PodCompleted"));
    }

    @Test
    void aNeverPodWithOneContainerStillRunningIsRunning() {
        PodStatus st = derive(pod("Never", c("a"), c("b")), ProbeView.NONE, exited("a", 1, 0, -1), running("b", 1, true));
        assertThat(st.phase()).isEqualTo("Running");
        assertThat(st.ready()).isFalse();
    }

    @Test
    void aDeadSandboxFailsThePod() {
        PodStatus st = KubeletStatus.derive(pod("Always", c("a")), new PodFacts(true, false, List.of(running("a", 1, true))),
                ProbeView.NONE, NOW);
        assertThat(st.phase()).isEqualTo("Failed");
        assertThat(st.reason()).isEqualTo(PodStatus.SANDBOX_DIED);
        assertThat(st.sandboxDied()).isTrue();
        assertThat(st.ready()).isFalse();
        assertThat(st.containers().get(0).reason()).isEqualTo("ContainerStatusUnknown");
        assertThat(st.containers().get(0).exitCode()).isEqualTo(137);
        // A pod that had completed keeps its phase: nothing was lost with the sandbox.
        PodStatus done = KubeletStatus.derive(pod("Never", c("a")), new PodFacts(true, false, List.of(exited("a", 1, 0, -1))),
                ProbeView.NONE, NOW);
        assertThat(done.phase()).isEqualTo("Succeeded");
    }

    static ProbeView view(boolean ready, boolean started) {
        return new ProbeView() {
            @Override
            public Boolean ready(PodRecord pod, ContainerRecord container, int run) {
                return container.readinessProbe() == null ? null : ready;
            }

            @Override
            public boolean started(PodRecord pod, ContainerRecord container, int run) {
                return started;
            }
        };
    }
}
