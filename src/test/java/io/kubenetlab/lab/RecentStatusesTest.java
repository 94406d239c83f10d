package io.kubenetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's loop reads the prober's relisted statuses, not every pod's files five times a second:
 * what it sees must still be the truth within a relist, and a pod the prober has not listed yet (or a
 * changed record of one) is read at once.
 */
class RecentStatusesTest {
    @TempDir
    Path dir;
    FakeLab lab;

    @BeforeEach
    void setUp() {
        lab = FakeLab.article(dir, "rst-u");
    }

    @AfterEach
    void tearDown() {
        lab.engine.stopBackground();
    }

    @Test
    void withoutAProberTheyAreReadNow() {
        assertThat(phases(lab.engine.recentStatuses())).isEqualTo(phases(lab.engine.statuses()));
        String pod = lab.podsOf("service-test").get(0).name();
        lab.runtime.exit(pod, 3);
        assertThat(phases(lab.engine.recentStatuses()).get(pod)).isEqualTo(phases(lab.engine.statuses()).get(pod));
        assertThat(lab.engine.recentStatuses().get(pod).ready()).isFalse();
    }

    @Test
    void aContainersExitReachesThemWithinARelistAndItsListenersHearOfIt() throws InterruptedException {
        var heard = new CopyOnWriteArrayList<String>();
        lab.engine.onPodChange(heard::add);
        awaitSame(2_000);
        // A pod's first relist tells no one (nothing changed yet): let one full relist (every second) pass.
        Thread.sleep(1_200);
        String pod = lab.podsOf("service-test").get(0).name();
        lab.runtime.exit(pod, 3);
        long t0 = System.nanoTime();
        awaitSame(3_000);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until the relist saw the exit").isLessThan(3_000);
        assertThat(lab.engine.recentStatuses().get(pod).ready()).isFalse();
        long until = System.currentTimeMillis() + 3_000;
        while (!heard.contains(pod) && System.currentTimeMillis() < until) Thread.sleep(20);
        assertThat(heard).contains(pod);
    }

    @Test
    void aPodRecordTheProberHasNotListedIsReadAtOnce() throws InterruptedException {
        awaitSame(2_000);
        PodRecord p = lab.podsOf("service-test").get(1);
        lab.runtime.exit(p.name(), 4);
        // A new record of the pod (as a controller's change makes one): not the one the last relist read,
        // so its exit shows now rather than at the next relist.
        lab.state().putPod(p.withLabels(Map.of("app", "service_test_pod", "changed", "yes")));
        assertThat(phases(lab.engine.recentStatuses()).get(p.name())).isEqualTo(phases(lab.engine.statuses()).get(p.name())).endsWith("ready=false");
    }

    /** Waits (bounded) until the relisted statuses agree with the ones read now. */
    private void awaitSame(long limitMs) throws InterruptedException {
        lab.engine.probes();
        long until = System.currentTimeMillis() + limitMs;
        Map<String, String> recent = phases(lab.engine.recentStatuses());
        while (!recent.equals(phases(lab.engine.statuses())) && System.currentTimeMillis() < until) {
            Thread.sleep(20);
            recent = phases(lab.engine.recentStatuses());
        }
        assertThat(recent).isEqualTo(phases(lab.engine.statuses()));
    }

    /** Each pod's phase and readiness (a finished container's times move with the clock on the fake runtime). */
    private static Map<String, String> phases(Map<String, PodStatus> statuses) {
        Map<String, String> out = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> out.put(k, v.phase() + " ready=" + v.ready()));
        return out;
    }
}
