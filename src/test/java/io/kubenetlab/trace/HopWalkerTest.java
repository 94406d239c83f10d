package io.kubenetlab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.FakeLab;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.plan.LabPlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walk from machine to machine, on the article's lab (over fakes) with captures recorded from real labs. */
class HopWalkerTest {
    @TempDir
    Path root;

    private static String resource(String name) throws IOException {
        try (InputStream in = HopWalkerTest.class.getResourceAsStream("/trace/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRejectEndsTheWalkWhereItHappened() throws IOException {
        FakeLab lab = FakeLab.article(root, "hw1");
        LabState state = lab.engine.state();
        LabPlan plan = lab.engine.plan();
        TraceTargets.From from = TraceTargets.from(state, "service-test-client1");
        TraceTargets.To to = new TraceTargets.To("default/nobody:80", "10.3.242.15", 80, "tcp");
        Tuple request = new Tuple("tcp", from.ip(), 21111, to.ip(), 80);
        Map<String, HopWalker.Capture> captures = Map.of("node1",
                new HopWalker.Capture(resource("nftables-node1-no-endpoints.txt"), new byte[0], "", null));
        TraceReport r = HopWalker.walk("hw1", state, plan, from, to, request, "", "nc: connect ... Connection refused", captures,
                (m, dst) -> { throw new AssertionError("no route is looked up after a reject"); });
        assertThat(r.hops()).extracting(TraceReport.Hop::machine).containsExactly("service-test-client1", "node1");
        assertThat(r.verdict()).isEqualTo("rejected by kube-proxy reject-chain: \"reject\"");
        assertThat(r.answer()).contains("Connection refused");
    }

    @Test
    void routesLeadFromMachineToMachineUntilThePod() {
        FakeLab lab = FakeLab.article(root, "hw2");
        LabState state = lab.engine.state();
        PodRecord server = state.pods.stream().filter(p -> "node2".equals(p.node()) && p.name().startsWith("service-test-")
                && p.ownerName() != null).findFirst().orElseThrow();
        TraceTargets.From from = TraceTargets.from(state, "service-test-client1");
        TraceTargets.To to = TraceTargets.to(state, from, server.name() + ":8080", null);
        Tuple request = new Tuple("tcp", from.ip(), 22222, to.ip(), 8080);
        TraceReport r = HopWalker.walk("hw2", state, lab.engine.plan(), from, to, request, "HTTP/1.0 200 OK\n", "", Map.of(),
                (m, dst) -> switch (m.name()) {
                    case "node1" -> new HopWalker.Route("10.100.0.1", "eth0");
                    case "router" -> new HopWalker.Route("10.100.0.3", "br0");
                    default -> null;
                });
        assertThat(r.hops()).extracting(TraceReport.Hop::machine).containsExactly("service-test-client1", "node1", "router", "node2");
        assertThat(r.text()).contains("route to " + to.ip() + " via 10.100.0.1 dev eth0 (router)")
                .contains("route to " + to.ip() + " via 10.100.0.3 dev br0 (node2)")
                .contains("cbr0 -> pod default/" + server.name());
        assertThat(r.verdict()).isEqualTo("reached pod default/" + server.name() + " on node2");
        assertThat(r.answer()).isEqualTo("HTTP/1.0 200 OK");
    }
}
