package io.kubenetlab.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.cluster.EndpointSlices;
import io.kubenetlab.cluster.EndpointsController;
import io.kubenetlab.dns.ClusterDnsRecords;
import io.kubenetlab.dns.DnsAddon;
import io.kubenetlab.dns.DnsServer;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.model.Defaults;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.store.LabStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The endpoints controller, kube-proxy and the cluster DNS, one pass, used by deploy and by the
 * controller alike: every Service's endpoints from the pods' status, then the lab's plan applied where
 * it changed (each node's rules, the gateway's routes, the load balancer), then the state and the DNS
 * zone. Applying the same state twice changes nothing.
 */
public final class Reconciler {
    private static final ObjectMapper ZONE_JSON = new ObjectMapper();

    private final LabEngine engine;
    /** The Services the last pass saw: a change to them (not only to endpoints) needs a new plan. */
    private List<ServiceRecord> lastServices = List.of();
    /**
     * Where the pods were the last pass ("uid ip node"): a node's plan pins a neighbour entry for each of
     * its pods, so a pod that comes or goes changes it even when no endpoint does (a not-ready pod removed).
     */
    private List<String> lastPods = List.of();
    /** The load balancer's health verdicts the last plan used: a change moves its backends. */
    private io.kubenetlab.lb.BackendHealth lastHealth = io.kubenetlab.lb.BackendHealth.NONE;
    /** The version of the zone this process last wrote (see {@link #awaitDnsZone}). */
    private String zoneVersion;

    public Reconciler(LabEngine engine) {
        this.engine = engine;
    }

    /** One pass with the pods' status as the runtime and the prober see it now. */
    public void sync() {
        synchronized (engine) {
            sync(engine.statuses());
        }
    }

    /**
     * What a pass did.
     *
     * @param kernelChanged      some machine's kernel state (a node's rules or neighbours, the gateway's
     *                           routes, the load balancer) had to change
     * @param servicesProgrammed Services or their endpoints changed, the machines had to change for it, and
     *                           every node now has them: what kube-proxy's network_programming_duration_seconds
     *                           counts (a pod placed or removed without an endpoint change is the CNI's work,
     *                           not kube-proxy's; a controller's first pass after deploy's handover writes
     *                           nothing and counts nothing)
     * @param programmedAt       {@link System#nanoTime} when every machine had its rules (the state and the
     *                           DNS zone are written after it), 0 when nothing was programmed
     */
    public record Pass(boolean kernelChanged, boolean servicesProgrammed, long programmedAt) {
        static final Pass NOTHING = new Pass(false, false, 0);
    }

    /** One pass with the given pod statuses. */
    public Pass sync(Map<String, PodStatus> statuses) {
        synchronized (engine) {
            LabState state = engine.state();
            List<EndpointsController.PodState> pods = new ArrayList<>();
            for (PodRecord p : state.pods) {
                PodStatus st = statuses.get(p.name());
                if (st == null) st = engine.status(p);
                pods.add(new EndpointsController.PodState(p, st.ready(), st.finished()));
            }
            Map<String, List<EndpointRecord>> eps = new TreeMap<>();
            for (ServiceRecord s : state.services) {
                List<EndpointRecord> base = s.selector() != null ? EndpointsController.forService(s, pods)
                        : state.manualEndpoints.getOrDefault(s.key(), List.of());
                eps.put(s.key(), EndpointSlices.merge(s.namespace(), s.name(), base, state.userSlices.values()));
            }
            boolean endpointsChanged = !eps.equals(state.endpoints) || !state.services.equals(lastServices);
            var health = engine.loadBalancerHealth();
            boolean healthChanged = !health.equals(lastHealth);
            List<String> placed = new ArrayList<>(state.pods.size());
            for (PodRecord p : state.pods) placed.add(p.uid() + " " + p.ip() + " " + p.node());
            boolean podsChanged = !placed.equals(lastPods);
            if (!endpointsChanged && !healthChanged && !podsChanged && engine.applier().hasApplied()) return Pass.NOTHING; // nothing the plan depends on changed
            state.endpoints = eps;
            lastServices = List.copyOf(state.services);
            lastHealth = health;
            lastPods = placed;
            // kube-proxy on every node, the gateway's routes to Service externalIPs, the load balancer:
            // what changed since the last pass, machines in parallel (each with its own xtables lock).
            boolean changed = engine.applier().sync(engine.plan());
            long programmedAt = System.nanoTime();
            if (endpointsChanged) {
                // After the rules: the state and the DNS zone follow, off the network-programming path.
                engine.save();
                writeZone(state, eps);
            }
            return new Pass(changed, endpointsChanged && changed, programmedAt);
        }
    }

    /** The cluster DNS's zone file: the DNS pod reloads it within a tenth of a second. */
    static Path zoneFile(LabStore store, String lab) {
        return store.labDir(lab).resolve("dns").resolve("zone.json");
    }

    /** The cluster DNS's zone of these Services and endpoints, as its file holds it. */
    public static byte[] zoneJson(List<ServiceRecord> services, Map<String, List<EndpointRecord>> eps) throws IOException {
        return ZONE_JSON.writeValueAsBytes(ClusterDnsRecords.zone(Defaults.CLUSTER_DOMAIN, services, eps));
    }

    private void writeZone(LabState state, Map<String, List<EndpointRecord>> eps) {
        Path file = zoneFile(engine.store(), state.name);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("zone.json.tmp");
            byte[] bytes = zoneJson(state.services, eps);
            zoneVersion = DnsServer.version(bytes);
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot write the DNS zone " + file + ": " + e.getMessage());
        }
    }

    /**
     * Waits (at most a second) until the cluster DNS serves the zone last written: its server polls the
     * file ten times a second, and a client started right after a Service was created must find it.
     */
    void awaitDnsZone() {
        if (zoneVersion == null) return;
        PodRecord dns = engine.state().pods.stream().filter(p -> DnsAddon.NAMESPACE.equals(p.namespace())).findFirst().orElse(null);
        if (dns == null) return;
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (engine.logs(dns.name(), null).contains("version " + zoneVersion)) return;
            Procs.sleep(10);
        }
    }
}
