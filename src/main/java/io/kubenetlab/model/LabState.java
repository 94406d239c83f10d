package io.kubenetlab.model;

import io.kubenetlab.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The truth of one lab, saved in its state directory after every change: what exists, what it is
 * called, which processes are ours. A later command (or a restarted controller) reads it back.
 * The {@code netns} ledger is written before a namespace is created, so destroy also cleans up after a
 * deploy that was killed half way.
 */
public final class LabState {
    public String name;
    public String runtime;
    public String createdAt;
    public Topology topology;
    public List<String> netns = new ArrayList<>();
    public List<MachineRecord> machines = new ArrayList<>();
    public List<DeploymentRecord> deployments = new ArrayList<>();
    public List<PodRecord> pods = new ArrayList<>();
    public List<ServiceRecord> services = new ArrayList<>();
    /** Endpoints written by hand (Services without a selector), by "namespace/name". */
    public java.util.Map<String, List<EndpointRecord>> manualEndpoints = new java.util.TreeMap<>();
    /**
     * EndpointSlices written by users (not the lab's controllers), by "namespace/name": kube-proxy merges
     * those with a {@code kubernetes.io/service-name} label into that Service's endpoints.
     */
    public java.util.Map<String, EndpointSliceRecord> userSlices = new java.util.TreeMap<>();
    /** Every Service's current endpoints, by "namespace/name", as the endpoints controller last computed them. */
    public java.util.Map<String, List<EndpointRecord>> endpoints = new java.util.TreeMap<>();

    /**
     * Each object as it was last written (a manifest or an API request), by "Kind/namespace/name",
     * without status and server-set metadata: what the API serves back, beside the fields it fills in.
     */
    public java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> manifests = new java.util.TreeMap<>();
    /**
     * Service statuses written through {@code services/status} (an outside load-balancer controller), by
     * "namespace/name": served as written; their ingress IPs are the record's {@code loadBalancerIPs}.
     */
    public java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> serviceStatuses = new java.util.TreeMap<>();
    /** When objects without a record of their own were created (namespaces, hand-written Endpoints), by manifest key. */
    public java.util.Map<String, String> objectsCreatedAt = new java.util.TreeMap<>();
    /** Namespaces besides the built-in ones (default, kube-system, kube-public, kube-node-lease). */
    public List<String> namespaces = new ArrayList<>();
    /** The API's last resourceVersion: a restarted controller continues above it. */
    public long resourceVersion;
    /**
     * Readiness and startup probes' last published results, by "podUid/container/KIND": the prober that
     * follows the lab next starts from them. Upstream kubelet starts a restarted kubelet's probes from
     * "not ready", so a ready pod leaves its Services until probed again (kubernetes#100277, #131303).
     */
    public java.util.Map<String, ProbeResultRecord> probeResults = new java.util.TreeMap<>();
    /** Recent events, oldest first (kubectl describe and get events show them). */
    public List<EventRecord> events = new ArrayList<>();

    public static String manifestKey(String kind, String namespace, String name) {
        return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    public Optional<ServiceRecord> service(String namespace, String name) {
        return services.stream().filter(s -> s.name().equals(name) && s.namespace().equals(namespace)).findFirst();
    }

    public Optional<PodRecord> pod(String name) {
        return pods.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<MachineRecord> machine(String name) {
        return machines.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public synchronized void putPod(PodRecord pod) {
        pods.removeIf(p -> p.name().equals(pod.name()) && p.namespace().equals(pod.namespace()));
        pods.add(pod);
    }

    public synchronized void putMachine(MachineRecord m) {
        for (int i = 0; i < machines.size(); i++) {
            if (machines.get(i).name().equals(m.name())) {
                machines.set(i, m);
                return;
            }
        }
        machines.add(m);
    }
}
