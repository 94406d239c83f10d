package io.kubenetlab.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {
    @Test
    void theFirstProbeDecidesThenHealthyAfterOneSuccessUnhealthyAfterTwoFailuresInARow() {
        HealthChecker c = new HealthChecker();
        assertThat(c.verdicts().healthy("default/web", "node1")).as("not probed: no verdict").isEmpty();
        assertThat(c.record("default/web", "node1", false)).isTrue();
        assertThat(c.verdicts().healthy("default/web", "node1")).contains(false);
        assertThat(c.record("default/web", "node1", true)).isTrue();
        assertThat(c.verdicts().healthy("default/web", "node1")).contains(true);
        assertThat(c.record("default/web", "node1", false)).as("one failure is not enough").isFalse();
        assertThat(c.record("default/web", "node1", true)).isFalse();
        assertThat(c.record("default/web", "node1", false)).isFalse();
        assertThat(c.record("default/web", "node1", false)).as("two in a row").isTrue();
        assertThat(c.verdicts().healthy("default/web", "node1")).contains(false);
        // A first probe that succeeds: healthy at once.
        assertThat(c.record("default/web", "node2", true)).isTrue();
        assertThat(c.verdicts().healthy("default/web", "node2")).contains(true);
    }

    @Test
    void verdictsPerServiceAndForgettingServices() {
        HealthChecker c = new HealthChecker();
        c.record("default/web", "node1", true);
        c.record("default/web", "node2", false);
        c.record("shop/api", "node2", true);
        assertThat(c.verdicts()).isEqualTo(new BackendHealth(Map.of("default/web", Map.of("node1", true, "node2", false),
                "shop/api", Map.of("node2", true))));
        assertThat(c.verdicts().healthy("default/web", "node3")).as("a node never probed").isEmpty();
        c.retain(Set.of("shop/api"));
        assertThat(c.verdicts().healthy("default/web", "node1")).isEqualTo(Optional.empty());
        assertThat(c.verdicts().healthy("shop/api", "node2")).contains(true);
    }

    @Test
    void customThresholds() {
        HealthChecker c = new HealthChecker(2, 3);
        c.record("s", "n", false);
        c.record("s", "n", true);
        assertThat(c.verdicts().healthy("s", "n")).contains(false);
        c.record("s", "n", true);
        assertThat(c.verdicts().healthy("s", "n")).contains(true);
        c.record("s", "n", false);
        c.record("s", "n", false);
        assertThat(c.verdicts().healthy("s", "n")).contains(true);
        c.record("s", "n", false);
        assertThat(c.verdicts().healthy("s", "n")).contains(false);
    }
}
