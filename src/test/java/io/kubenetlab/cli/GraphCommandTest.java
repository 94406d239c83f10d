package io.kubenetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubenetlab graph -t}: a lab file drawn offline; -o names a format or a file whose extension is the format. */
class GraphCommandTest {
    @Test
    void printsDotByDefault() {
        CliRun r = CliRun.of("graph", "-t", "topologies/service-network.yaml");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("digraph \"lab service-network\" {")
                .contains("label=\"service-test\\nClusterIP 10.3.241.152\\n80\u21928080/TCP\"");
    }

    @Test
    void theFileExtensionPicksTheFormat(@TempDir Path dir) throws Exception {
        CliRun dot = CliRun.of("graph", "-t", "topologies/service-network.yaml", "--name", "i14g-cli", "-o", dir.resolve("lab.dot").toString());
        assertThat(dot.exit()).as(dot.err()).isZero();
        assertThat(Files.readString(dir.resolve("lab.dot"))).startsWith("digraph \"lab i14g-cli\" {");
        assertThat(dot.out()).isEmpty();
        CliRun svg = CliRun.of("graph", "-t", "topologies/service-network.yaml", "-o", dir.resolve("lab.svg").toString());
        assertThat(svg.exit()).as(svg.err()).isZero();
        assertThat(Files.readString(dir.resolve("lab.svg"))).contains("<svg", "ClusterIP 10.3.241.152");
        CliRun html = CliRun.of("graph", "-t", "topologies/service-network.yaml", "-o", "html");
        assertThat(html.exit()).as(html.err()).isZero();
        assertThat(html.out()).startsWith("<!DOCTYPE html>").contains("window.KNL_DATA = {\"version\":\"snapshot\"", "<svg");
    }

    @Test
    void refusesAnUnknownFormatAndMixedOptions() {
        CliRun r = CliRun.of("graph", "-t", "topologies/service-network.yaml", "-o", "lab.png");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("\"lab.png\" is neither a format (dot, svg, html) nor a file ending in .dot, .svg or .html");
        CliRun both = CliRun.of("graph", "-t", "topologies/service-network.yaml", "--lab", "x");
        assertThat(both.exit()).isEqualTo(1);
        assertThat(both.err()).contains("use one or the other");
    }
}
