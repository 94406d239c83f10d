package io.kubenetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.model.LabException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The article's lab on a fake kernel: which commands each fault sends, into which namespace, and none on bad input. */
class FaultsTest {
    @TempDir
    Path dir;
    FakeLab lab;
    Faults faults;

    @BeforeEach
    void setUp() {
        lab = FakeLab.article(dir, "flt-u");
        faults = new Faults(lab.kernel, "flt-u", lab.state().topology, lab.engine.plan());
        lab.kernel.clear();
    }

    @Test
    void linkUpRestoresTheRoutesAnAdministrativeDownDropped() {
        faults.linkDown("node1");
        faults.linkUp("node1");
        List<String> lines = lab.kernel.ipLinesIn("knl-flt-u-node1");
        assertThat(lines.subList(0, 3)).containsExactly("link set eth0 down", "link set eth0 up", "route replace default via 10.100.0.1");
        // and the node's pinned neighbours again (replace: those on the bridge were never gone)
        assertThat(lines.subList(3, lines.size())).isNotEmpty().allMatch(l -> l.startsWith("neigh replace 10.0.1.") && l.endsWith(" dev cbr0 nud permanent"));
        assertThat(lab.kernel.commands()).allMatch(c -> "knl-flt-u-node1".equals(c.netns()));
    }

    @Test
    void aPartitionIsLoadedIntoBothMachinesWithTheOthersAddresses() {
        faults.partition("node1", "node2");
        var n1 = lab.kernel.commandsIn("knl-flt-u-node1");
        var n2 = lab.kernel.commandsIn("knl-flt-u-node2");
        assertThat(n1).hasSize(1);
        assertThat(n1.get(0).stdin()).contains("partition-node2-input").contains("ip saddr { 10.100.0.3, 10.0.2.0/24 } drop");
        assertThat(n2).hasSize(1);
        assertThat(n2.get(0).stdin()).contains("partition-node1-input").contains("ip saddr { 10.100.0.2, 10.0.1.0/24 } drop");
        faults.partition("ext-client", "node1");
        assertThat(lab.kernel.commandsIn("knl-flt-u-ext-client").get(0).stdin()).contains("{ 10.100.0.2, 10.0.1.0/24 }");
        assertThat(lab.kernel.commandsIn("knl-flt-u-node1").get(1).stdin()).contains("{ 10.100.0.100 }");
    }

    @Test
    void aRateLimitIsATbfOnTheUplinkOrAPodsEth0() {
        faults.rateLimit("ext-client", "2mbit");
        String pod = lab.podsOf("service-test").get(0).name();
        faults.rateLimit(pod, "1mbit");
        var c = lab.kernel.commands().get(0);
        assertThat(c.argv()).containsExactly("tc", "-n", "knl-flt-u-ext-client", "-batch", "-");
        assertThat(c.stdin()).isEqualTo("qdisc replace dev eth0 root tbf rate 2mbit burst 8192 latency 100ms\n");
        assertThat(lab.kernel.commands().get(1).argv()).containsExactly("tc", "-n", "knl-flt-u-" + pod, "-batch", "-");
        assertThat(lab.kernel.commands().get(1).stdin()).startsWith("qdisc replace dev eth0 root tbf rate 1mbit");
    }

    @Test
    void badInputChangesNothing() {
        assertThatThrownBy(() -> faults.linkDown("node9")).isInstanceOf(LabException.class)
                .hasMessageContaining("no machine named \"node9\"").hasMessageContaining("node1, node2, ext-client");
        assertThatThrownBy(() -> faults.linkDown("router")).isInstanceOf(LabException.class).hasMessageContaining("the lab's router");
        assertThatThrownBy(() -> faults.partition("node1", "node1")).isInstanceOf(LabException.class).hasMessageContaining("itself");
        assertThatThrownBy(() -> faults.partition("node1", "nope")).isInstanceOf(LabException.class).hasMessageContaining("\"nope\"");
        String pod = lab.podsOf("service-test").get(0).name();
        assertThatThrownBy(() -> faults.partition("node1", pod)).isInstanceOf(LabException.class).hasMessageContaining("is a pod");
        assertThatThrownBy(() -> faults.rateLimit("node1", "fast")).isInstanceOf(LabException.class).hasMessageContaining("\"fast\" is not a tc rate");
        assertThatThrownBy(() -> faults.rateLimit("nope", "1mbit")).isInstanceOf(LabException.class).hasMessageContaining("no machine or pod named \"nope\"");
        assertThatThrownBy(() -> faults.heal("node2", "node2")).isInstanceOf(LabException.class).hasMessageContaining("itself");
        assertThat(lab.kernel.commands()).isEmpty();
    }

    @Test
    void healWithNothingPartitionedLoadsNothing() {
        faults.heal("node1", "node2");
        assertThat(lab.kernel.commands()).allMatch(c -> c.argv().contains("list")).hasSize(2);
    }

    @Test
    void clearingANodeWithoutALimitChangesNothing() {
        faults.clearRateLimit("node1");
        assertThat(lab.kernel.commands()).hasSize(1);
        assertThat(lab.kernel.commands().get(0).argv()).isEqualTo(List.of("tc", "-n", "knl-flt-u-node1", "qdisc", "show", "dev", "eth0"));
    }
}
