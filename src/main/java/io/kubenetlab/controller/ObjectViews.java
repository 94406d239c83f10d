package io.kubenetlab.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.ResourceType;
import io.kubenetlab.api.Resources;
import io.kubenetlab.cluster.EndpointSliceController;
import io.kubenetlab.model.DeploymentRecord;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.EndpointSliceRecord;
import io.kubenetlab.model.EventRecord;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.output.KubeView;
import io.kubenetlab.output.ServiceView;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.model.Topology;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The lab's state as API objects: records and observed status turned into v1/apps/discovery objects,
 * with the fields their authors wrote (kept manifests) and those the cluster fills in.
 */
final class ObjectViews {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> BUILT_IN_NAMESPACES = List.of("default", "kube-node-lease", "kube-public", "kube-system");

    private ObjectViews() {}

    static Map<ResourceType, Map<String, ObjectNode>> all(LabState s, Map<String, PodStatus> statuses) {
        Map<ResourceType, Map<String, ObjectNode>> out = new HashMap<>();
        for (ResourceType t : Resources.ALL_TYPES) out.put(t, new TreeMap<>());
        for (PodRecord p : s.pods) {
            PodStatus st = statuses.get(p.name());
            if (st == null) continue;
            out.get(Resources.PODS).put(ObjectCache.key(p.namespace(), p.name()), pod(s, p, st));
        }
        for (ServiceRecord svc : s.services) {
            String key = ObjectCache.key(svc.namespace(), svc.name());
            out.get(Resources.SERVICES).put(key, service(s, svc));
            if (svc.type().equals("ExternalName")) continue;
            List<EndpointRecord> eps = ownEndpoints(s, svc);
            ObjectNode ep = endpoints(s, svc.namespace(), svc.name(),
                    eps.stream().filter(io.kubenetlab.cluster.EndpointsController::inEndpointsObject).toList(), svc.createdAt());
            if (svc.selector() != null) controllerLabels(ep, svc);
            out.get(Resources.ENDPOINTS).put(key, ep);
            // The mirroring controller makes a slice only of an Endpoints object someone wrote.
            if (svc.selector() == null && !s.manualEndpoints.containsKey(svc.key())) continue;
            // One slice per port set, as upstream's controllers (pods whose named targetPort differs land apart).
            for (EndpointSliceController.DerivedSlice derived : EndpointSliceController.slices(svc, eps)) {
                ObjectNode slice = JSON.valueToTree(ServiceView.endpointSlice(svc, derived));
                String sliceKey = ObjectCache.key(svc.namespace(), derived.name());
                meta(slice).put("uid", uid(s, "EndpointSlice", sliceKey)).put("creationTimestamp", KubeView.seconds(svc.createdAt()));
                out.get(Resources.ENDPOINTSLICES).put(sliceKey, slice);
            }
        }
        for (EndpointSliceRecord sl : s.userSlices.values()) {
            out.get(Resources.ENDPOINTSLICES).put(ObjectCache.key(sl.namespace(), sl.name()), userSlice(s, sl));
        }
        for (var manual : s.manualEndpoints.entrySet()) {
            // Written by hand with no Service of that name (yet): kept as written, as the apiserver keeps it.
            String[] nsName = manual.getKey().split("/", 2);
            String key = ObjectCache.key(nsName[0], nsName[1]);
            if (out.get(Resources.ENDPOINTS).containsKey(key)) continue;
            out.get(Resources.ENDPOINTS).put(key, endpoints(s, nsName[0], nsName[1], manual.getValue(), s.createdAt));
        }
        for (Topology.NodeSpec n : s.topology.nodes()) {
            boolean ready = s.machine(n.name()).map(m -> Procs.alive(m.sandbox())).orElse(false);
            ObjectNode node = JSON.valueToTree(KubeView.node(n, s.createdAt, ready));
            meta(node).put("uid", uid(s, "Node", n.name()));
            userMetadata(s, node, "Node", null, n.name());
            out.get(Resources.NODES).put(ObjectCache.key(null, n.name()), node);
        }
        for (String ns : namespaces(s)) out.get(Resources.NAMESPACES).put(ObjectCache.key(null, ns), namespace(s, ns));
        for (DeploymentRecord d : s.deployments) {
            ObjectNode dep = deployment(s, d, statuses);
            out.get(Resources.DEPLOYMENTS).put(ObjectCache.key(d.namespace(), d.name()), dep);
            for (ObjectNode rs : replicaSets(s, d, dep, statuses)) {
                out.get(Resources.REPLICASETS).put(ObjectCache.key(d.namespace(), rs.path("metadata").path("name").asText()), rs);
            }
        }
        for (EventRecord e : s.events) out.get(Resources.EVENTS).put(ObjectCache.key(e.namespace(), e.name()), event(e));
        return out;
    }

    /**
     * What the Service's Endpoints object and derived slice hold: the endpoints controller's (pods) or the
     * manual Endpoints, without what users' slices add (those are served as their own objects).
     */
    private static List<EndpointRecord> ownEndpoints(LabState s, ServiceRecord svc) {
        if (svc.selector() == null) return s.manualEndpoints.getOrDefault(svc.key(), List.of());
        return s.endpoints.getOrDefault(svc.key(), List.of()).stream().filter(e -> e.podName() != null).toList();
    }

    /** A user's slice as written, with the metadata the server sets. */
    static ObjectNode userSlice(LabState s, EndpointSliceRecord sl) {
        JsonNode manifest = s.manifests.get(LabState.manifestKey("EndpointSlice", sl.namespace(), sl.name()));
        ObjectNode o = manifest instanceof ObjectNode m ? m.deepCopy()
                : JSON.createObjectNode().put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice").put("addressType", sl.addressType());
        ObjectNode meta = meta(o).put("name", sl.name()).put("namespace", sl.namespace());
        meta.put("uid", uid(s, "EndpointSlice", sl.key() + "@" + sl.createdAt())).put("creationTimestamp", KubeView.seconds(sl.createdAt()));
        if (!o.has("endpoints")) o.putArray("endpoints"); // kubectl's table reads it; the API server serves null as []
        return o;
    }

    static List<String> namespaces(LabState s) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(BUILT_IN_NAMESPACES);
        all.addAll(s.namespaces);
        return List.copyOf(all);
    }

    static ObjectNode pod(LabState s, PodRecord p, PodStatus st) {
        ObjectNode o = JSON.valueToTree(KubeView.pod(p, st, s.topology));
        JsonNode manifest = s.manifests.get(LabState.manifestKey("Pod", p.namespace(), p.name()));
        JsonNode spec = null;
        JsonNode annotations = null;
        if (manifest != null) {
            spec = manifest.get("spec");
            annotations = manifest.path("metadata").get("annotations");
        } else if (p.ownerName() != null) {
            DeploymentRecord d = s.deployments.stream().filter(x -> x.replicaSetName().equals(p.ownerName())).findFirst().orElse(null);
            JsonNode dm = d == null ? null : s.manifests.get(LabState.manifestKey("Deployment", d.namespace(), d.name()));
            if (dm != null) {
                spec = dm.path("spec").path("template").get("spec");
                annotations = dm.path("spec").path("template").path("metadata").get("annotations");
            }
        }
        if (spec instanceof ObjectNode given) o.set("spec", servedPodSpec(given, p));
        if (annotations instanceof ObjectNode a && !a.isEmpty()) meta(o).set("annotations", a.deepCopy());
        if (p.ownerName() != null && meta(o).get("ownerReferences") instanceof com.fasterxml.jackson.databind.node.ArrayNode refs
                && refs.size() > 0 && refs.get(0) instanceof ObjectNode ref) {
            ref.put("uid", uid(s, "ReplicaSet", ObjectCache.key(p.namespace(), p.ownerName())));
        }
        return o;
    }

    /** A pod's spec as written, with what the cluster fills in: its node and the defaults. */
    static ObjectNode servedPodSpec(JsonNode given, PodRecord p) {
        ObjectNode merged = given.deepCopy();
        merged.put("nodeName", p.node());
        if (!merged.has("restartPolicy")) merged.put("restartPolicy", p.restartPolicy());
        if (!merged.has("dnsPolicy")) merged.put("dnsPolicy", "ClusterFirst");
        if (!merged.has("terminationGracePeriodSeconds")) merged.put("terminationGracePeriodSeconds", p.terminationGracePeriodSeconds());
        return merged;
    }

    static ObjectNode service(LabState s, ServiceRecord svc) {
        ObjectNode o = JSON.valueToTree(ServiceView.service(svc));
        String key = ObjectCache.key(svc.namespace(), svc.name());
        meta(o).put("uid", uid(s, "Service", key + "@" + svc.createdAt()));
        annotations(s, o, "Service", svc.namespace(), svc.name());
        // A status written through services/status is served as written (an outside controller's).
        if (s.serviceStatuses.get(svc.key()) instanceof ObjectNode written) o.set("status", written.deepCopy());
        return o;
    }

    static ObjectNode namespace(LabState s, String ns) {
        ObjectNode o = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        String created = s.objectsCreatedAt.getOrDefault(LabState.manifestKey("Namespace", null, ns), s.createdAt);
        ObjectNode meta = o.putObject("metadata").put("name", ns).put("uid", uid(s, "Namespace", ns))
                .put("creationTimestamp", KubeView.seconds(created));
        meta.putObject("labels");
        userMetadata(s, o, "Namespace", null, ns);
        // The apiserver sets this label on every namespace, whatever the user wrote.
        (meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels")).put("kubernetes.io/metadata.name", ns);
        o.putObject("spec").putArray("finalizers").add("kubernetes");
        o.putObject("status").put("phase", "Active");
        return o;
    }

    static ObjectNode deployment(LabState s, DeploymentRecord d, Map<String, PodStatus> statuses) {
        // Terminating pods are not counted (upstream's FilterActivePods).
        List<PodRecord> pods = s.pods.stream().filter(p -> d.replicaSetName().equals(p.ownerName()) && !p.terminating()).toList();
        int ready = (int) pods.stream().filter(p -> statuses.containsKey(p.name()) && statuses.get(p.name()).ready()).count();
        ObjectNode o = JSON.valueToTree(KubeView.deployment(d, ready, pods.size()));
        String key = ObjectCache.key(d.namespace(), d.name());
        ObjectNode meta = meta(o);
        meta.put("uid", deploymentUid(s, d)).put("generation", 1);
        JsonNode manifest = s.manifests.get(LabState.manifestKey("Deployment", d.namespace(), d.name()));
        ObjectNode spec = (ObjectNode) o.get("spec");
        if (manifest != null) {
            if (manifest.path("metadata").get("labels") instanceof ObjectNode l) meta.set("labels", l.deepCopy());
            if (manifest.path("metadata").get("annotations") instanceof ObjectNode a) meta.set("annotations", a.deepCopy());
            if (manifest.path("spec") instanceof ObjectNode given) {
                ObjectNode merged = given.deepCopy();
                merged.put("replicas", d.replicas());
                if (!merged.has("strategy")) {
                    merged.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate").put("maxSurge", "25%").put("maxUnavailable", "25%");
                }
                o.set("spec", merged);
            }
        }
        ObjectNode status = (ObjectNode) o.get("status");
        status.put("observedGeneration", 1);
        if (ready < d.replicas()) status.put("unavailableReplicas", d.replicas() - ready);
        var conditions = status.putArray("conditions");
        conditions.addObject().put("type", "Available").put("status", ready >= d.replicas() ? "True" : "False")
                .put("reason", ready >= d.replicas() ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                .put("message", ready >= d.replicas() ? "Deployment has minimum availability." : "Deployment does not have minimum availability.");
        conditions.addObject().put("type", "Progressing").put("status", "True").put("reason", "NewReplicaSetAvailable")
                .put("message", "ReplicaSet \"" + d.replicaSetName() + "\" has successfully progressed.");
        return o;
    }

    /**
     * A Deployment's ReplicaSets, as the Deployment controller keeps them: the current template's (its
     * name carries the pod-template-hash) and any older one that still has pods during a rollout.
     */
    static List<ObjectNode> replicaSets(LabState s, DeploymentRecord d, ObjectNode deployment, Map<String, PodStatus> statuses) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        names.add(d.replicaSetName());
        for (PodRecord p : s.pods) if (d.owns(p)) names.add(p.ownerName());
        List<ObjectNode> out = new java.util.ArrayList<>();
        String depUid = deployment.path("metadata").path("uid").asText();
        for (String rsName : names) {
            boolean current = rsName.equals(d.replicaSetName());
            String hash = rsName.substring(d.name().length() + 1);
            List<PodRecord> pods = s.pods.stream().filter(p -> rsName.equals(p.ownerName()) && !p.terminating()).toList();
            int ready = (int) pods.stream().filter(p -> statuses.containsKey(p.name()) && statuses.get(p.name()).ready()).count();
            ObjectNode rs = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
            ObjectNode meta = rs.putObject("metadata").put("name", rsName).put("namespace", d.namespace())
                    .put("uid", uid(s, "ReplicaSet", ObjectCache.key(d.namespace(), rsName))).put("creationTimestamp", KubeView.seconds(d.createdAt()))
                    .put("generation", 1);
            ObjectNode labels = meta.putObject("labels");
            d.templateMetadata().labels().forEach(labels::put);
            labels.put("pod-template-hash", hash);
            meta.putObject("annotations").put("deployment.kubernetes.io/desired-replicas", Integer.toString(d.replicas()))
                    .put("deployment.kubernetes.io/max-replicas", Integer.toString(d.replicas() + Math.max(1, (d.replicas() + 3) / 4)));
            meta.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "Deployment").put("name", d.name())
                    .put("uid", depUid).put("controller", true).put("blockOwnerDeletion", true);
            ObjectNode spec = rs.putObject("spec").put("replicas", current ? d.replicas() : pods.size());
            ObjectNode match = spec.putObject("selector").putObject("matchLabels");
            d.selector().forEach(match::put);
            match.put("pod-template-hash", hash);
            if (current && deployment.path("spec").get("template") instanceof ObjectNode template) {
                ObjectNode t = template.deepCopy();
                ObjectNode tl = (t.get("metadata") instanceof ObjectNode tm ? tm : t.putObject("metadata")).putObject("labels");
                labels.fields().forEachRemaining(e -> tl.set(e.getKey(), e.getValue()));
                spec.set("template", t);
            }
            rs.putObject("status").put("replicas", pods.size()).put("fullyLabeledReplicas", pods.size()).put("readyReplicas", ready)
                    .put("availableReplicas", ready).put("observedGeneration", 1);
            out.add(rs);
        }
        return out;
    }

    static ObjectNode event(EventRecord e) {
        ObjectNode o = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
        o.putObject("metadata").put("name", e.name()).put("namespace", e.namespace()).put("creationTimestamp", e.firstTimestamp());
        ObjectNode inv = o.putObject("involvedObject").put("kind", e.kind()).put("namespace", e.namespace()).put("name", e.objectName());
        if (e.objectUid() != null) inv.put("uid", e.objectUid());
        inv.put("apiVersion", e.kind().equals("Deployment") ? "apps/v1" : "v1");
        o.put("reason", e.reason()).put("message", e.message());
        o.putObject("source").put("component", e.source());
        o.put("firstTimestamp", e.firstTimestamp()).put("lastTimestamp", e.lastTimestamp()).put("count", e.count()).put("type", e.type());
        o.put("reportingComponent", e.source()).put("reportingInstance", "");
        return o;
    }

    static String deploymentUid(LabState s, DeploymentRecord d) {
        return uid(s, "Deployment", ObjectCache.key(d.namespace(), d.name()) + "@" + d.createdAt());
    }

    /** Stable uids: derived from the lab, the kind, the object and when it was made, so restarts keep them. */
    static String uid(LabState s, String kind, String key) {
        return UUID.nameUUIDFromBytes((s.name + "/" + s.createdAt + "/" + kind + "/" + key).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** v1 Endpoints with its uid and age; labels and annotations as last written through the API or a manifest. */
    private static ObjectNode endpoints(LabState s, String ns, String name, List<EndpointRecord> eps, String fallbackCreated) {
        ObjectNode ep = JSON.valueToTree(ServiceView.endpointsObject(ns, name, eps));
        String created = s.objectsCreatedAt.getOrDefault(LabState.manifestKey("Endpoints", ns, name), fallbackCreated);
        // An Endpoints object made again (the kubernetes Service's, by the controller) is a new object: a new uid.
        String uidKey = ObjectCache.key(ns, name) + (s.objectsCreatedAt.containsKey(LabState.manifestKey("Endpoints", ns, name)) ? "@" + created : "");
        meta(ep).put("uid", uid(s, "Endpoints", uidKey)).put("creationTimestamp", KubeView.seconds(created));
        userMetadata(s, ep, "Endpoints", ns, name);
        return ep;
    }

    /**
     * The endpoints controller writes the Service's labels on the Endpoints it manages, plus
     * service.kubernetes.io/headless for a headless Service (upstream's syncService).
     */
    private static void controllerLabels(ObjectNode ep, ServiceRecord svc) {
        ObjectNode labels = meta(ep).get("labels") instanceof ObjectNode l ? l : meta(ep).putObject("labels");
        svc.labels().forEach(labels::put);
        if (svc.headless()) labels.put(io.kubenetlab.proxy.ServiceProxyName.HEADLESS, "");
        else labels.remove(io.kubenetlab.proxy.ServiceProxyName.HEADLESS);
        if (labels.isEmpty()) meta(ep).remove("labels");
    }

    /**
     * Labels and annotations as the object's last write (API or manifest) gave them, for kinds whose
     * records do not carry them (nodes, namespaces, Endpoints): none written means the defaults stay.
     */
    private static void userMetadata(LabState s, ObjectNode o, String kind, String ns, String name) {
        JsonNode manifest = s.manifests.get(LabState.manifestKey(kind, ns, name));
        if (manifest == null) return;
        for (String field : List.of("labels", "annotations")) {
            if (manifest.path("metadata").get(field) instanceof ObjectNode m && !m.isEmpty()) meta(o).set(field, m.deepCopy());
            else meta(o).remove(field);
        }
    }

    private static void annotations(LabState s, ObjectNode o, String kind, String ns, String name) {
        JsonNode manifest = s.manifests.get(LabState.manifestKey(kind, ns, name));
        if (manifest != null && manifest.path("metadata").get("annotations") instanceof ObjectNode a && !a.isEmpty()) {
            meta(o).set("annotations", a.deepCopy());
        }
    }

    static ObjectNode meta(ObjectNode o) {
        return o.has("metadata") ? (ObjectNode) o.get("metadata") : o.putObject("metadata");
    }
}
