package io.kubenetlab.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.graph.LabGraph.Edge;
import io.kubenetlab.graph.LabGraph.EdgeKind;
import io.kubenetlab.graph.LabGraph.Kind;
import io.kubenetlab.graph.LabGraph.Vertex;
import io.kubenetlab.kernel.Kernel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotWriterTest {
    static final String DOT = DotWriter.dot(GraphBuilderTest.G);

    @Test
    void eachNodeIsAClusterHoldingItselfItsBridgeAndItsPods() {
        assertThat(DOT).startsWith("digraph \"lab i14g-unit\" {\n").endsWith("}\n");
        assertThat(DOT).contains("graph [label=\"node1 (pods 10.0.1.0/24)\"", "graph [label=\"node2 (pods 10.0.2.0/24)\"");
        int box = DOT.indexOf("node1 (pods 10.0.1.0/24)");
        int end = DOT.indexOf("  }\n", box);
        String inside = DOT.substring(box, end);
        assertThat(inside).contains("\"node:node1\" [", "\"bridge:node1\" [id=\"v-bridge_3anode1\", label=\"cbr0\\n10.0.1.1/24\\npods 10.0.1.0/24\"",
                "\"pod:default/service-test-client1\" [");
        assertThat(inside).doesNotContain("node:node2", "svc:");
    }

    @Test
    void servicesAndTheirArrowsAreSpelledOut() {
        assertThat(DOT).contains("\"svc:default/service-test\" [id=\"v-svc_3adefault_2fservice-test\", label=\"service-test\\nClusterIP 10.3.241.152\\n80\u21928080/TCP\"");
        assertThat(DOT).containsPattern("\"svc:default/service-test\" -> \"pod:default/service-test-[^\"]+\" \\[color=\"#1f6fd1\", fontcolor=\"#1f6fd1\", label=\"8080\"\\];");
        assertThat(DOT).contains("\"lb\" -> \"svc:default/service-test-lb\" [color=\"#2e8b2e\", fontcolor=\"#2e8b2e\", penwidth=1.5, label=\"203.0.113.100:80\"];");
        assertThat(DOT).contains("\"router\" -> \"net:nodes\" [dir=none, color=\"#555555\", label=\"10.100.0.1\"];");
        assertThat(DOT).contains("\"net:outside\" -> \"host:database\" [dir=none, color=\"#555555\", label=\"192.0.2.42\"];");
    }

    @Test
    void notReadyEndpointsAreDashedAndPodColoursFollowTheirState() {
        LabGraph g = new LabGraph("x", List.of(
                new Vertex("svc:a/s", Kind.SERVICE, "s", List.of(), null, Map.of()),
                new Vertex("pod:a/p", Kind.POD, "p", List.of(), "n", Map.of("phase", "Running", "ready", "false")),
                new Vertex("pod:a/q", Kind.POD, "q", List.of(), "n", Map.of("phase", "Running", "ready", "true"))),
                List.of(new Edge("svc:a/s", "pod:a/p", EdgeKind.ENDPOINT, "80", false)));
        String dot = DotWriter.dot(g);
        assertThat(dot).contains("\"svc:a/s\" -> \"pod:a/p\" [color=\"#1f6fd1\", fontcolor=\"#1f6fd1\", style=dashed, label=\"80\"];");
        assertThat(dot).contains("fillcolor=\"#ffe0b3\"", "fillcolor=\"#cdf5c4\"");
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertThat(DotWriter.quote("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\nd\"");
    }

    /** Graphviz reads it (scripts/setup.sh installs graphviz: a missing dot fails here rather than skipping). */
    @Test
    void graphvizDrawsItAsSvg() {
        String svg = new Graphviz(Kernel.linux()).svg(DOT);
        assertThat(svg).contains("<svg", "id=\"v&#45;node_3anode1\"", ">ClusterIP 10.3.241.152</text>", ">node2</text>", ">203.0.113.100:80</text>");
    }
}
