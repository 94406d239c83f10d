package io.kubenetlab.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Just enough OpenAPI v3 for kubectl: each group version's write paths, tagged with their kind and
 * the {@code fieldValidation} query parameter. Seeing it, kubectl leaves validation to the server
 * (which checks every field strictly) instead of downloading full schemas we do not publish.
 */
final class OpenApi {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OpenApi() {}

    static ObjectNode root() {
        ObjectNode paths = F.objectNode();
        paths.putObject("api/v1").put("serverRelativeURL", "/openapi/v3/api/v1?hash=" + Discovery.GIT_VERSION);
        for (String g : Resources.GROUPS) paths.putObject("apis/" + g + "/v1").put("serverRelativeURL", "/openapi/v3/apis/" + g + "/v1?hash=" + Discovery.GIT_VERSION);
        ObjectNode o = F.objectNode();
        o.set("paths", paths);
        return o;
    }

    /** The document of "api/v1" or "apis/apps/v1"; empty for anything else. */
    static Optional<ObjectNode> groupVersion(String gv) {
        String group;
        String version;
        String[] parts = gv.split("/");
        if (parts.length == 2 && parts[0].equals("api")) {
            group = "";
            version = parts[1];
        } else if (parts.length == 3 && parts[0].equals("apis")) {
            group = parts[1];
            version = parts[2];
        } else {
            return Optional.empty();
        }
        if (Resources.inGroupVersion(group, version).isEmpty()) return Optional.empty();
        ObjectNode doc = F.objectNode().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", Discovery.GIT_VERSION);
        ObjectNode paths = doc.putObject("paths");
        for (ResourceType t : Resources.inGroupVersion(group, version)) {
            if (!t.verbs().contains("patch")) continue;
            String base = t.groupVersionPath() + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.resource() + "/{name}";
            ObjectNode item = paths.putObject(base);
            for (String op : new String[]{"put", "patch"}) {
                ObjectNode o = item.putObject(op);
                o.put("operationId", op + t.kind());
                o.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version()).put("kind", t.kind());
                o.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
                        .put("description", "Strict: the server refuses unknown and duplicate fields").putObject("schema").put("type", "string");
            }
            ObjectNode post = paths.putObject(t.groupVersionPath() + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.resource()).putObject("post");
            post.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version()).put("kind", t.kind());
            post.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query").putObject("schema").put("type", "string");
        }
        doc.putObject("components").putObject("schemas");
        return Optional.of(doc);
    }
}
