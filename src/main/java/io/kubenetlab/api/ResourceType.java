package io.kubenetlab.api;

import java.util.List;

/**
 * One resource the API serves: where it lives ({@code group}/{@code version}), its kind and names, the
 * verbs it takes and its subresources. Discovery documents and routing are both built from these.
 */
public record ResourceType(String group, String version, String resource, String singular, String kind, boolean namespaced,
                           List<String> shortNames, List<String> verbs, List<String> subresources) {
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** How the apiserver names it in messages: {@code pods}, {@code deployments.apps}. */
    public String qualified() {
        return group.isEmpty() ? resource : resource + "." + group;
    }

    /** The path prefix of its group version: {@code /api/v1} or {@code /apis/apps/v1}. */
    public String groupVersionPath() {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    public String listKind() {
        return kind + "List";
    }
}
