package io.kubenetlab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
public final class MergePatch {
    private MergePatch() {}

    /** Returns the patched document; neither argument is changed. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        return merge(target == null ? null : target.deepCopy(), patch);
    }

    /** {@code target} is a private copy and may be changed in place. */
    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) return patch.deepCopy();
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }
}
