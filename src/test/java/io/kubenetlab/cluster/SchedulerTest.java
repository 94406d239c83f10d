package io.kubenetlab.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    @Test
    void spreadsEvenlyTiesGoToTheFirstListedNode() {
        Scheduler s = new Scheduler(List.of("node1", "node2", "node3"));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 7; i++) picks.add(s.schedule(null));
        assertThat(picks).containsExactly("node1", "node2", "node3", "node1", "node2", "node3", "node1");
    }

    @Test
    void listOrderNotNameOrderBreaksTies() {
        Scheduler s = new Scheduler(List.of("b", "a"));
        assertThat(s.schedule(null)).isEqualTo("b");
        assertThat(s.schedule(null)).isEqualTo("a");
    }

    @Test
    void articleLayout() {
        Scheduler s = new Scheduler(List.of("node1", "node2"));
        assertThat(s.schedule(null)).isEqualTo("node1"); // service-test replica 1
        assertThat(s.schedule(null)).isEqualTo("node2"); // service-test replica 2
        assertThat(s.schedule(null)).isEqualTo("node1"); // service-test-client1
    }

    @Test
    void nodeNameIsHonouredAndCounted() {
        Scheduler s = new Scheduler(List.of("node1", "node2"));
        assertThat(s.schedule("node2")).isEqualTo("node2");
        assertThat(s.schedule("node2")).isEqualTo("node2");
        assertThat(s.schedule(null)).isEqualTo("node1");
        assertThat(s.schedule(null)).isEqualTo("node1");
        assertThat(s.schedule(null)).isEqualTo("node1");
    }

    @Test
    void unknownNodeName() {
        Scheduler s = new Scheduler(List.of("node1", "node2"));
        assertThatThrownBy(() -> s.schedule("node3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node \"node3\" does not exist (nodes: node1, node2)");
        // a failed pin binds nothing
        assertThat(s.schedule(null)).isEqualTo("node1");
        assertThat(s.schedule(null)).isEqualTo("node2");
    }

    @Test
    void boundAndUnboundTrackExistingPods() {
        Scheduler s = new Scheduler(List.of("node1", "node2"));
        s.bound("node1");
        s.bound("node1");
        assertThat(s.schedule(null)).isEqualTo("node2");
        assertThat(s.schedule(null)).isEqualTo("node2");
        s.unbound("node1");
        assertThat(s.schedule(null)).isEqualTo("node1");
    }

    @Test
    void unboundNeverGoesNegative() {
        Scheduler s = new Scheduler(List.of("node1", "node2"));
        s.unbound("node2");
        s.unbound("node2");
        s.bound("node1");
        assertThat(s.schedule(null)).isEqualTo("node2");
        assertThat(s.schedule(null)).isEqualTo("node1");
    }
}
