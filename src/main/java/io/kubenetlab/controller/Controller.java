package io.kubenetlab.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ApiBackend;
import io.kubenetlab.api.ApiException;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.ResourceType;
import io.kubenetlab.api.Resources;
import io.kubenetlab.config.ConfigException;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.cluster.ClusterPlanner;
import io.kubenetlab.cluster.EndpointSlices;
import io.kubenetlab.cluster.EndpointsController;
import io.kubenetlab.cluster.KubernetesService;
import io.kubenetlab.cluster.ServiceAllocator;
import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.k8s.Deployment;
import io.kubenetlab.k8s.EndpointSliceManifest;
import io.kubenetlab.k8s.EndpointsManifest;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.k8s.PodManifest;
import io.kubenetlab.k8s.Service;
import io.kubenetlab.model.DeploymentRecord;
import io.kubenetlab.model.EndpointSliceRecord;
import io.kubenetlab.model.EventRecord;
import io.kubenetlab.lab.LabEngine;
import io.kubenetlab.lab.Reconciler;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.ObjectMetaFields;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.healthcheck.LoadBalancerProber;
import io.kubenetlab.healthcheck.ServiceHealthServers;
import io.kubenetlab.model.Topology;
import io.kubenetlab.proxy.ProxyInputs;
import io.kubenetlab.proxy.ServiceEndpoints;
import io.kubenetlab.proxy.ServiceHealth;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The lab's control plane while it runs: kube-apiserver's storage, the Deployment and endpoints
 * controllers, kubelet's status reporting and kube-proxy, in one process. Every write (an API call, a
 * pod that becomes ready or dies) ends in one {@link #sync}: endpoints, every node's rules, DNS, the
 * API objects and their watch events, the saved state. A loop looks at the pods five times a second; the prober wakes it at once when a pod changes.
 */
public final class Controller implements ApiBackend, AutoCloseable {
    private static final long TICK_MILLIS = 200;
    private static final int MAX_EVENTS = 1000;

    private final LabEngine engine;
    private final Reconciler reconciler;
    private final LabState state;
    private final ObjectCache cache;
    private final LatencyHistogram programming = new LatencyHistogram();
    private final Object wake = new Object();
    private volatile boolean stopped;
    private Map<String, PodStatus> statuses = Map.of();
    private Thread loop;
    /** kube-proxy's health check node ports on every node (null until {@link #startHealthChecks}). */
    private ServiceHealthServers healthServers;
    private LoadBalancerProber lbProber;
    /** The load balancer's health verdicts changed: the next tick re-plans its backends. */
    private volatile boolean lbHealthChanged;
    /** Deleted pods' preStop hooks and SIGTERM, off the lock (see {@link #finishTerminations}). */
    private final PodTerminator terminator;
    /** A terminating pod got SIGTERM or raised an event: the next tick looks at once. */
    private volatile boolean terminationProgress;

    public Controller(LabEngine engine) {
        this.engine = engine;
        this.reconciler = new Reconciler(engine);
        this.state = engine.state();
        this.cache = new ObjectCache(state.resourceVersion);
        this.terminator = new PodTerminator(state.name, new PodTerminator.Steps() {
            @Override
            public void preStop(PodRecord pod) {
                runPreStopHooks(pod);
            }

            @Override
            public void sigterm(PodRecord pod) {
                engine.runtime().terminatePod(state, pod);
            }
        }, () -> {
            terminationProgress = true;
            wakeUp();
        });
        synchronized (engine) {
            // A controller killed mid-sync (issue 16) may have left pods without sandboxes, or sandboxes without pods.
            for (String did : engine.resumeInterrupted()) System.err.println(Instant.now() + " controller of lab " + state.name + ": " + did);
            statuses = engine.statuses();
            if (state.events.isEmpty()) reportDeploy();
            ensureKubernetesService();
            sync(System.nanoTime(), true);
        }
    }

    /**
     * The API server's own reconciler: default/kubernetes and its Endpoints exist whatever happens (a lab
     * deployed before them gets them; one deleted is made again, as upstream's apiserver recreates it;
     * pkg/controlplane/controller/kubernetesservice). A Service already holding its ClusterIP keeps it: logged.
     */
    private void ensureKubernetesService() {
        boolean hasService = state.service(KubernetesService.NAMESPACE, KubernetesService.NAME).isPresent();
        String key = KubernetesService.NAMESPACE + "/" + KubernetesService.NAME;
        if (hasService && state.manualEndpoints.containsKey(key)) return;
        try {
            ClusterPlanner planner = ClusterPlanner.forState(state, ImageCatalog.ofHost(), engine.store().root(), java.time.Clock.systemUTC());
            for (KubeObject o : io.kubenetlab.lab.Blueprint.kubernetesService(state.topology)) {
                if (o instanceof Service && hasService) continue;
                ClusterPlanner.Workload w = planner.plan(List.of(o)).get(0);
                if (o instanceof EndpointsManifest) {
                    // Full precision: the uid follows it, and one made again within the second is still a new object.
                    state.objectsCreatedAt.put(LabState.manifestKey("Endpoints", KubernetesService.NAMESPACE, KubernetesService.NAME), Instant.now().toString());
                }
                apply(w);
            }
        } catch (ConfigException e) {
            System.err.println(Instant.now() + " controller: cannot make the kubernetes Service: " + e.getMessage());
        }
    }

    /** The first start after deploy: the events the deploy's work would have raised in a cluster. */
    private void reportDeploy() {
        for (DeploymentRecord d : state.deployments) {
            scalingEvent(d, "Scaled up replica set " + d.replicaSetName() + " to " + d.replicas());
        }
        for (PodRecord p : state.pods) {
            podEvent(p, "Normal", "Scheduled",
                    "Successfully assigned " + p.namespace() + "/" + p.name() + " to " + p.node(), "default-scheduler");
            PodStatus st = statuses.get(p.name());
            for (var c : p.containers()) {
                boolean started = st != null && st.containers().stream().anyMatch(x -> x.name().equals(c.name()) && x.startedAt() > 0);
                if (!started) continue;
                reportStarted(p, c.name());
            }
        }
    }

    public void start() {
        loop = new Thread(this::run, "kubenetlab-controller-" + state.name);
        loop.setDaemon(true);
        loop.start();
    }

    private void run() {
        while (!stopped) {
            try {
                tick();
            } catch (RuntimeException e) {
                System.err.println(Instant.now() + " controller: " + e);
                if ("1".equals(System.getenv("KUBENETLAB_DEBUG"))) e.printStackTrace();
            }
            synchronized (wake) {
                try {
                    wake.wait(TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Runs the loop now (a probe result changed): readiness reaches the rules without waiting for the tick. */
    public void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** One look at the pods: status changes, dead pods, Deployments short of or over their replicas. */
    void tick() {
        synchronized (engine) {
            long t0 = System.nanoTime();
            // The prober's relist (every second, and at once on a probe result or a kill) tells what changed.
            Map<String, PodStatus> now = engine.recentStatuses();
            boolean changed = !now.equals(statuses);
            if (changed) reportStarts(statuses, now);
            statuses = now;
            boolean progress = terminationProgress;
            terminationProgress = false;
            boolean lb = lbHealthChanged;
            lbHealthChanged = false;
            // What the statuses changed (a pod turned ready or unready) reaches the rules before the
            // controllers below start or remove pods: in a cluster kube-proxy does not wait for the
            // ReplicaSet controller, and a pod's start is no part of the network programming latency.
            if (changed || lb) programServices(t0);
            long acting = System.nanoTime();
            boolean acted = finishTerminations() | replaceDeadPods() | reconcileDeployments();
            if (changed || acted || lb || progress) sync(acting, acted);
            beginTerminations();
        }
    }

    /** Endpoints and every node's rules from the statuses as they are; a Service change counts from {@code since}. */
    private void programServices(long since) {
        var pass = reconciler.sync(statuses);
        if (pass.servicesProgrammed()) programming.record(pass.programmedAt() - since);
    }

    /**
     * Endpoints, rules, DNS, API objects, state: after every change. {@code since} is when the change
     * was seen; the time until every node has its rules is the network programming latency.
     */
    private void sync(long since, boolean refreshStatuses) {
        engine.followPods(); // the prober follows pods created and deleted by the controllers
        if (refreshStatuses) statuses = engine.statuses();
        programServices(since);
        syncHealthServers();
        for (var e : ObjectViews.all(state, statuses).entrySet()) cache.sync(e.getKey(), e.getValue());
        state.resourceVersion = cache.resourceVersion();
        engine.save();
    }

    // ------------------------------------------------------------------ health checks

    /**
     * Starts serving every node's health check node ports (kube-proxy's part) and, with a load balancer,
     * its health checks of them (the cloud's part). Not in the constructor: tests on a fake runtime
     * have no namespaces to open sockets in.
     */
    public void startHealthChecks() {
        synchronized (engine) {
            healthServers = new ServiceHealthServers(state.name);
            syncHealthServers();
        }
        if (state.topology.loadBalancer() != null) {
            lbProber = new LoadBalancerProber(engine.runtime().nodeNetns(state, Topology.LOAD_BALANCER));
            lbProber.start(this::loadBalancerTargets, health -> {
                engine.loadBalancerHealth(health);
                lbHealthChanged = true;
                wakeUp();
            });
        }
    }

    /** Each node serves the Services kube-proxy gives a health check node port, with its local ready endpoints. */
    private void syncHealthServers() {
        if (healthServers == null) return;
        List<ServiceEndpoints> inputs = ProxyInputs.of(state.services, state.endpoints);
        Map<String, Path> netns = new java.util.HashMap<>();
        Map<String, List<ServiceHealth>> wanted = new java.util.HashMap<>();
        for (Topology.NodeSpec n : state.topology.nodes()) {
            netns.put(n.name(), engine.runtime().nodeNetns(state, n.name()));
            wanted.put(n.name(), ServiceHealth.onNode(inputs, n.name()));
        }
        healthServers.sync(netns, wanted);
    }

    /**
     * What the balancer checks: every node's health check node port of each LoadBalancer it serves an ingress IP
     * for (its pool's or one written through services/status in its network).
     */
    private List<LoadBalancerProber.Target> loadBalancerTargets() {
        synchronized (engine) {
            List<LoadBalancerProber.Target> out = new ArrayList<>();
            Topology.LoadBalancerSpec lb = state.topology.loadBalancer();
            if (lb == null) return out;
            Topology.Network net = state.topology.networks().stream().filter(n -> n.name().equals(lb.network())).findFirst().orElse(null);
            if (net == null) return out;
            for (ServiceRecord s : io.kubenetlab.lb.ServedAddresses.inNetwork(state.services, net.cidr(), lb.address())) {
                if (!s.needsHealthCheck() || s.healthCheckNodePort() == 0 || s.loadBalancerIPs().isEmpty()) continue;
                for (Topology.NodeSpec n : state.topology.nodes()) {
                    out.add(new LoadBalancerProber.Target(s.key(), n.name(), n.address().toString(), s.healthCheckNodePort()));
                }
            }
            return out;
        }
    }

    // ------------------------------------------------------------------ controllers

    /** A Deployment's pod whose sandbox died is replaced, as a ReplicaSet replaces a failed pod. */
    private boolean replaceDeadPods() {
        List<PodRecord> dead = new ArrayList<>();
        for (PodRecord p : state.pods) {
            if (p.ownerName() == null || p.terminating() || p.sandbox() == null) continue;
            // Only a sandbox the prober's relist saw die (or a pod it has no status of) is read again: reading
            // every pod's /proc entry five times a second was most of a 2,000-pod lab's idle CPU.
            PodStatus seen = statuses.get(p.name());
            if ((seen == null || seen.sandboxDied()) && !Procs.alive(p.sandbox())) dead.add(p);
        }
        if (dead.isEmpty()) return false;
        engine.deletePodSandboxes(dead);
        state.pods.removeAll(dead);
        for (PodRecord p : dead) podEvent(p, "Warning", "SandboxChanged", "Pod sandbox died, it will be replaced", "kubelet");
        return true;
    }

    /**
     * The Deployment controller, without waiting: missing pods are created, extra ones (newest first)
     * removed, and pods of an older template go once the new ones are all ready.
     */
    private boolean reconcileDeployments() {
        boolean acted = false;
        for (int i = 0; i < state.deployments.size(); i++) {
            DeploymentRecord d = state.deployments.get(i);
            // Terminating pods are not the ReplicaSet's any more (upstream's FilterActivePods).
            List<PodRecord> mine = state.pods.stream().filter(p -> d.replicaSetName().equals(p.ownerName()) && !p.terminating()).toList();
            if (mine.size() > d.replicas()) {
                List<PodRecord> newestFirst = new ArrayList<>(mine);
                newestFirst.sort(Comparator.comparing(PodRecord::createdAt).thenComparing(PodRecord::name).reversed());
                List<PodRecord> extra = List.copyOf(newestFirst.subList(0, mine.size() - d.replicas()));
                deletePods(extra, null);
                scalingEvent(d, "Scaled down replica set " + d.replicaSetName() + " from " + mine.size() + " to " + d.replicas());
                acted = true;
            } else if (mine.size() < d.replicas()) {
                int missing = d.replicas() - mine.size();
                List<PodRecord> fresh = ClusterPlanner.forState(state, ImageCatalog.ofHost(), engine.store().root(), java.time.Clock.systemUTC()).replicas(d, missing);
                state.deployments.set(i, d.withCreated(d.created() + missing));
                startPods(fresh);
                scalingEvent(d, "Scaled up replica set " + d.replicaSetName() + " from " + mine.size() + " to " + d.replicas());
                acted = true;
            }
            List<PodRecord> old = state.pods.stream().filter(p -> ownedByOldTemplate(d, p) && !p.terminating()).toList();
            long ready = mine.stream().filter(p -> statuses.containsKey(p.name()) && statuses.get(p.name()).ready()).count();
            if (!old.isEmpty() && ready >= d.replicas()) {
                deletePods(old, null);
                old.stream().map(PodRecord::ownerName).distinct().forEach(rs -> scalingEvent(d, "Scaled down replica set " + rs + " from "
                        + old.stream().filter(p -> rs.equals(p.ownerName())).count() + " to 0"));
                acted = true;
            }
        }
        return acted;
    }

    private static boolean ownedByOldTemplate(DeploymentRecord d, PodRecord p) {
        return d.owns(p) && !p.ownerName().equals(d.replicaSetName());
    }

    private void startPods(List<PodRecord> pods) {
        for (PodRecord p : pods) {
            state.putPod(p);
            podEvent(p, "Normal", "Scheduled",
                    "Successfully assigned " + p.namespace() + "/" + p.name() + " to " + p.node(), "default-scheduler");
        }
        engine.createPodSandboxes(pods);
    }

    /**
     * A delete, as the apiserver and kubelet do it: a pod with a grace period becomes terminating
     * (deletionTimestamp set; not ready in its Services' endpoints, still serving) and its preStop hooks
     * and SIGTERM follow off the lock ({@link #beginTerminations}); later ticks remove it
     * ({@link #finishTerminations}). Grace 0 (a forced delete, or a pod that already ended) removes it at once.
     * {@code grace} null: each pod's own terminationGracePeriodSeconds.
     */
    private void deletePods(List<PodRecord> pods, Long grace) {
        long now = System.currentTimeMillis();
        List<PodRecord> atOnce = new ArrayList<>();
        for (PodRecord p : pods) {
            long g = GracefulDeletion.gracePeriod(p, grace, statuses.get(p.name()));
            if (g == 0) {
                atOnce.add(p);
                continue;
            }
            var next = GracefulDeletion.next(p.deletion(), now, g);
            if (next == p.deletion()) continue;
            state.putPod(p.withDeletion(next));
            if (p.deletion() == null) {
                for (var c : p.containers()) podEvent(p, "Normal", "Killing", "Stopping container " + c.name(), "kubelet");
            }
        }
        removePods(atOnce);
    }

    /** Terminating pods whose hooks and SIGTERM have not begun get them now (after the rules have the pod not ready). */
    private void beginTerminations() {
        for (PodRecord p : state.pods) if (p.terminating()) terminator.begin(p);
    }

    /** Terminating pods whose processes all exited, or whose grace period is over, go (what still runs gets SIGKILL). */
    private boolean finishTerminations() {
        long now = System.currentTimeMillis();
        List<PodRecord> done = new ArrayList<>();
        for (PodRecord p : state.pods) {
            if (!p.terminating()) continue;
            if (GracefulDeletion.done(p.deletion(), terminator.signalledAt(p), GracefulDeletion.allExited(statuses.get(p.name())), now)) {
                done.add(p);
            }
        }
        removePods(done);
        return !done.isEmpty();
    }

    /**
     * kubelet's preStop hooks, the containers' in parallel, each bounded by what is left of the grace
     * period; a failure is a FailedPreStopHook event and the container is stopped all the same.
     */
    private void runPreStopHooks(PodRecord pod) {
        List<java.util.concurrent.CompletableFuture<Void>> running = new ArrayList<>();
        long deadline = pod.deletion().deadlineMs();
        for (var c : pod.containers()) {
            if (c.preStop() == null) continue;
            int timeout = (int) Math.max(1, (deadline - System.currentTimeMillis() + 999) / 1000);
            running.add(engine.probes().runHook(pod, c, c.preStop(), timeout)
                    .orTimeout(Math.max(1, deadline - System.currentTimeMillis()), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .handle((o, err) -> {
                        if (err != null || !o.success()) {
                            String why = err != null ? "timed out or failed: " + err.getMessage() : o.output();
                            synchronized (engine) {
                                podEvent(pod, "Warning", "FailedPreStopHook", "PreStopHook failed: " + why, "kubelet");
                            }
                        }
                        return null;
                    }));
        }
        for (var f : running) {
            try {
                f.join();
            } catch (RuntimeException e) {
                // reported above
            }
        }
    }

    /**
     * Out of every Service's endpoints and every node's rules first (that is the network programming
     * latency of a delete), then the pods' processes are killed and their sandboxes removed.
     */
    private void removePods(List<PodRecord> pods) {
        if (pods.isEmpty()) return;
        long since = System.nanoTime();
        List<String> names = pods.stream().map(PodRecord::name).toList();
        // The state's current records (a terminating pod's carries its deletion).
        List<PodRecord> current = state.pods.stream().filter(p -> names.contains(p.name())).toList();
        state.pods.removeAll(current);
        programServices(since);
        engine.deletePodSandboxes(current);
        for (PodRecord p : current) {
            terminator.forget(p);
            state.manifests.remove(LabState.manifestKey("Pod", p.namespace(), p.name()));
            state.objectsCreatedAt.remove(LabState.manifestKey("Pod", p.namespace(), p.name()));
            if (!p.terminating()) {
                for (var c : p.containers()) podEvent(p, "Normal", "Killing", "Stopping container " + c.name(), "kubelet");
            }
        }
    }

    /** kubelet's events for containers seen running for the first time. */
    private void reportStarts(Map<String, PodStatus> before, Map<String, PodStatus> now) {
        for (PodRecord p : state.pods) {
            PodStatus was = before.get(p.name());
            PodStatus is = now.get(p.name());
            if (is == null) continue;
            for (PodStatus.ContainerStatus c : is.containers()) {
                PodStatus.ContainerStatus prev = was == null ? null : was.containers().stream().filter(x -> x.name().equals(c.name())).findFirst().orElse(null);
                boolean startedNow = c.state().equals("running") && (prev == null || !prev.state().equals("running") || prev.restartCount() != c.restartCount());
                if (startedNow && c.restartCount() == 0 && (prev == null || prev.restartCount() == 0)) {
                    reportStarted(p, c.name());
                } else if (prev != null && c.restartCount() > prev.restartCount()) {
                    podEvent(p, "Warning", "BackOff", "Back-off restarting failed container " + c.name()
                            + " in pod " + p.name() + "_" + p.namespace() + "(" + p.uid() + ")", "kubelet");
                }
            }
        }
    }

    /** kubelet's three events for a container's first start. */
    private void reportStarted(PodRecord p, String container) {
        String image = p.containers().stream().filter(x -> x.name().equals(container)).map(x -> x.image()).findFirst().orElse("");
        podEvent(p, "Normal", "Pulled", "Container image \"" + image + "\" already present on machine", "kubelet");
        podEvent(p, "Normal", "Created", "Created container " + container, "kubelet");
        podEvent(p, "Normal", "Started", "Started container " + container, "kubelet");
    }

    private void podEvent(PodRecord p, String type, String reason, String message, String source) {
        event("Pod", p.namespace(), p.name(), p.uid(), type, reason, message, source);
    }

    /** The Deployment controller's event for a ReplicaSet scaled up or down. */
    private void scalingEvent(DeploymentRecord d, String message) {
        event("Deployment", d.namespace(), d.name(), null, "Normal", "ScalingReplicaSet", message, "deployment-controller");
    }

    /** Records an event; the same one again raises its count, as the event recorder does. */
    public void event(String kind, String namespace, String name, String uid, String type, String reason, String message, String source) {
        synchronized (engine) {
            String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            for (int i = state.events.size() - 1; i >= 0; i--) {
                EventRecord e = state.events.get(i);
                if (e.kind().equals(kind) && e.namespace().equals(namespace) && e.objectName().equals(name)
                        && e.reason().equals(reason) && e.message().equals(message)) {
                    state.events.remove(i);
                    state.events.add(e.again(now));
                    return;
                }
            }
            if (uid == null && kind.equals("Deployment")) {
                // kubectl describe finds an object's events by its uid too.
                uid = state.deployments.stream().filter(d -> d.name().equals(name) && d.namespace().equals(namespace)).findFirst()
                        .map(d -> ObjectViews.deploymentUid(state, d)).orElse(null);
            }
            String eventName = name + "." + Long.toHexString(System.nanoTime() & 0xffffffffffffL);
            state.events.add(new EventRecord(eventName, namespace, kind, name, uid, type, reason, message, source, 1, now, now));
            while (state.events.size() > MAX_EVENTS) state.events.remove(0);
        }
    }

    // ------------------------------------------------------------------ API writes

    @Override
    public ObjectCache cache() {
        return cache;
    }

    @Override
    public ObjectNode create(ResourceType t, String namespace, ObjectNode body, boolean dryRun) {
        long t0 = System.nanoTime();
        synchronized (engine) {
            ObjectNode user = prepare(t, namespace, null, body);
            String name = user.path("metadata").path("name").asText();
            String ns = t.namespaced() ? user.path("metadata").path("namespace").asText() : null;
            if (cache.get(t, ObjectCache.key(ns, name)) != null) throw ApiException.alreadyExists(t, name);
            if (t == Resources.NAMESPACES) {
                ObjectNode kept = MetadataOnly.kept(t, name, null, user);
                if (dryRun) return user;
                state.namespaces.add(name);
                state.manifests.put(LabState.manifestKey(t.kind(), null, name), kept);
                state.objectsCreatedAt.put(LabState.manifestKey(t.kind(), null, name), now());
            } else {
                requireNamespace(ns);
                KubeObject o = parse(t, name, user);
                if (o instanceof PodManifest && state.pods.stream().anyMatch(p -> p.name().equals(name))) {
                    throw new ApiException(409, "AlreadyExists", "pods \"" + name + "\" already exists in another namespace (a lab's pod names are unique across namespaces)",
                            "", "pods", name, List.of());
                }
                if (o instanceof EndpointSliceManifest sl && sl.controllerManaged()) throw claimsController(t, name);
                ClusterPlanner.Workload w = plan(t, name, o);
                if (w.service() != null) ServiceWarnings.of(w.service(), state.topology).forEach(io.kubenetlab.api.Warnings::add);
                if (dryRun) return user;
                state.manifests.put(LabState.manifestKey(t.kind(), ns, name), user);
                if (o instanceof EndpointsManifest) state.objectsCreatedAt.put(LabState.manifestKey(t.kind(), ns, name), now());
                apply(w);
            }
            sync(t0, true);
            return cache.get(t, ObjectCache.key(ns, name));
        }
    }

    private ClusterPlanner.Workload plan(ResourceType t, String name, KubeObject o) {
        try {
            return ClusterPlanner.forState(state, ImageCatalog.ofHost(), engine.store().root(), java.time.Clock.systemUTC()).plan(List.of(o)).get(0);
        } catch (ConfigException e) {
            throw invalid(t, name, e);
        } catch (IllegalArgumentException | LabException e) {
            throw ApiException.invalid(t, name, "", e.getMessage());
        }
    }

    /** Makes a planned object real: pods start, a Service or Endpoints joins the rules at the next sync. */
    private void apply(ClusterPlanner.Workload w) {
        if (w.service() != null) {
            state.services.add(w.service());
        } else if (w.endpoints() != null) {
            state.manualEndpoints.put(w.endpoints().metadata().key(), EndpointsController.fromManifest(w.endpoints()));
        } else if (w.object() instanceof EndpointSliceManifest sl) {
            state.userSlices.put(sl.metadata().key(), EndpointSlices.fromManifest(sl, Instant.now().toString()));
        } else {
            if (w.deployment() != null) {
                state.deployments.add(w.deployment());
                scalingEvent(w.deployment(), "Scaled up replica set " + w.deployment().replicaSetName() + " to " + w.deployment().replicas());
            }
            startPods(w.pods());
        }
    }

    @Override
    public ObjectNode update(ResourceType t, String namespace, String name, ObjectNode body, boolean dryRun) {
        long t0 = System.nanoTime();
        synchronized (engine) {
            String ns = t.namespaced() ? namespace : null;
            ObjectNode current = cache.get(t, ObjectCache.key(ns, name));
            if (current == null) throw ApiException.notFound(t, name);
            checkResourceVersion(t, name, current, body);
            ObjectNode user = prepare(t, namespace, name, body);
            if (t == Resources.NAMESPACES || t == Resources.NODES) {
                ObjectNode kept = MetadataOnly.kept(t, name, current, user);
                if (dryRun) return MetadataOnly.preview(current, kept);
                state.manifests.put(LabState.manifestKey(t.kind(), null, name), kept);
                sync(t0, true);
                return cache.get(t, ObjectCache.key(null, name));
            }
            if (t == Resources.SERVICES) ServiceUpdateDefaults.dropTypeDependentFields(current, user);
            if (t == Resources.ENDPOINTSLICES && !state.userSlices.containsKey(ns + "/" + name)) throw derived(t, name, current);
            KubeObject o = parse(t, name, user);
            String key = LabState.manifestKey(t.kind(), ns, name);
            if (o instanceof PodManifest pod) updatePod(t, name, pod, user, dryRun);
            else if (o instanceof Deployment d) updateDeployment(t, name, d, dryRun);
            else if (o instanceof Service s) updateService(t, name, s, dryRun);
            else if (o instanceof EndpointsManifest e && !dryRun) state.manualEndpoints.put(e.metadata().key(), EndpointsController.fromManifest(e));
            else if (o instanceof EndpointSliceManifest sl) updateSlice(t, name, sl, dryRun);
            if (dryRun) return current;
            state.manifests.put(key, user);
            sync(t0, true);
            return cache.get(t, ObjectCache.key(ns, name));
        }
    }

    /**
     * services/status, as upstream's service status strategy: the status is replaced, spec and metadata
     * stay as they were. Its VIP ingress IPs become what kube-proxy captures on every node and, inside its
     * network, what the load balancer serves. Other kinds' status is the lab's own (kubelet, controllers).
     */
    @Override
    public ObjectNode updateStatus(ResourceType t, String namespace, String name, ObjectNode body, boolean dryRun) {
        if (t != Resources.SERVICES) {
            throw ApiException.methodNotAllowed(t.qualified() + "/status is written by kubenetlab's controller (the lab's kubelet and controllers"
                    + " own it): only services/status takes writes");
        }
        long t0 = System.nanoTime();
        synchronized (engine) {
            ObjectNode current = cache.get(t, ObjectCache.key(namespace, name));
            ServiceRecord old = state.service(namespace, name).orElse(null);
            if (current == null || old == null) throw ApiException.notFound(t, name);
            checkResourceVersion(t, name, current, body);
            ServiceStatus st = ServiceStatus.parse(name, body.get("status"));
            if (dryRun) {
                ObjectNode preview = current.deepCopy();
                preview.set("status", st.status());
                return preview;
            }
            state.serviceStatuses.put(old.key(), st.status());
            state.services.set(state.services.indexOf(old), old.withLoadBalancerIPs(st.vips()));
            sync(t0, true);
            return cache.get(t, ObjectCache.key(namespace, name));
        }
    }

    /** An update naming a resourceVersion other than the current one is a conflict, as on the API server. */
    private static void checkResourceVersion(ResourceType t, String name, ObjectNode current, ObjectNode body) {
        String given = body.path("metadata").path("resourceVersion").asText("");
        String now = current.path("metadata").path("resourceVersion").asText("");
        if (!given.isEmpty() && !now.isEmpty() && !given.equals(now)) {
            throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + t.qualified() + " \"" + name
                    + "\": the object has been modified; please apply your changes to the latest version and try again", t.group(), t.resource(), name, List.of());
        }
    }

    /** A pod's labels and annotations may change; its spec may not (Kubernetes allows little more). */
    private void updatePod(ResourceType t, String name, PodManifest pod, ObjectNode user, boolean dryRun) {
        PodRecord rec = state.pods.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> ApiException.notFound(t, name));
        JsonNode oldSpec = ObjectViews.pod(state, rec, statuses.getOrDefault(name, emptyStatus())).get("spec");
        if (!Objects.equals(oldSpec, ObjectViews.servedPodSpec(user.get("spec"), rec))) {
            throw ApiException.invalid(t, name, "spec", "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
                    + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
                    + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
        }
        if (!dryRun) state.putPod(rec.withLabels(pod.metadata().labels()));
    }

    /** Replicas, labels and annotations apply at once; a new pod template rolls out new pods. */
    private void updateDeployment(ResourceType t, String name, Deployment d, boolean dryRun) {
        DeploymentRecord old = state.deployments.stream().filter(x -> x.name().equals(name) && x.namespace().equals(d.metadata().namespace()))
                .findFirst().orElseThrow(() -> ApiException.notFound(t, name));
        if (!old.selector().equals(d.selector())) {
            throw ApiException.invalid(t, name, "spec.selector", "Invalid value: " + ObjectViews.JSON.valueToTree(d.selector())
                    + ": field is immutable");
        }
        DeploymentRecord next = plan(t, name, d).deployment();
        if (dryRun) return;
        int idx = state.deployments.indexOf(old);
        if (next.replicaSetName().equals(old.replicaSetName())) {
            state.deployments.set(idx, old.withReplicas(d.replicas()));
        } else {
            state.deployments.set(idx, new DeploymentRecord(old.name(), old.namespace(), d.replicas(), old.selector(), next.replicaSetName(),
                    old.createdAt(), next.templateMetadata(), next.template(), next.source(), 0));
        }
    }

    private void updateService(ResourceType t, String name, Service s, boolean dryRun) {
        ServiceRecord old = state.service(s.metadata().namespace(), name).orElseThrow(() -> ApiException.notFound(t, name));
        if (old.clusterIP() != null && s.clusterIP() != null && !s.clusterIP().isEmpty() && !old.clusterIP().equals(s.clusterIP())) {
            throw ApiException.invalid(t, name, "spec.clusterIPs[0]", "Invalid value: []string{\"" + s.clusterIP() + "\"}: may not change once set");
        }
        if (old.type().equals("LoadBalancer") && s.type().equals("LoadBalancer")
                && !Objects.equals(old.options().loadBalancerClass(), s.options().loadBalancerClass())) {
            throw ApiException.invalid(t, name, "spec.loadBalancerClass", "Invalid value: " + (s.options().loadBalancerClass() == null ? "null"
                    : "\"" + s.options().loadBalancerClass() + "\"") + ": may not change once set");
        }
        s = keepHealthCheckNodePort(t, name, old, s);
        int idx = state.services.indexOf(old);
        state.services.remove(idx);
        try {
            ClusterPlanner.Workload w = plan(t, name, s);
            ServiceWarnings.of(keepStatus(old, w.service(), true), state.topology).forEach(io.kubenetlab.api.Warnings::add);
            state.services.add(idx, dryRun ? old : keepStatus(old, w.service().withCreatedAt(old.createdAt()), false));
        } catch (RuntimeException e) {
            state.services.add(idx, old);
            throw e;
        }
    }

    /**
     * Status is not changed through the main resource: a LoadBalancer that stays one keeps its ingress (the
     * lab's EXTERNAL-IP or what a controller wrote), as do other types with a written status. One leaving
     * LoadBalancer loses it, as the cloud's service controller clears it; one becoming LoadBalancer gets the lab's.
     */
    private ServiceRecord keepStatus(ServiceRecord old, ServiceRecord next, boolean preview) {
        boolean wasLb = old.type().equals("LoadBalancer");
        boolean isLb = next.type().equals("LoadBalancer");
        boolean written = state.serviceStatuses.containsKey(old.key());
        // A new spec.loadBalancerIP is a new request to the lab's balancer (its address, unless a controller wrote the status).
        boolean newRequest = !written && !Objects.equals(old.options().loadBalancerIP(), next.options().loadBalancerIP());
        if (wasLb != isLb || (wasLb && newRequest)) {
            if (!preview) state.serviceStatuses.remove(old.key());
            return next;
        }
        return wasLb || written ? next.withLoadBalancerIPs(old.loadBalancerIPs()) : next;
    }

    /**
     * Upstream's patchAllocatedValues and validateServiceExternalTrafficFieldsUpdate: a Service that
     * needed a health check node port and still does keeps it (an update that leaves it out gets the old
     * one), and may not change it. One that stops needing it releases it with the old record.
     */
    private static Service keepHealthCheckNodePort(ResourceType t, String name, ServiceRecord old, Service s) {
        if (!old.needsHealthCheck() || !s.needsHealthCheck()) return s;
        if (s.healthCheckNodePort() == 0) return s.withHealthCheckNodePort(old.healthCheckNodePort());
        if (s.healthCheckNodePort() != old.healthCheckNodePort()) {
            throw new ApiException(422, "Invalid", "Service \"" + name + "\" is invalid: spec.healthCheckNodePort: Forbidden: field is immutable",
                    t.group(), t.kind(), name, List.of(new ApiException.Cause("FieldValueForbidden", "Forbidden: field is immutable", "spec.healthCheckNodePort")));
        }
        return s;
    }

    /** A user's slice may change but not its address type, nor become the controller's (as upstream's validation and our 403 say). */
    private void updateSlice(ResourceType t, String name, EndpointSliceManifest sl, boolean dryRun) {
        EndpointSliceRecord old = state.userSlices.get(sl.metadata().key());
        if (sl.controllerManaged()) throw claimsController(t, name);
        if (!old.addressType().equals(sl.addressType())) {
            throw ApiException.invalid(t, name, "addressType", "Invalid value: \"" + sl.addressType() + "\": field is immutable");
        }
        if (!dryRun) state.userSlices.put(sl.metadata().key(), EndpointSlices.fromManifest(sl, old.createdAt()));
    }

    /** The lab's EndpointSlice controllers own the slices they derive: writes are refused, worded as an apiserver's 403s. */
    private static ApiException derived(ResourceType t, String name, ObjectNode current) {
        String by = current.path("metadata").path("labels").path(EndpointSliceManifest.MANAGED_BY_LABEL).asText();
        String instead = by.equals(EndpointSliceManifest.CONTROLLER) ? "the Service or its pods" : "the Service's Endpoints";
        return forbidden(t, name, "managed by " + by + ", one of the lab's controllers: change " + instead + " instead");
    }

    /** A user's slice may not claim the controller's label: the controller would own (and, in Kubernetes, rewrite) it. */
    private static ApiException claimsController(ResourceType t, String name) {
        return forbidden(t, name, "label " + EndpointSliceManifest.MANAGED_BY_LABEL + "=" + EndpointSliceManifest.CONTROLLER
                + " is reserved for the lab's EndpointSlice controller: use another manager name");
    }

    private static ApiException forbidden(ResourceType t, String name, String reason) {
        return new ApiException(403, "Forbidden", t.qualified() + " \"" + name + "\" is forbidden: " + reason, t.group(), t.resource(), name, List.of());
    }

    @Override
    public ObjectNode delete(ResourceType t, String namespace, String name, io.kubenetlab.api.DeleteOptions options, boolean dryRun) {
        long t0 = System.nanoTime();
        synchronized (engine) {
            String ns = t.namespaced() ? namespace : null;
            ObjectNode current = cache.get(t, ObjectCache.key(ns, name));
            if (current == null) throw ApiException.notFound(t, name);
            if (dryRun) return current;
            switch (t.resource()) {
                case "pods" -> deletePods(state.pods.stream().filter(p -> p.name().equals(name) && p.namespace().equals(ns)).toList(),
                        options.gracePeriodSeconds());
                case "deployments" -> {
                    DeploymentRecord d = state.deployments.stream().filter(x -> x.name().equals(name) && x.namespace().equals(ns)).findFirst().orElseThrow();
                    state.deployments.remove(d);
                    // The garbage collector deletes the pods with their own grace periods.
                    deletePods(state.pods.stream().filter(d::owns).toList(), null);
                }
                case "services" -> {
                    state.services.removeIf(s -> s.name().equals(name) && s.namespace().equals(ns));
                    state.serviceStatuses.remove(ns + "/" + name);
                    // The endpoints controller deletes the Endpoints of a deleted Service, even one written by hand.
                    state.manualEndpoints.remove(ns + "/" + name);
                    state.manifests.remove(LabState.manifestKey("Endpoints", ns, name));
                    state.objectsCreatedAt.remove(LabState.manifestKey("Endpoints", ns, name));
                }
                case "endpoints" -> state.manualEndpoints.remove(ns + "/" + name);
                case "endpointslices" -> {
                    if (state.userSlices.remove(ns + "/" + name) == null) throw derived(t, name, current);
                }
                case "namespaces" -> deleteNamespace(t, name);
                default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
            }
            boolean terminating = t.resource().equals("pods") && state.pods.stream().anyMatch(p -> p.name().equals(name) && p.namespace().equals(ns));
            if (!terminating) {
                state.manifests.remove(LabState.manifestKey(t.kind(), ns, name));
                state.objectsCreatedAt.remove(LabState.manifestKey(t.kind(), ns, name));
            }
            if (KubernetesService.is(ns, name)) ensureKubernetesService();
            // A deleted Service or a terminating pod leaves the rules before the pods' statuses are read again.
            programServices(t0);
            sync(t0, true);
            beginTerminations();
            // A pod being deleted gracefully is answered as it is now: with its deletionTimestamp.
            if (terminating) {
                ObjectNode now = cache.get(t, ObjectCache.key(ns, name));
                if (now != null) return now;
            }
            return current;
        }
    }

    private void deleteNamespace(ResourceType t, String name) {
        if (ObjectViews.BUILT_IN_NAMESPACES.contains(name)) {
            throw new ApiException(403, "Forbidden", "namespaces \"" + name + "\" is forbidden: this namespace may not be deleted", "", "namespaces", name, List.of());
        }
        state.deployments.removeIf(d -> d.namespace().equals(name));
        deletePods(state.pods.stream().filter(p -> p.namespace().equals(name)).toList(), null);
        state.services.removeIf(s -> s.namespace().equals(name));
        state.manualEndpoints.keySet().removeIf(k -> k.startsWith(name + "/"));
        state.userSlices.keySet().removeIf(k -> k.startsWith(name + "/"));
        state.serviceStatuses.keySet().removeIf(k -> k.startsWith(name + "/"));
        state.manifests.keySet().removeIf(k -> k.contains("/" + name + "/") && k.indexOf('/') == k.indexOf("/" + name + "/"));
        state.objectsCreatedAt.keySet().removeIf(k -> k.contains("/" + name + "/") && k.indexOf('/') == k.indexOf("/" + name + "/"));
        state.namespaces.remove(name);
    }

    @Override
    public Path logFile(String namespace, String pod, String container) {
        synchronized (engine) {
            if (state.pods.stream().noneMatch(p -> p.name().equals(pod) && p.namespace().equals(namespace))) {
                throw ApiException.notFound(Resources.PODS, pod);
            }
            try {
                return engine.logFile(pod, container);
            } catch (LabException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
    }

    @Override
    public io.kubenetlab.kernel.RunningCommand exec(String namespace, String pod, String container, List<String> argv,
                                                      boolean tty, int cols, int rows) {
        List<String> host;
        java.nio.file.Path terminalDir = null;
        synchronized (engine) {
            PodRecord p = streamTarget(namespace, pod, container, true);
            // On a terminal: a session of its own inside the pod's PID namespace with the terminal as its
            // controlling one (setsid -c), so a shell's job control sees process groups it can name (from
            // the host's session its own group is invisible: dash's exit failed restoring it); and
            // TERM=xterm, as containerd gives a terminal's exec. The pod's own environment stays.
            List<String> command = tty ? java.util.stream.Stream.concat(java.util.stream.Stream.of("setsid", "-c", "env", "TERM=xterm"), argv.stream()).toList() : argv;
            try {
                host = engine.runtime().execCommand(state, p.name(), container, command);
                if (tty) terminalDir = engine.runtime().terminalDir(state, p.name(), container);
            } catch (LabException e) {
                // kubelet's answer for a container that does not run (pkg/kubelet/server: GetExec's error)
                String c = container != null && !container.isEmpty() ? container : p.containers().get(0).name();
                throw new ApiException(500, "InternalError", "container not found (\"" + c + "\"): " + e.getMessage(), null, null, null, List.of());
            }
        }
        return engine.kernel().start(host, Map.of("PATH", ImageCatalog.SYSTEM_PATH), tty, cols, rows, terminalDir);
    }

    @Override
    public java.net.Socket connect(String namespace, String pod, int port) throws java.io.IOException {
        java.nio.file.Path netns;
        synchronized (engine) {
            netns = java.nio.file.Path.of("/run/netns", streamTarget(namespace, pod, null, false).netns());
        }
        return io.kubenetlab.kubelet.NetnsExecutors.once(netns, () -> {
            java.net.Socket s = new java.net.Socket();
            try {
                s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 5000);
                return s;
            } catch (java.io.IOException e) {
                s.close();
                throw e;
            }
        });
    }

    @Override
    public void checkStream(String namespace, String pod, String container, boolean forContainer) {
        synchronized (engine) {
            streamTarget(namespace, pod, container, forContainer);
        }
    }

    /**
     * The pod an exec or port-forward goes to, checked as the API server's pod strategy checks it
     * (pkg/registry/core/pod/strategy.go, streamLocation): there, assigned a node, the container valid.
     */
    private PodRecord streamTarget(String namespace, String pod, String container, boolean forContainer) {
        PodRecord p = state.pods.stream().filter(x -> x.name().equals(pod) && x.namespace().equals(namespace)).findFirst()
                .orElseThrow(() -> ApiException.notFound(Resources.PODS, pod));
        if (container != null && !container.isEmpty() && p.containers().stream().noneMatch(c -> c.name().equals(container))) {
            throw ApiException.badRequest("container " + container + " is not valid for pod " + pod);
        }
        if ((container == null || container.isEmpty()) && forContainer && p.containers().size() > 1) {
            throw ApiException.badRequest("a container name must be specified for pod " + pod + ", choose one of: "
                    + p.containers().stream().map(c -> c.name()).toList());
        }
        if (p.sandbox() == null) throw ApiException.badRequest("pod " + pod + " does not have a host assigned");
        return p;
    }

    @Override
    public String metrics(int window) {
        return programming.prometheus("kubenetlab_network_programming_duration_seconds",
                "From a change seen by the controller (an API write, a pod's readiness) to the rules on every node.",
                window > 0 ? window : Integer.MAX_VALUE);
    }

    // ------------------------------------------------------------------ helpers

    /** The object's user part with apiVersion, kind, name and namespace checked against the request. */
    private ObjectNode prepare(ResourceType t, String namespace, String name, ObjectNode body) {
        ObjectNode user = ObjectMetaFields.userPart(body);
        if (!user.has("apiVersion")) user.put("apiVersion", t.apiVersion());
        if (!user.has("kind")) user.put("kind", t.kind());
        if (!user.path("kind").asText().equals(t.kind())) {
            throw ApiException.badRequest("the kind in the data (" + user.path("kind").asText() + ") does not match the expected kind ("
                    + t.kind() + ")");
        }
        if (!user.path("apiVersion").asText().equals(t.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + user.path("apiVersion").asText() + ") does not match the expected API version ("
                    + t.apiVersion() + ")");
        }
        ObjectNode meta = ObjectViews.meta(user);
        if (!meta.hasNonNull("name") && meta.hasNonNull("generateName") && name == null) {
            meta.put("name", io.kubenetlab.cluster.PodNamer.generate(meta.path("generateName").asText(), Long.toString(System.nanoTime())));
        }
        meta.remove("generateName");
        if (!meta.hasNonNull("name") || meta.path("name").asText().isEmpty()) {
            throw ApiException.invalid(t, "", "metadata.name", "Required value: name or generateName is required");
        }
        if (name != null && !meta.path("name").asText().equals(name)) {
            throw ApiException.badRequest("the name of the object (" + meta.path("name").asText() + ") does not match the name on the URL (" + name + ")");
        }
        if (t.namespaced()) {
            String bodyNs = meta.path("namespace").asText("");
            if (!bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta.put("namespace", namespace);
        } else {
            meta.remove("namespace");
        }
        return user;
    }

    private void requireNamespace(String ns) {
        if (ns != null && !ObjectViews.namespaces(state).contains(ns)) throw ApiException.notFound(Resources.NAMESPACES, ns);
    }

    /** The manifest parser checks an API body exactly as it checks a file: same fields, same words. */
    private static KubeObject parse(ResourceType t, String name, ObjectNode user) {
        YamlNode doc;
        try {
            doc = YamlNode.loadAll(t.kind() + " \"" + name + "\"", new StringReader(ObjectViews.JSON.writeValueAsString(user))).get(0);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        try {
            return ManifestLoader.parse(doc);
        } catch (ConfigException e) {
            throw invalid(t, name, e);
        }
    }

    /** Unknown fields are a strict-decoding 400, like the apiserver's; everything else a 422 naming the field. */
    static ApiException invalid(ResourceType t, String name, ConfigException e) {
        String field = e.field() == null ? "" : e.field();
        if (e.reason().startsWith(ServiceAllocator.INTERNAL_ERROR)) return ApiException.internal(e.reason());
        if (e.reason().startsWith("unknown field")) {
            String unknown = e.reason().replaceFirst("^unknown field \"([^\"]*)\".*$", "$1");
            String path = field.endsWith("." + unknown) || field.equals(unknown) ? field : (field.isEmpty() ? unknown : field + "." + unknown);
            return ApiException.badRequest(t.kind() + " in version \"" + t.version() + "\" cannot be handled as a " + t.kind()
                    + ": strict decoding error: unknown field \"" + path + "\"");
        }
        return ApiException.invalid(t, name, field, e.reason());
    }

    private static String now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static PodStatus emptyStatus() {
        return new PodStatus("Pending", false, List.of(), null);
    }

    @Override
    public void close() {
        stopped = true;
        terminator.close();
        if (lbProber != null) lbProber.close();
        synchronized (engine) {
            if (healthServers != null) healthServers.close();
        }
        wakeUp();
        if (loop != null) {
            try {
                loop.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
