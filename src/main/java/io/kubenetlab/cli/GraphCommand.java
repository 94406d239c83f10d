package io.kubenetlab.cli;

import io.kubenetlab.graph.DotWriter;
import io.kubenetlab.graph.GraphBuilder;
import io.kubenetlab.graph.GraphInputs;
import io.kubenetlab.graph.Graphviz;
import io.kubenetlab.graph.LabGraph;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.lab.Blueprint;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.planner.LabPlanner;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.topology.TopologyLoader;
import io.kubenetlab.ui.LiveGraph;
import io.kubenetlab.ui.UiPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "graph", description = {
        "Draw a lab as the article does: the router and its networks, the nodes with their bridge and pod CIDR, the pods",
        "with their IPs, the Services (ClusterIP, NodePort, LoadBalancer) with arrows to their endpoints, the outside",
        "hosts and the load balancer. -o FILE picks the format from its extension (.svg, .html, .dot); -o dot|svg|html",
        "prints it. SVG and HTML need Graphviz's dot; DOT needs nothing. With -t, a lab file's plan (nothing is created)."})
final class GraphCommand implements Callable<Integer> {
    static final List<String> FORMATS = List.of("dot", "svg", "html");

    @Option(names = {"-o", "--output"}, paramLabel = "FILE|FORMAT", description = "A file (.svg, .html or .dot), or dot (default), svg or html on stdout.")
    String output = "dot";

    @Option(names = {"-t", "--topo"}, paramLabel = "FILE", description = "Draw this lab file as it would be deployed (nothing is created).")
    Path topology;

    @Option(names = "--name", paramLabel = "NAME", description = "With -t: the lab's name.")
    String name;

    @Mixin
    LabOption labOption;

    @Override
    public Integer call() throws IOException {
        Path file = FORMATS.contains(output) ? null : Path.of(output);
        String format = file == null ? output : format(file);
        if (topology != null && labOption.lab != null) {
            throw new IllegalArgumentException("-t draws a lab file; --lab a running lab: use one or the other");
        }
        if (topology == null && name != null) throw new IllegalArgumentException("--name names a lab file's lab: add -t FILE");
        LabGraph g = GraphBuilder.build(topology != null ? offline() : running());
        String dot = DotWriter.dot(g);
        String text = switch (format) {
            case "svg" -> new Graphviz(Kernel.linux()).svg(dot);
            case "html" -> UiPage.snapshot(new LiveGraph.View("snapshot", LiveGraph.withoutPrologue(new Graphviz(Kernel.linux()).svg(dot)),
                    io.kubenetlab.graph.GraphJson.tree(g)));
            default -> dot;
        };
        if (file == null) {
            System.out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)); // SVG and HTML say UTF-8, whatever the locale
            System.out.flush();
        } else {
            Files.writeString(file, text);
            System.err.println("lab " + g.lab() + " drawn in " + file);
        }
        return 0;
    }

    private static String format(Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        for (String f : FORMATS) if (n.endsWith("." + f)) return f;
        if (n.endsWith(".gv")) return "dot";
        if (n.endsWith(".htm")) return "html";
        throw new IllegalArgumentException("--output: \"" + file + "\" is neither a format (dot, svg, html) nor a file ending in .dot, .svg or .html");
    }

    private GraphInputs offline() {
        Blueprint bp = Blueprint.of(TopologyLoader.load(topology), name, null, null, null, LabStore.fromEnvironment());
        LabPlanner.Inputs in = bp.healthy();
        return new GraphInputs(in.lab(), in.topology(), in.pods(), in.services(), in.endpoints(), Map.of());
    }

    private GraphInputs running() {
        Lab lab = labOption.open();
        var state = lab.state();
        Map<String, GraphInputs.PodState> states = new HashMap<>();
        for (PodRecord p : state.pods) {
            PodStatus st = lab.status(p);
            states.put(p.name(), new GraphInputs.PodState(st.phase(), st.ready()));
        }
        return GraphInputs.of(state, states);
    }
}
