package io.kubenetlab.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.model.PodDeletion;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The grace period a delete gives, how a second delete changes it, and when a terminating pod goes. */
class GracefulDeletionTest {
    static PodRecord pod(long grace) {
        return new PodRecord("p", "default", "u", Map.of(), null, null, "node1", Ipv4.parse("10.0.1.2"), "ns", "v", "Always", List.of(),
                "2024-01-01T00:00:00Z", null, grace, null);
    }

    static PodStatus status(String phase, String... containerStates) {
        List<PodStatus.ContainerStatus> cs = java.util.Arrays.stream(containerStates)
                .map(s -> new PodStatus.ContainerStatus("c", s, false, 0, null, 0, 0, null)).toList();
        return new PodStatus(phase, false, cs, null);
    }

    @Test
    void gracePeriodIsTheAskedOneElseThePodsAndZeroForAnEndedPod() {
        assertThat(GracefulDeletion.gracePeriod(pod(30), null, status("Running", "running"))).isEqualTo(30);
        assertThat(GracefulDeletion.gracePeriod(pod(7), null, status("Running", "running"))).isEqualTo(7);
        assertThat(GracefulDeletion.gracePeriod(pod(30), 0L, status("Running", "running"))).isZero();
        assertThat(GracefulDeletion.gracePeriod(pod(30), 3L, null)).isEqualTo(3);
        assertThat(GracefulDeletion.gracePeriod(pod(30), null, status("Succeeded", "terminated"))).isZero();
        assertThat(GracefulDeletion.gracePeriod(pod(30), 10L, status("Failed", "terminated"))).isZero();
    }

    @Test
    void aLaterDeleteOnlyShortensTheGracePeriod() {
        PodDeletion first = GracefulDeletion.next(null, 1_000, 30);
        assertThat(first).isEqualTo(new PodDeletion(1_000, 30));
        assertThat(first.deadlineMs()).isEqualTo(31_000);
        assertThat(GracefulDeletion.next(first, 2_000, 30)).isSameAs(first);
        assertThat(GracefulDeletion.next(first, 2_000, 5)).isEqualTo(new PodDeletion(2_000, 5));
    }

    @Test
    void deletionTimestampIsTheEndOfTheGracePeriod() {
        assertThat(new PodDeletion(java.time.Instant.parse("2024-05-01T10:00:00.400Z").toEpochMilli(), 30).deletionTimestamp())
                .isEqualTo("2024-05-01T10:00:30Z");
    }

    @Test
    void aPodGoesWhenItsProcessesExitedAfterSigtermOrAtItsDeadline() {
        PodDeletion d = new PodDeletion(0, 10);
        // preStop hooks still running: not before the deadline (plus the stuck terminator's slack)
        assertThat(GracefulDeletion.done(d, null, true, 5_000)).isFalse();
        assertThat(GracefulDeletion.done(d, null, false, 10_000 + GracefulDeletion.STUCK_MS)).isTrue();
        // after SIGTERM: at once when all exited, else at the deadline
        assertThat(GracefulDeletion.done(d, 100L, true, 200)).isTrue();
        assertThat(GracefulDeletion.done(d, 100L, false, 9_999)).isFalse();
        assertThat(GracefulDeletion.done(d, 100L, false, 10_000)).isTrue();
        // SIGTERM late (a long hook): at least two seconds after it
        assertThat(GracefulDeletion.done(d, 9_500L, false, 10_500)).isFalse();
        assertThat(GracefulDeletion.done(d, 9_500L, false, 11_500)).isTrue();
    }

    @Test
    void allExitedMeansNoContainerRuns() {
        assertThat(GracefulDeletion.allExited(status("Running", "running", "terminated"))).isFalse();
        assertThat(GracefulDeletion.allExited(status("Succeeded", "terminated", "terminated"))).isTrue();
        assertThat(GracefulDeletion.allExited(status("Pending", "waiting"))).isTrue();
        assertThat(GracefulDeletion.allExited(null)).isFalse();
    }

    @Test
    void aTerminatingPodSurvivesTheSavedState() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper()
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        PodRecord p = pod(7).withDeletion(new PodDeletion(1_000, 7));
        assertThat(json.readValue(json.writeValueAsString(p), PodRecord.class)).isEqualTo(p);
    }
}
