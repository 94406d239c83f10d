package io.kubenetlab.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {
    @Test
    void unhealthyUntilTheFirstSuccessHealthyAfterOneUnhealthyAfterTwoFailuresInARow() {
        HealthChecker c = new HealthChecker();
        assertThat(c.verdicts().healthy("default/web", "node1")).isEmpty();
        assertThat(c.record("default/web", "node1", false)).isFalse();
        assertThat(c.verdicts().healthy("default/web", "node1")).contains(false);
        assertThat(c.record("default/web", "node1", true)).isTrue();
        assertThat(c.verdicts().healthy("default/web", "node1")).contains(true);
        assertThat(c.record("default/web", "node1", false)).as("one failure is not enough").isFalse();
        assertThat(c.record("default/web", "node1", true)).isFalse();
        assertThat(c.record("default/web", "node1", false)).isFalse();
        assertThat(c.record("default/web", "node1", false)).as("two in a row").isTrue();
        assertThat(c.verdicts().healthy("default/web", "node1")).contains(false);
    }

    @Test
    void verdictsPerServiceAndForgettingServices() {
        HealthChecker c = new HealthChecker();
        c.record("default/web", "node1", true);
        c.record("default/web", "node2", false);
        c.record("shop/api", "node2", true);
        assertThat(c.verdicts()).isEqualTo(new BackendHealth(Map.of("default/web", Set.of("node1"), "shop/api", Set.of("node2"))));
        assertThat(c.verdicts().healthy("default/web", "node3")).as("a checked Service, a node never answered").contains(false);
        c.retain(Set.of("shop/api"));
        assertThat(c.verdicts().healthy("default/web", "node1")).isEqualTo(Optional.empty());
    }

    @Test
    void customThresholds() {
        HealthChecker c = new HealthChecker(2, 3);
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
