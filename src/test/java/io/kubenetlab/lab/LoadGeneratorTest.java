package io.kubenetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    static final String M = LoadGenerator.MARK;

    @Test
    void theTargetReachesTheLoopAsPositionalParametersNotInTheScript() {
        List<String> argv = LoadGenerator.argv("service-test; rm -rf /", 80, 5);
        assertThat(argv).containsExactly("sh", "-c", LoadGenerator.SCRIPT, "sh", "service-test; rm -rf /", "80", "5");
        assertThat(LoadGenerator.SCRIPT).contains("nc -N -w 2 \"$1\" \"$2\"").contains("-lt \"$3\"").doesNotContain("service-test");
    }

    @Test
    void answersAreCountedByPodAndFailuresByReason() {
        String out = M + "0\nHTTP/1.1 200 OK\n\nHello from service-test-abc\n"
                + M + "0\nHello from service-test-def\n"
                + M + "0\nHello from service-test-abc\n"
                + M + "1\nnc: connect to service-test port 80 (tcp) failed: Connection refused\n"
                + M + "1\nnc: connect to service-test port 80 (tcp) timed out: Operation now in progress\n"
                + M + "0\n\n";
        LoadGenerator.Result r = LoadGenerator.parse(out, 7);
        assertThat(r.sent()).isEqualTo(7);
        assertThat(r.answered()).isEqualTo(3);
        assertThat(r.failed()).isEqualTo(4);
        assertThat(r.byPod()).containsExactly(Map.entry("service-test-abc", 2), Map.entry("service-test-def", 1));
        assertThat(r.failures()).containsOnly(
                Map.entry("connect to service-test port 80 (tcp) failed: Connection refused", 1),
                Map.entry("connect to service-test port 80 (tcp) timed out: Operation now in progress", 1),
                Map.entry("no answer", 1), Map.entry("not sent", 1));
    }

    @Test
    void anotherServersAnswerIsNamedByItsFirstLine() {
        LoadGenerator.Result r = LoadGenerator.parse(M + "0\n\n  pong from b  \nmore\n", 1);
        assertThat(r.byPod()).containsExactly(Map.entry("pong from b", 1));
        assertThat(r.failed()).isZero();
    }

    @Test
    void theFluentCallsRunOneLoopInTheSource() {
        List<String> seen = new ArrayList<>();
        LoadGenerator g = new LoadGenerator((from, argv) -> {
            seen.add(from);
            seen.addAll(argv);
            return (M + "0\nHello from p1\n").repeat(2);
        });
        assertThat(g.from("client").to("checkout", 8080).times(2).byPod()).containsExactly(Map.entry("p1", 2));
        assertThat(seen).containsExactly("client", "sh", "-c", LoadGenerator.SCRIPT, "sh", "checkout", "8080", "2");
    }

    @Test
    void missingOrBadPartsAreRefused() {
        LoadGenerator g = new LoadGenerator((from, argv) -> "");
        assertThatThrownBy(() -> g.to("x", 80).run()).hasMessageContaining("from(");
        assertThatThrownBy(() -> new LoadGenerator((f, a) -> "").from("c").run()).hasMessageContaining("to(host, port)");
        assertThatThrownBy(() -> g.to("x", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.to("-e", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.times(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
