package io.kubenetlab.output;

import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.DeploymentRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Topology.NodeSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's objects in the Kubernetes API's shape (v1 Pod, v1 Node, apps/v1 Deployment), for
 * {@code -o yaml|json|jsonpath}: the same fields kubectl would show, so the article's commands work.
 */
public final class KubeView {
    public static final String VERSION = "v1.31.0-kubenetlab";

    private KubeView() {}

    public static Map<String, Object> list(List<Map<String, Object>> items) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("apiVersion", "v1");
        m.put("kind", "List");
        m.put("items", items);
        m.put("metadata", Map.of("resourceVersion", ""));
        return m;
    }

    public static Map<String, Object> pod(PodRecord p, PodStatus st, Topology t) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", p.name());
        meta.put("namespace", p.namespace());
        meta.put("uid", p.uid());
        meta.put("creationTimestamp", seconds(p.createdAt()));
        if (p.deletion() != null) {
            // The apiserver's graceful deletion: the time the grace period ends, and the grace itself.
            meta.put("deletionTimestamp", p.deletion().deletionTimestamp());
            meta.put("deletionGracePeriodSeconds", p.deletion().gracePeriodSeconds());
        }
        if (!p.labels().isEmpty()) meta.put("labels", new LinkedHashMap<>(p.labels()));
        if (p.ownerName() != null) {
            meta.put("ownerReferences", List.of(Map.of("apiVersion", "apps/v1", "kind", p.ownerKind(), "name", p.ownerName(),
                    "controller", true, "blockOwnerDeletion", true)));
        }
        List<Map<String, Object>> containers = new ArrayList<>();
        for (ContainerRecord c : p.containers()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("image", c.image());
            cm.put("command", c.argv());
            if (!c.ports().isEmpty()) {
                List<Map<String, Object>> ports = new ArrayList<>();
                for (ContainerPort port : c.ports()) {
                    Map<String, Object> pm = new LinkedHashMap<>();
                    if (port.name() != null) pm.put("name", port.name());
                    pm.put("containerPort", port.containerPort());
                    pm.put("protocol", port.protocol());
                    ports.add(pm);
                }
                cm.put("ports", ports);
            }
            containers.add(cm);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("containers", containers);
        spec.put("nodeName", p.node());
        spec.put("restartPolicy", p.restartPolicy());
        spec.put("dnsPolicy", "ClusterFirst");
        spec.put("terminationGracePeriodSeconds", p.terminationGracePeriodSeconds());

        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", st.phase());
        putReason(status, st);
        status.put("conditions", List.of(
                condition("PodScheduled", true),
                condition("Initialized", true),
                condition("ContainersReady", st.ready()),
                condition("Ready", st.ready())));
        NodeSpec node = t.node(p.node()).orElseThrow();
        status.put("hostIP", node.address().toString());
        status.put("hostIPs", List.of(Map.of("ip", node.address().toString())));
        status.put("podIP", p.ip().toString());
        status.put("podIPs", List.of(Map.of("ip", p.ip().toString())));
        status.put("startTime", seconds(p.createdAt()));
        List<Map<String, Object>> cstats = new ArrayList<>();
        for (PodStatus.ContainerStatus c : st.containers()) {
            Map<String, Object> cs = containerStatus(c);
            p.containers().stream().filter(x -> x.name().equals(c.name())).findFirst().ifPresent(x -> cs.put("image", x.image()));
            cstats.add(cs);
        }
        status.put("containerStatuses", cstats);

        return object("v1", "Pod", meta, spec, status);
    }

    private static Map<String, Object> containerStatus(PodStatus.ContainerStatus c) {
        Map<String, Object> cs = new LinkedHashMap<>();
        cs.put("name", c.name());
        cs.put("ready", c.ready());
        cs.put("restartCount", c.restartCount());
        cs.put("started", c.state().equals("running"));
        Map<String, Object> state = new LinkedHashMap<>();
        switch (c.state()) {
            case "running" -> state.put("running", Map.of("startedAt", epoch(c.startedAt())));
            case "terminated" -> {
                Map<String, Object> term = new LinkedHashMap<>();
                term.put("exitCode", c.exitCode());
                term.put("reason", c.reason());
                if (c.startedAt() > 0) term.put("startedAt", epoch(c.startedAt()));
                if (c.finishedAt() > 0) term.put("finishedAt", epoch(c.finishedAt()));
                state.put("terminated", term);
            }
            default -> state.put("waiting", Map.of("reason", c.reason() == null ? "ContainerCreating" : c.reason()));
        }
        cs.put("state", state);
        return cs;
    }

    /**
     * kubectl's STATUS column for a pod status (Running, Completed, CrashLoopBackOff, ...): the one rule,
     * {@link io.kubenetlab.output.Tables#podStatus}, applied to the status as the API serves it.
     */
    public static String statusColumn(PodStatus st) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", st.phase());
        putReason(status, st);
        status.put("containerStatuses", st.containers().stream().map(KubeView::containerStatus).toList());
        return io.kubenetlab.output.Tables.podStatus(STATUS_JSON.valueToTree(Map.of("status", status)));
    }

    /** A pod-level reason (SandboxDied) when it is not running, as the API carries Evicted and the like. */
    private static void putReason(Map<String, Object> status, PodStatus st) {
        if (st.reason() != null && !st.reason().isEmpty() && !st.phase().equals("Running")) status.put("reason", st.reason());
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper STATUS_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    public static Map<String, Object> node(NodeSpec n, String createdAt, boolean ready) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", n.name());
        meta.put("creationTimestamp", seconds(createdAt));
        meta.put("labels", Map.of("kubernetes.io/hostname", n.name(), "kubernetes.io/os", "linux"));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("podCIDR", n.podCidr().toString());
        spec.put("podCIDRs", List.of(n.podCidr().toString()));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("addresses", List.of(Map.of("type", "InternalIP", "address", n.address().toString()),
                Map.of("type", "Hostname", "address", n.name())));
        status.put("conditions", List.of(condition("Ready", ready)));
        status.put("nodeInfo", Map.of("kubeletVersion", VERSION, "containerRuntimeVersion", "netns://kubenetlab",
                "operatingSystem", "linux", "osImage", "kubenetlab netns", "kernelVersion", System.getProperty("os.version")));
        return object("v1", "Node", meta, spec, status);
    }

    public static Map<String, Object> deployment(DeploymentRecord d, int ready, int current) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", d.name());
        meta.put("namespace", d.namespace());
        meta.put("creationTimestamp", seconds(d.createdAt()));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", d.replicas());
        spec.put("selector", Map.of("matchLabels", new LinkedHashMap<>(d.selector())));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("replicas", current);
        status.put("readyReplicas", ready);
        status.put("availableReplicas", ready);
        status.put("updatedReplicas", current);
        return object("apps/v1", "Deployment", meta, spec, status);
    }

    /** An API object: apiVersion, kind, metadata, spec, status, in the API server's order. */
    static Map<String, Object> object(String apiVersion, String kind, Map<String, Object> meta, Map<String, Object> spec,
                                      Map<String, Object> status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("apiVersion", apiVersion);
        m.put("kind", kind);
        m.put("metadata", meta);
        m.put("spec", spec);
        m.put("status", status);
        return m;
    }

    private static Map<String, Object> condition(String type, boolean ok) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", ok ? "True" : "False");
        return c;
    }

    /** RFC 3339 without fractions, as the API server writes timestamps. */
    public static String seconds(String isoInstant) {
        return Instant.parse(isoInstant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    static String epoch(long seconds) {
        return Instant.ofEpochSecond(seconds).toString();
    }
}
