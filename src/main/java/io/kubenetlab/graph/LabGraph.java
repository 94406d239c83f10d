package io.kubenetlab.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lab drawn as the article draws it: the router and its networks, the nodes (each a box holding its
 * {@code cbr0} and pods), outside hosts, the load balancer, and the Services with arrows to their
 * endpoints. Pure data: {@link DotWriter} turns it into Graphviz text, the ui into a page.
 */
public record LabGraph(String lab, List<Vertex> vertices, List<Edge> edges) {
    public LabGraph {
        vertices = List.copyOf(vertices);
        edges = List.copyOf(edges);
    }

    public enum Kind { ROUTER, NETWORK, NODE, BRIDGE, POD, SERVICE, HOST, LOAD_BALANCER }

    /**
     * One thing on the picture. {@code id} is unique ("pod:default/web-1"); {@code lines} are printed under
     * the name; {@code box} is the node whose box it sits in (its {@code cbr0} and pods), or null;
     * {@code details} is what a click shows, in order.
     */
    public record Vertex(String id, Kind kind, String name, List<String> lines, String box, Map<String, String> details) {
        public Vertex {
            lines = List.copyOf(lines);
            details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
        }

        /** The id of its element in the SVG: the id with every character but letters, digits and '-' spelt as _hex. */
        public String svgId() {
            StringBuilder b = new StringBuilder("v-");
            for (char c : id.toCharArray()) {
                if (Character.isLetterOrDigit(c) && c < 128 || c == '-') b.append(c);
                else b.append('_').append(Integer.toHexString(c));
            }
            return b.toString();
        }
    }

    /** LINK: a wire (an address on a network, a veth to the bridge); ENDPOINT: Service to endpoint; BALANCES: load balancer to Service. */
    public enum EdgeKind { LINK, ENDPOINT, BALANCES }

    /** {@code ready} false draws a not-ready endpoint dashed. */
    public record Edge(String from, String to, EdgeKind kind, String label, boolean ready) {}

    public Optional<Vertex> vertex(String id) {
        return vertices.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    public List<Vertex> of(Kind kind) {
        return vertices.stream().filter(v -> v.kind() == kind).toList();
    }
}
