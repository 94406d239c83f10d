package io.kubenetlab.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The part of an object its author owns: everything but {@code status} and the metadata the server
 * sets. What the API stores, and what an update is checked against.
 */
public final class ObjectMetaFields {
    /** Metadata the API server sets; a client may send them back (kubectl replace, edit) and they are ignored. */
    public static final List<String> SERVER_SET = List.of("uid", "resourceVersion", "creationTimestamp", "generation",
            "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences");

    private ObjectMetaFields() {}

    public static ObjectNode userPart(JsonNode object) {
        ObjectNode o = object.deepCopy();
        o.remove("status");
        if (o.get("metadata") instanceof ObjectNode meta) meta.remove(SERVER_SET);
        return o;
    }
}
