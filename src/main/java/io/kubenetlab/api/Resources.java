package io.kubenetlab.api;

import java.util.List;
import java.util.Optional;

/** The resources this API serves: what kubectl and client libraries discover and use. */
public final class Resources {
    private static final List<String> ALL = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<String> READ = List.of("get", "list", "watch");

    public static final ResourceType PODS = new ResourceType("", "v1", "pods", "pod", "Pod", true, List.of("po"), ALL, List.of("log", "status"));
    public static final ResourceType SERVICES = new ResourceType("", "v1", "services", "service", "Service", true, List.of("svc"), ALL, List.of("status"));
    public static final ResourceType ENDPOINTS = new ResourceType("", "v1", "endpoints", "endpoints", "Endpoints", true, List.of("ep"), ALL, List.of());
    public static final ResourceType NODES = new ResourceType("", "v1", "nodes", "node", "Node", false, List.of("no"), READ, List.of("status"));
    public static final ResourceType NAMESPACES = new ResourceType("", "v1", "namespaces", "namespace", "Namespace", false, List.of("ns"),
            List.of("create", "delete", "get", "list", "patch", "update", "watch"), List.of("status"));
    public static final ResourceType EVENTS = new ResourceType("", "v1", "events", "event", "Event", true, List.of("ev"), READ, List.of());
    public static final ResourceType DEPLOYMENTS = new ResourceType("apps", "v1", "deployments", "deployment", "Deployment", true, List.of("deploy"), ALL, List.of("scale", "status"));
    public static final ResourceType REPLICASETS = new ResourceType("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, List.of("rs"), READ, List.of());
    public static final ResourceType ENDPOINTSLICES = new ResourceType("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true, List.of(), ALL, List.of());

    public static final List<ResourceType> ALL_TYPES = List.of(PODS, SERVICES, ENDPOINTS, NODES, NAMESPACES, EVENTS, DEPLOYMENTS, REPLICASETS, ENDPOINTSLICES);

    /** The API groups besides the core group, each with its one version. */
    public static final List<String> GROUPS = List.of("apps", "discovery.k8s.io");

    private Resources() {}

    public static Optional<ResourceType> find(String group, String version, String resource) {
        return ALL_TYPES.stream().filter(t -> t.group().equals(group) && t.version().equals(version) && t.resource().equals(resource)).findFirst();
    }

    public static Optional<ResourceType> byKind(String apiVersion, String kind) {
        return ALL_TYPES.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
    }

    public static List<ResourceType> inGroupVersion(String group, String version) {
        return ALL_TYPES.stream().filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    }
}
