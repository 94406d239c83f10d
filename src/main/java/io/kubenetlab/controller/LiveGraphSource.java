package io.kubenetlab.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.Resources;
import io.kubenetlab.graph.GraphInputs;
import io.kubenetlab.graph.Graphviz;
import io.kubenetlab.lab.LabEngine;
import io.kubenetlab.ui.LiveGraph;
import java.util.HashMap;
import java.util.Map;

/**
 * The ui's drawing of the live lab: the state's topology, pods, Services and endpoints (read under the
 * engine's lock, as the controller writes them), each pod's phase and readiness as the API serves them,
 * redrawn when the API's resourceVersion moves.
 */
final class LiveGraphSource {
    private LiveGraphSource() {}

    static LiveGraph of(LabEngine engine, ObjectCache cache) {
        Graphviz graphviz = new Graphviz(engine.kernel());
        return new LiveGraph(() -> inputs(engine, cache), cache::resourceVersion, graphviz::svg);
    }

    private static GraphInputs inputs(LabEngine engine, ObjectCache cache) {
        Map<String, GraphInputs.PodState> states = new HashMap<>();
        for (ObjectNode pod : cache.list(Resources.PODS)) {
            JsonNode status = pod.path("status");
            boolean ready = false;
            for (JsonNode c : status.path("conditions")) {
                if (c.path("type").asText().equals("Ready")) ready = c.path("status").asText().equals("True");
            }
            states.put(pod.path("metadata").path("name").asText(), new GraphInputs.PodState(status.path("phase").asText("Unknown"), ready));
        }
        synchronized (engine) {
            return GraphInputs.of(engine.state(), states);
        }
    }
}
