package io.kubenetlab.lab;

import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kubelet.EventSink;
import io.kubenetlab.kubelet.KubeletChecker;
import io.kubenetlab.kubelet.KubeletStatus;
import io.kubenetlab.kubelet.ProbeManager;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.ProbeView;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.planner.LabPlanner;
import io.kubenetlab.runtime.PlanApplier;
import io.kubenetlab.runtime.SandboxRuntime;
import io.kubenetlab.store.LabStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One lab's engine in this process: its state, the runtime that holds its sandboxes, the applier that
 * remembers what this process gave the kernel, and kubelet's prober. Deploy, the reconciler and the
 * controller all work through it; it is the lock they share.
 */
public final class LabEngine {
    private final LabStore store;
    private final Kernel kernel;
    private final SandboxRuntime runtime;
    /** What this process applied to the lab's machines: deploy's, then the controller's own. */
    private final PlanApplier applier;
    private LabState state;
    /** True in the process that changes the state (the deploying command until it hands over, the controller). */
    private boolean ownsState = true;
    /** kubelet's prober for this lab's pods; started on first use, stopped by {@link #stopBackground()}. */
    private volatile ProbeManager probes;
    private volatile EventSink events = EventSink.NONE;

    LabEngine(LabStore store, Kernel kernel, LabState state, SandboxRuntime runtime) {
        this.store = store;
        this.kernel = kernel;
        this.runtime = runtime;
        this.state = state;
        this.applier = new PlanApplier(kernel, store.labDir(state.name));
    }

    /** Where deploy leaves its memory of what it applied for the controller it starts ({@link PlanApplier#handOver}). */
    private Path handOverFile() {
        return store.labDir(state.name).resolve("applied.json");
    }

    /** Deploy's last act before its controller serves: what it applied, for the controller's first sync. */
    public void handOver() {
        applier.handOver(handOverFile());
    }

    /**
     * The controller's first act: after deploy's handover ({@code use}), deploy's memory becomes its own;
     * otherwise (a controller started again) a handover left by a deploy whose controller never served is
     * stale and dropped. False: no memory, the first sync reads the kernel.
     */
    public boolean takeOver(boolean use) {
        if (use) return applier.takeOver(handOverFile());
        try {
            java.nio.file.Files.deleteIfExists(handOverFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return false;
    }

    /** The engine of a lab from its saved state (a command after deploy, a restarted controller). */
    public static LabEngine open(String name, LabStore store) {
        Kernel kernel = Kernel.linux();
        LabState s = store.load(name);
        return new LabEngine(store, kernel, s, Runtimes.create(s.runtime, kernel, store.root()));
    }

    public String name() {
        return state.name;
    }

    public LabStore store() {
        return store;
    }

    public Kernel kernel() {
        return kernel;
    }

    public SandboxRuntime runtime() {
        return runtime;
    }

    PlanApplier applier() {
        return applier;
    }

    /**
     * The lab's state. Once the controller runs it owns the state, so an engine opened elsewhere (a
     * test, the CLI) as a reader reads it again from disk.
     */
    public synchronized LabState state() {
        if (!ownsState && store.exists(state.name)) {
            // Read again only when the controller saved since (it renames a new file in: another inode,
            // another mtime): a 2,000-pod lab's state is megabytes of JSON, and a reader like verify asks
            // for it once per command it runs.
            // File times are as coarse as the kernel's tick, so two saves within one could look alike:
            // a state saved in the last 100 ms is read again anyway.
            StateStamp stamp = stateStamp();
            if (stamp != null && stamp.equals(loadedStamp) && stamp.settled()) return state;
            try {
                state = store.load(state.name);
                loadedStamp = stamp;
            } catch (LabException e) {
                // destroyed meanwhile: keep the last one
            }
        }
        return state;
    }

    /** The state file's identity and version, or null when it cannot be read. */
    private StateStamp stateStamp() {
        try {
            var a = java.nio.file.Files.readAttributes(store.labDir(state.name).resolve(LabStore.STATE_FILE),
                    java.nio.file.attribute.BasicFileAttributes.class);
            return new StateStamp(String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis(), a.size());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private record StateStamp(String inode, long modifiedMillis, long size) {
        boolean settled() {
            return System.currentTimeMillis() - modifiedMillis > 100;
        }
    }

    /** The stamp of the state file {@link #state} last read (null: read it). */
    private StateStamp loadedStamp;

    /** From now on the controller owns the state: read it from disk. */
    void becomeReader() {
        ownsState = false;
    }

    public synchronized void save() {
        keepProbeResults();
        store.save(state);
    }

    /** The lab's plan now: its topology, pods, Services and their endpoints as last computed, the balancer's health checks. */
    public synchronized LabPlan plan() {
        LabState s = state();
        return LabPlanner.of(s.topology).plan(new LabPlanner.Inputs(s.name, s.topology, s.pods, s.services, s.endpoints, lbHealth));
    }

    /** What the load balancer's health checks concluded (set by whoever probes: the controller). */
    private volatile io.kubenetlab.lb.BackendHealth lbHealth = io.kubenetlab.lb.BackendHealth.NONE;

    public io.kubenetlab.lb.BackendHealth loadBalancerHealth() {
        return lbHealth;
    }

    public void loadBalancerHealth(io.kubenetlab.lb.BackendHealth health) {
        lbHealth = health;
    }

    // ---------------------------------------------------------------- sandboxes

    /** The router, nodes, outside hosts and load balancer, wired as the plan says. */
    synchronized void createMachines() {
        runtime.createMachines(state, plan(), applier, this::save);
    }

    /** Pods the controllers made: their sandboxes, wired as the plan says (they are in the state already). */
    public synchronized void createPodSandboxes(List<PodRecord> pods) {
        // Wiring only: a pod's links do not depend on Services, and rendering every node's rules here would
        // add to the network programming latency of a controller replacing a pod.
        LabState s = state();
        LabPlan wiring = LabPlanner.of(s.topology).wiring(new LabPlanner.Inputs(s.name, s.topology, s.pods, s.services, s.endpoints));
        runtime.createPods(state, pods, wiring, applier, this::save);
    }

    /** Pods the controllers removed: processes, namespaces, files; their nodes forget them. */
    public synchronized void deletePodSandboxes(List<PodRecord> pods) {
        runtime.deletePods(state, pods, applier);
    }

    /**
     * What a process killed mid-change left half done, made whole (a controller starting): pods saved
     * before their sandboxes were made get them (the same name and IP, as kubelet makes a missing
     * sandbox again; a half-made one goes first), and sandboxes whose pod left the state are removed.
     * Returns what it did, for the log; nothing when there was nothing to do.
     */
    public synchronized List<String> resumeInterrupted() {
        List<String> did = new java.util.ArrayList<>();
        List<PodRecord> unstarted = state.pods.stream().filter(p -> p.sandbox() == null && !p.terminating()).toList();
        if (!unstarted.isEmpty()) {
            runtime.deletePods(state, unstarted, applier);
            createPodSandboxes(unstarted);
            did.add("made the sandboxes of " + unstarted.stream().map(PodRecord::name).toList() + " again");
        }
        List<String> orphans = runtime.reapOrphans(state);
        if (!orphans.isEmpty()) did.add("removed sandboxes no pod owns: " + orphans);
        if (!did.isEmpty()) save();
        return did;
    }

    void waitForHosts() {
        runtime.waitForHosts(state);
    }

    /** How many routes the lab's routing daemons should install (BGP's pod routes), on how many machines. */
    int[] learntRoutes() {
        int routes = 0;
        int machines = 0;
        for (MachinePlan m : plan().infrastructure()) {
            long n = m.routes().stream().filter(r -> !r.ours()).count();
            routes += (int) n;
            if (n > 0) machines++;
        }
        return new int[] {routes, machines};
    }

    /**
     * Waits until every route the routing daemons should install is in the kernel of its machine (a
     * BGP mesh has converged), reading each machine with one {@code ip} process a round.
     */
    void awaitLearntRoutes(java.time.Duration timeout) {
        List<MachinePlan> waiting = new java.util.ArrayList<>(plan().infrastructure().stream()
                .filter(m -> m.routes().stream().anyMatch(r -> !r.ours())).toList());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            waiting.removeIf(m -> {
                List<io.kubenetlab.plan.RoutePlan> have = io.kubenetlab.runtime.LiveState.tables(kernel, m.netns()).routes();
                return m.routes().stream().filter(r -> !r.ours())
                        .allMatch(r -> have.stream().anyMatch(h -> io.kubenetlab.plan.PlanDiff.matches(r, h)));
            });
            if (waiting.isEmpty()) return;
            if (System.nanoTime() > deadline) {
                String logs = "docker".equals(state.runtime) ? "docker logs knl-" + state.name + "-<machine>_<daemon>"
                        : store.labDir(state.name).resolve("machines") + "/<machine>/<daemon>/log";
                throw new LabException("the network plugin's routes did not reach " + String.join(", ", waiting.stream().map(MachinePlan::name).toList())
                        + " within " + timeout.toSeconds() + " s; its daemons' logs: " + logs);
            }
            io.kubenetlab.kernel.Procs.sleep(20);
        }
    }

    // ---------------------------------------------------------------- status and probes

    /** The pod's status as kubelet reports it: with probe results once the prober runs. */
    public PodStatus status(PodRecord pod) {
        ProbeManager m = probes;
        // Without a prober: kubelet's rule (running; listening ports stand in for readiness probes), no probe results.
        return m != null ? m.status(pod) : KubeletStatus.derive(pod, runtime.podFacts(state, pod), ProbeView.NONE, System.currentTimeMillis());
    }

    /**
     * Every declared TCP port of the pod's containers listens (UDP and SCTP are not read): what deploy
     * and the Java API's waits add to readiness so a client started next finds its server serving.
     */
    public boolean tcpPortsListen(PodRecord pod) {
        return runtime.podFacts(state, pod).containers().stream().allMatch(io.kubenetlab.model.PodFacts.ContainerFacts::portsListening);
    }

    /** Every pod's status as the runtime (and the prober, when it runs) sees it now, by pod name. */
    public synchronized Map<String, PodStatus> statuses() {
        return statusesBy(this::status);
    }

    /**
     * Every pod's status as the prober last relisted it (see {@link ProbeManager#recentStatus}); read
     * now, as {@link #statuses}, without a prober. For a loop that runs several times a second: at
     * 2,000 pods, reading every pod's files and processes five times a second took a CPU.
     */
    public synchronized Map<String, PodStatus> recentStatuses() {
        ProbeManager m = probes;
        return m == null ? statuses() : statusesBy(m::recentStatus);
    }

    private Map<String, PodStatus> statusesBy(java.util.function.Function<PodRecord, PodStatus> status) {
        Map<String, PodStatus> out = new HashMap<>();
        for (PodRecord p : state.pods) out.put(p.name(), status.apply(p));
        return out;
    }

    /**
     * The lab's prober (kubelet's probe workers and its once-a-second relist), started on first use
     * and following the lab's pods.
     */
    public synchronized ProbeManager probes() {
        if (probes == null) {
            EventSink relay = (ns, kind, name, type, reason, message) -> events.emit(ns, kind, name, type, reason, message);
            probes = new ProbeManager(runtime, state, new KubeletChecker(runtime, state, kernel), relay);
            probes.sync(List.copyOf(state.pods));
        }
        return probes;
    }

    /** Tells the prober which pods exist now (after pods were created or deleted); nothing if it does not run. */
    public void followPods() {
        if (probes != null) probes.sync(List.copyOf(state.pods));
    }

    /** Where kubelet-style events (Unhealthy, Killing, BackOff, Created, Started) go; none by default. */
    public void events(EventSink sink) {
        this.events = sink == null ? EventSink.NONE : sink;
    }

    /**
     * Calls {@code listener} with a pod's name whenever its status changes: readiness (probe or
     * ports), a container exit or restart, its sandbox gone. Runs on the prober's event thread.
     */
    public void onPodChange(java.util.function.Consumer<String> listener) {
        probes().onChange(listener);
    }

    /** The prober's current results into the state: the next prober (the controller's, a restarted one) begins from them. */
    private void keepProbeResults() {
        if (probes != null) state.probeResults = probes.results();
    }

    /** Stops the prober's threads (the lab keeps running). Safe to call twice. */
    public synchronized void stopBackground() {
        keepProbeResults();
        if (probes != null) probes.close();
        probes = null;
    }

    // ---------------------------------------------------------------- exec and logs

    /** Runs argv in a pod, node, host or the router, attached to this terminal. */
    int exec(String target, String container, List<String> argv) {
        return kernel.interactive(runtime.execCommand(state(), target, container, argv), Map.of("PATH", ImageCatalog.SYSTEM_PATH));
    }

    /** Runs argv in a pod, node, host or the router and captures its output. */
    Kernel.Result execCapture(String target, List<String> argv) {
        return kernel.run(runtime.execCommand(state(), target, null, argv), null, false);
    }

    public Path logFile(String pod, String container) {
        LabState s = state();
        if (s.pod(pod).isEmpty() && s.machine(pod).isPresent()) {
            // An outside host's command logs like a pod's single container.
            return store.labDir(s.name).resolve("machines").resolve(pod).resolve("main").resolve("log");
        }
        PodRecord p = pod(pod);
        return runtime.logFile(s, p, container(p, container));
    }

    /** What a pod's container (or an outside host's command) printed so far. */
    public String logs(String pod, String container) {
        LabState s = state();
        if (s.pod(pod).isEmpty() && s.machine(pod).isPresent()) return runtime.logs(s, pod, null);
        return runtime.logs(s, pod, container(pod(pod), container));
    }

    PodRecord pod(String name) {
        return state().pod(name).orElseThrow(() -> new LabException("pods \"" + name + "\" not found in lab " + state.name));
    }

    private static String container(PodRecord p, String container) {
        String c = container != null ? container : p.containers().get(0).name();
        if (p.containers().stream().noneMatch(x -> x.name().equals(c))) {
            throw new LabException("container " + c + " is not valid for pod " + p.name());
        }
        return c;
    }

    // ---------------------------------------------------------------- destroy

    /** Stops starting processes: a rollback is about to destroy the lab. */
    void cancel() {
        runtime.cancel();
    }

    /** Removes everything the lab made: processes, namespaces (with their links), state files. */
    void destroy() {
        stopBackground();
        // The controller first: it would start pods again. Then the state as it last saved it.
        io.kubenetlab.client.ControllerProcess.stop(store, state.name);
        if (store.exists(state.name)) {
            try {
                state = store.load(state.name);
            } catch (LabException e) {
                // never saved: the one in memory is all there is
            }
        }
        try {
            runtime.destroy(state);
            store.delete(state.name);
        } finally {
            runtime.close();
        }
    }
}
