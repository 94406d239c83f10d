package io.kubenetlab.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A {@link LabGraph} as JSON for the ui page: vertices with their SVG element ids and click details, edges. */
public final class GraphJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private GraphJson() {}

    public static ObjectNode tree(LabGraph g) {
        ObjectNode root = F.objectNode();
        root.put("lab", g.lab());
        ArrayNode vs = root.putArray("vertices");
        for (LabGraph.Vertex v : g.vertices()) {
            ObjectNode o = vs.addObject();
            o.put("id", v.id());
            o.put("svgId", v.svgId());
            o.put("kind", v.kind().name());
            o.put("name", v.name());
            ArrayNode lines = o.putArray("lines");
            v.lines().forEach(lines::add);
            if (v.box() != null) o.put("box", v.box());
            ObjectNode d = o.putObject("details");
            v.details().forEach(d::put);
        }
        ArrayNode es = root.putArray("edges");
        for (LabGraph.Edge e : g.edges()) {
            ObjectNode o = es.addObject();
            o.put("from", e.from());
            o.put("to", e.to());
            o.put("kind", e.kind().name());
            o.put("label", e.label());
            o.put("ready", e.ready());
        }
        return root;
    }
}
