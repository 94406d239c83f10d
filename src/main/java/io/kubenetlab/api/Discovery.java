package io.kubenetlab.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** The discovery documents kubectl reads before anything else: /version, /api, /apis and resource lists. */
public final class Discovery {
    public static final String MAJOR = "1";
    public static final String MINOR = "31";
    public static final String GIT_VERSION = io.kubenetlab.output.KubeView.VERSION;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** What {@code kubectl get all} lists. */
    private static final Set<String> CATEGORY_ALL = Set.of("pods", "services", "deployments", "replicasets");

    private Discovery() {}

    public static ObjectNode version() {
        ObjectNode v = F.objectNode();
        v.put("major", MAJOR).put("minor", MINOR).put("gitVersion", GIT_VERSION).put("gitCommit", "")
                .put("gitTreeState", "clean").put("buildDate", "2026-11-26T00:00:00Z")
                .put("goVersion", "java" + System.getProperty("java.specification.version")).put("compiler", "javac")
                .put("platform", "linux/amd64");
        return v;
    }

    public static ObjectNode apiVersions(String serverAddress) {
        ObjectNode o = F.objectNode().put("kind", "APIVersions");
        o.putArray("versions").add("v1");
        o.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return o;
    }

    public static ObjectNode groups() {
        ObjectNode o = F.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = o.putArray("groups");
        for (String g : Resources.GROUPS) groups.add(group(g));
        return o;
    }

    public static ObjectNode group(String g) {
        ObjectNode o = F.objectNode().put("kind", "APIGroup").put("apiVersion", "v1").put("name", g);
        o.putArray("versions").addObject().put("groupVersion", g + "/v1").put("version", "v1");
        o.putObject("preferredVersion").put("groupVersion", g + "/v1").put("version", "v1");
        return o;
    }

    /** The APIResourceList of one group version, subresources included (pods/log, deployments/scale). */
    public static ObjectNode resources(String group, String version) {
        List<ResourceType> types = Resources.inGroupVersion(group, version);
        ObjectNode o = F.objectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode list = o.putArray("resources");
        for (ResourceType t : types) {
            ObjectNode r = list.addObject().put("name", t.resource()).put("singularName", t.singular())
                    .put("namespaced", t.namespaced()).put("kind", t.kind());
            ArrayNode verbs = r.putArray("verbs");
            t.verbs().forEach(verbs::add);
            if (!t.shortNames().isEmpty()) {
                ArrayNode sn = r.putArray("shortNames");
                t.shortNames().forEach(sn::add);
            }
            if (CATEGORY_ALL.contains(t.resource())) r.putArray("categories").add("all");
            for (String sub : t.subresources()) {
                ObjectNode s = list.addObject().put("name", t.resource() + "/" + sub).put("singularName", "").put("namespaced", t.namespaced());
                switch (sub) {
                    case "log" -> s.put("kind", "Pod").putArray("verbs").add("get");
                    case "scale" -> s.put("group", "autoscaling").put("version", "v1").put("kind", "Scale").putArray("verbs").add("get").add("patch").add("update");
                    default -> s.put("kind", t.kind()).putArray("verbs").add("get").add("patch").add("update");
                }
            }
        }
        return o;
    }
}
