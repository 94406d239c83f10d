package io.kubenetlab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The autoscaling/v1 Scale of a Deployment: what {@code kubectl scale} reads and patches. */
final class Scale {
    private Scale() {}

    static ObjectNode of(JsonNode deployment) {
        ObjectNode s = JsonNodeFactory.instance.objectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        JsonNode meta = deployment.path("metadata");
        s.putObject("metadata").put("name", meta.path("name").asText()).put("namespace", meta.path("namespace").asText())
                .put("uid", meta.path("uid").asText()).put("resourceVersion", meta.path("resourceVersion").asText())
                .put("creationTimestamp", meta.path("creationTimestamp").asText());
        s.putObject("spec").put("replicas", deployment.path("spec").path("replicas").asInt());
        List<String> sel = new ArrayList<>();
        deployment.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e -> sel.add(e.getKey() + "=" + e.getValue().asText()));
        s.putObject("status").put("replicas", deployment.path("status").path("replicas").asInt()).put("selector", String.join(",", sel));
        return s;
    }
}
