package io.kubenetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.k8s.Probe;
import io.kubenetlab.kubelet.EventSink;
import io.kubenetlab.kubelet.ProbeChecker;
import io.kubenetlab.kubelet.ProbeManager;
import io.kubenetlab.kubelet.ProbeOutcome;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ProbeResultRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prober that takes over a lab (the controller after deploy, or after a restart) begins from the last
 * published readiness and startup results saved with the lab, so a ready pod stays in its Services
 * until its next probe says otherwise; without them it would be "not ready" until probed (upstream
 * kubelet's behaviour after a restart, kubernetes#100277).
 */
class ProbeResultsResumeTest {
    @TempDir
    Path dir;
    FakeLab lab;
    PodRecord pod;
    /** A checker whose probes never answer: every result seen is the resumed one. */
    final ProbeChecker silent = (p, c, probe) -> new CompletableFuture<ProbeOutcome>();
    ProbeManager prober;

    @BeforeEach
    void setUp() {
        lab = FakeLab.article(dir, "prr-u");
        PodRecord p = lab.podsOf("service-test").get(0);
        Probe readiness = new Probe(null, null, new Probe.TcpSocketAction(8080, null, null), 0, 10, 1, 1, 3, null);
        ContainerRecord c = p.containers().get(0);
        c = new ContainerRecord(c.name(), c.image(), c.profile(), c.argv(), c.env(), c.ports(), readiness, null, null);
        pod = new PodRecord(p.name(), p.namespace(), p.uid(), p.labels(), p.ownerKind(), p.ownerName(), p.node(), p.ip(), p.netns(),
                p.hostVeth(), p.restartPolicy(), List.of(c), p.createdAt(), p.sandbox(), p.terminationGracePeriodSeconds(), p.deletion());
        lab.state().putPod(pod);
    }

    @AfterEach
    void tearDown() {
        if (prober != null) prober.close();
        lab.engine.stopBackground();
    }

    private String key() {
        return pod.uid() + "/" + pod.containers().get(0).name() + "/READINESS";
    }

    private ProbeManager prober() {
        prober = new ProbeManager(lab.runtime, lab.state(), silent, EventSink.NONE);
        prober.sync(List.copyOf(lab.state().pods));
        return prober;
    }

    @Test
    void withoutSavedResultsAProbedPodIsNotReadyUntilProbed() {
        assertThat(prober().status(pod).ready()).isFalse();
        // Not probed yet: no success to hand on. (A failure may be there: kubelet forces readiness to
        // failure while its relist has not seen the container running, which a busy machine can show.)
        assertThat(prober.results().get(key())).matches(r -> r == null || !r.result().equals("SUCCESS"), "no success");
    }

    @Test
    void aSavedSuccessForTheContainersRunKeepsItReady() {
        lab.state().probeResults.put(key(), new ProbeResultRecord(1, "SUCCESS"));
        assertThat(prober().status(pod).ready()).isTrue();
        assertThat(prober.results()).containsEntry(key(), new ProbeResultRecord(1, "SUCCESS"));
    }

    @Test
    void aSavedFailureKeepsItNotReady() {
        lab.state().probeResults.put(key(), new ProbeResultRecord(1, "FAILURE"));
        assertThat(prober().status(pod).ready()).isFalse();
    }

    @Test
    void aResultOfAnotherRunIsNotTrusted() {
        // The container restarted since (the fake runtime's containers are in run 1): a new container is probed afresh.
        lab.state().probeResults.put(key(), new ProbeResultRecord(2, "SUCCESS"));
        assertThat(prober().status(pod).ready()).isFalse();
    }

    @Test
    void theEngineSavesItsProbersResultsWithTheState() throws InterruptedException {
        lab.state().probeResults.put(key(), new ProbeResultRecord(1, "SUCCESS"));
        lab.engine.probes();
        lab.state().probeResults.clear();
        lab.engine.save();
        assertThat(lab.store.load(lab.state().name).probeResults).containsEntry(key(), new ProbeResultRecord(1, "SUCCESS"));
        lab.engine.stopBackground();
        assertThat(lab.state().probeResults).containsEntry(key(), new ProbeResultRecord(1, "SUCCESS"));
    }
}
