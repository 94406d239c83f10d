package io.kubenetlab.cli;

import io.kubenetlab.api.ResourceType;
import io.kubenetlab.api.Resources;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** What a user may call a resource on the command line (kubectl's names and short names), and its API paths. */
final class Kinds {
    private Kinds() {}

    static ResourceType resolve(String word) {
        String w = word.toLowerCase();
        for (ResourceType t : Resources.ALL_TYPES) {
            if (w.equals(t.resource()) || w.equals(t.singular()) || t.shortNames().contains(w) || w.equals(t.qualified())
                    || w.equals(t.singular() + "." + t.group())) {
                return t;
            }
        }
        throw new IllegalArgumentException("the server doesn't have a resource type \"" + word
                + "\" (kubenetlab serves pods, services, endpoints, endpointslices, deployments, nodes, namespaces, events)");
    }

    /** The collection's path: namespaced or across all namespaces ({@code namespace} null). */
    static String collection(ResourceType t, String namespace) {
        if (!t.namespaced() || namespace == null) return t.groupVersionPath() + "/" + t.resource();
        return t.groupVersionPath() + "/namespaces/" + enc(namespace) + "/" + t.resource();
    }

    static String object(ResourceType t, String namespace, String name) {
        return collection(t, t.namespaced() ? namespace : null) + "/" + enc(name);
    }

    /** {@code deployment.apps/x}: how kubectl names an object in its messages. */
    static String display(ResourceType t) {
        return t.group().isEmpty() ? t.singular() : t.singular() + "." + t.group();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
