package io.kubenetlab.graph;

import io.kubenetlab.graph.LabGraph.Edge;
import io.kubenetlab.graph.LabGraph.Vertex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link LabGraph} as Graphviz text: each node a box (cluster) holding the node, its bridge and pods;
 * wires undirected, Services' arrows to their endpoints blue (dashed when not ready), the load balancer's green.
 * Every element carries its vertex's {@code svgId} so a page can find it in the SVG.
 */
public final class DotWriter {
    private DotWriter() {}

    public static String dot(LabGraph g) {
        StringBuilder b = new StringBuilder();
        b.append("digraph ").append(quote("lab " + g.lab())).append(" {\n");
        b.append("  graph [label=").append(quote("lab " + g.lab())).append(", labelloc=t, fontname=\"Helvetica\", fontsize=14, rankdir=TB, nodesep=0.3, ranksep=0.5];\n");
        b.append("  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=white];\n");
        b.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        Map<String, List<Vertex>> boxes = new LinkedHashMap<>();
        for (Vertex v : g.vertices()) {
            if (v.box() != null) boxes.computeIfAbsent(v.box(), k -> new java.util.ArrayList<>()).add(v);
            else b.append("  ").append(vertex(v)).append('\n');
        }
        int i = 0;
        for (var box : boxes.entrySet()) {
            String podCidr = g.vertex(GraphBuilder.nodeId(box.getKey())).map(v -> v.details().get("podCIDR")).orElse(null);
            b.append("  subgraph ").append(quote("cluster_" + i++)).append(" {\n");
            b.append("    graph [label=").append(quote(box.getKey() + (podCidr == null ? "" : " (pods " + podCidr + ")")))
                    .append(", style=\"rounded,filled\", fillcolor=\"#f4f4f4\", color=\"#888888\", id=")
                    .append(quote("box-" + box.getKey())).append("];\n");
            for (Vertex v : box.getValue()) b.append("    ").append(vertex(v)).append('\n');
            b.append("  }\n");
        }
        for (Edge e : g.edges()) b.append("  ").append(edge(e)).append('\n');
        b.append("}\n");
        return b.toString();
    }

    private static String vertex(Vertex v) {
        StringBuilder label = new StringBuilder(v.name());
        for (String l : v.lines()) label.append('\n').append(l);
        String style = switch (v.kind()) {
            case ROUTER -> "shape=box3d, style=filled, fillcolor=\"#ffe9a8\"";
            case NETWORK -> "shape=ellipse, style=filled, fillcolor=\"#dde8f8\"";
            case NODE -> "shape=box, style=filled, fillcolor=\"#e8e8e8\"";
            case BRIDGE -> "shape=box, style=\"rounded,filled\", fillcolor=\"#fff6d5\"";
            case POD -> "shape=box, style=\"rounded,filled\", fillcolor=" + quote(podColour(v));
            case SERVICE -> "shape=hexagon, style=filled, fillcolor=\"#d7f0ff\"";
            case HOST -> "shape=box, style=filled, fillcolor=\"#e6e6fa\"";
            case LOAD_BALANCER -> "shape=box, style=\"filled,bold\", fillcolor=\"#d8f5d0\"";
        };
        return quote(v.id()) + " [id=" + quote(v.svgId()) + ", label=" + quote(label.toString()) + ", tooltip=" + quote(v.kind() + " " + v.name())
                + ", " + style + "];";
    }

    /** Ready pods green, pods not (or not yet) ready orange, finished or failed ones grey; unknown (offline) white. */
    private static String podColour(Vertex v) {
        String phase = v.details().get("phase");
        if (phase == null) return "#ffffff";
        if ("true".equals(v.details().get("ready"))) return "#cdf5c4";
        if ("Running".equals(phase) || "Pending".equals(phase)) return "#ffe0b3";
        return "#dddddd";
    }

    private static String edge(Edge e) {
        String attrs = switch (e.kind()) {
            case LINK -> "dir=none, color=\"#555555\"";
            case ENDPOINT -> "color=\"#1f6fd1\", fontcolor=\"#1f6fd1\"" + (e.ready() ? "" : ", style=dashed");
            case BALANCES -> "color=\"#2e8b2e\", fontcolor=\"#2e8b2e\", penwidth=1.5";
        };
        return quote(e.from()) + " -> " + quote(e.to()) + " [" + attrs + (e.label().isEmpty() ? "" : ", label=" + quote(e.label())) + "];";
    }

    /** A DOT double-quoted string: quotes and backslashes escaped, line breaks as \n. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

}
