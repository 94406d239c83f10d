package io.kubenetlab.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ApiException;
import io.kubenetlab.api.ResourceType;
import io.kubenetlab.config.ConfigException;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.manifest.ManifestLoader;
import java.io.StringReader;
import java.util.List;

/**
 * Nodes and namespaces written through the API: the lab file makes them, so only their labels and
 * annotations can change (kubectl label, annotate, edit); what is kept is just that metadata.
 */
final class MetadataOnly {
    private MetadataOnly() {}

    /**
     * What to keep of {@code user} (the object's user part, checked against the request): its name,
     * labels and annotations, validated as a manifest's. A changed spec is refused rather than ignored.
     */
    static ObjectNode kept(ResourceType t, String name, ObjectNode current, ObjectNode user) {
        try {
            String json = ObjectViews.JSON.writeValueAsString(user);
            ManifestLoader.meta(YamlNode.loadAll(t.kind() + " \"" + name + "\"", new StringReader(json)).get(0).require("metadata"));
        } catch (ConfigException e) {
            throw Controller.invalid(t, name, e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (current != null && user.has("spec") && !user.get("spec").equals(current.get("spec"))) {
            throw ApiException.invalid(t, name, "spec", "Forbidden: kubenetlab keeps only the labels and annotations of a "
                    + t.singular() + "; its spec comes from the lab");
        }
        ObjectNode kept = ObjectViews.JSON.createObjectNode().put("apiVersion", t.apiVersion()).put("kind", t.kind());
        ObjectNode meta = kept.putObject("metadata").put("name", name);
        for (String field : List.of("labels", "annotations")) {
            JsonNode m = user.path("metadata").get(field);
            if (m instanceof ObjectNode o && !o.isEmpty()) meta.set(field, o.deepCopy());
        }
        return kept;
    }

    /** What a dry run answers: the object as served, with the labels and annotations it would keep. */
    static ObjectNode preview(ObjectNode current, ObjectNode kept) {
        ObjectNode out = current.deepCopy();
        ObjectNode meta = (ObjectNode) out.get("metadata");
        for (String field : List.of("labels", "annotations")) {
            if (kept.path("metadata").get(field) instanceof ObjectNode m) meta.set(field, m.deepCopy());
            else meta.remove(field);
        }
        return out;
    }
}
