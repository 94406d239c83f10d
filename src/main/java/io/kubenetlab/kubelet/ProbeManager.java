package io.kubenetlab.kubelet;

import io.kubenetlab.k8s.LifecycleHandler;
import io.kubenetlab.k8s.Probe;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.kubelet.EventSink;
import io.kubenetlab.kubelet.KubeletStatus;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodFacts.ContainerFacts;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.ProbeResultRecord;
import io.kubenetlab.model.ProbeView;
import io.kubenetlab.runtime.SandboxRuntime;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * kubelet's prober and its pod lifecycle event generator for one lab: runs every container's
 * probes on their schedule ({@link ProbeWorker}), kills a container whose liveness (or startup)
 * probe fails so its supervisor restarts it, and relists every pod's status once a second (and at
 * once after a probe result changes), telling listeners which pod's status changed. It emits the
 * probes' events (Unhealthy, Killing); container starts and back-offs are the controller's to report. One scheduler thread; checks run on node-namespace threads or an exec pool.
 */
public final class ProbeManager implements ProbeView, AutoCloseable {
    /** kubelet's PLEG relists containers every second: a process that dies is noticed within one. */
    static final long RELIST_MS = 1_000;
    /** kubelet's default terminationGracePeriodSeconds, for a kill after a failed probe. */
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    private final SandboxRuntime runtime;
    private final LabState state;
    private final ProbeChecker checker;
    private final EventSink events;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService notifier;
    private final ExecutorService killer;
    private final Map<String, ProbeWorker> workers = new ConcurrentHashMap<>();
    private final Map<String, PodRecord> pods = new ConcurrentHashMap<>();
    private final Map<String, Listed> listed = new ConcurrentHashMap<>();
    private final Set<String> pendingNotices = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public ProbeManager(SandboxRuntime runtime, LabState state, ProbeChecker checker, EventSink events) {
        this.runtime = runtime;
        this.state = state;
        this.checker = checker;
        this.events = events == null ? EventSink.NONE : events;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("kubenetlab-prober-" + state.name));
        this.notifier = Executors.newSingleThreadExecutor(daemon("kubenetlab-pod-events-" + state.name));
        this.killer = Executors.newCachedThreadPool(daemon("kubenetlab-kill-" + state.name));
        scheduler.scheduleWithFixedDelay(this::relistAll, RELIST_MS, RELIST_MS, TimeUnit.MILLISECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Called with a pod's name whenever its status changes (readiness, a restart, an exit, its sandbox gone). */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * Follows exactly these pods (the lab's current ones): new pods get probe workers, pods no
     * longer listed lose theirs. A pod record with the same uid replaces the one held.
     */
    public synchronized void sync(Collection<PodRecord> current) {
        if (closed) return;
        Set<String> uids = new HashSet<>();
        for (PodRecord pod : current) {
            uids.add(pod.uid());
            PodRecord before = pods.put(pod.uid(), pod);
            for (ContainerRecord c : pod.containers()) {
                for (ProbeKind kind : ProbeKind.values()) {
                    if (kind.of(c) == null) continue;
                    String key = key(pod, c, kind);
                    ProbeWorker w = workers.get(key);
                    if (w != null) {
                        w.pod(pod);
                    } else {
                        ProbeWorker fresh = new ProbeWorker(pod, c, kind);
                        ProbeResultRecord last = state.probeResults.get(key);
                        if (last != null) fresh.resume(last.run(), ProbeState.Result.valueOf(last.result()));
                        workers.put(key, fresh);
                        schedule(key, 0);
                    }
                }
            }
            // Only new and changed pods: a controller syncs after every change, and relisting 2,000 unchanged
            // pods each time kept a CPU busy (the once-a-second relist still sees every pod).
            if (!pod.equals(before)) scheduler.execute(() -> relist(pod.uid()));
        }
        pods.keySet().removeIf(uid -> !uids.contains(uid));
        workers.keySet().removeIf(k -> !uids.contains(k.substring(0, k.indexOf('/'))));
        listed.keySet().removeIf(uid -> !uids.contains(uid));
    }

    /**
     * The readiness and startup results published now, by worker key, for the next prober to begin from
     * ({@link LabState#probeResults}); results not known yet (a container never probed) are left out.
     */
    public Map<String, ProbeResultRecord> results() {
        Map<String, ProbeResultRecord> out = new java.util.TreeMap<>();
        workers.forEach((key, w) -> {
            if (w.kind() == ProbeKind.LIVENESS) return;
            int run = w.run();
            ProbeState.Result r = w.result(run);
            if (run >= 0 && r != ProbeState.Result.UNKNOWN) out.put(key, new ProbeResultRecord(run, r.name()));
        });
        return out;
    }

    /**
     * Runs a container's lifecycle hook as kubelet's hook runner does: exec inside the container, httpGet
     * from the pod's node (the probes' checker), sleep here; completes with its outcome.
     */
    public CompletableFuture<ProbeOutcome> runHook(PodRecord pod, ContainerRecord c, LifecycleHandler hook, int timeoutSeconds) {
        if (hook.sleepSeconds() != null) {
            long ms = Math.min(hook.sleepSeconds(), timeoutSeconds) * 1000L;
            return CompletableFuture.supplyAsync(() -> {
                io.kubenetlab.kernel.Procs.sleep(ms);
                return ProbeOutcome.ok();
            }, killer);
        }
        return checker.check(pod, c, hook.asProbe(timeoutSeconds));
    }

    /**
     * The pod's status as the last relist saw it (at most a second old, or newer when a probe result or
     * a kill changed it), or read now when this record of the pod was not relisted yet: what a loop that
     * looks at every pod several times a second reads, instead of each pod's files and processes
     * (kubelet's pod workers read PLEG's cache the same way).
     */
    public PodStatus recentStatus(PodRecord pod) {
        Listed l = listed.get(pod.uid());
        return l != null && (l.pod() == pod || l.pod().equals(pod)) ? l.status() : status(pod);
    }

    /** A relist's result and the record of the pod it was read for. */
    private record Listed(PodRecord pod, PodStatus status) {}

    /** The status of a pod with this manager's probe results. */
    public PodStatus status(PodRecord pod) {
        // Ports decide no readiness here (probes do, or running does): none are read.
        return KubeletStatus.derive(pod, runtime.podFacts(state, pod, c -> false), this, System.currentTimeMillis());
    }

    @Override
    public Boolean ready(PodRecord pod, ContainerRecord c, int run) {
        if (c.readinessProbe() == null) return null;
        ProbeWorker w = workers.get(key(pod, c, ProbeKind.READINESS));
        return w != null && w.result(run) == ProbeState.Result.SUCCESS;
    }

    @Override
    public boolean started(PodRecord pod, ContainerRecord c, int run) {
        if (c.startupProbe() == null) return true;
        ProbeWorker w = workers.get(key(pod, c, ProbeKind.STARTUP));
        return w != null && w.result(run) == ProbeState.Result.SUCCESS;
    }

    private static String key(PodRecord pod, ContainerRecord c, ProbeKind kind) {
        return pod.uid() + "/" + c.name() + "/" + kind;
    }

    private void schedule(String key, long delayMs) {
        if (closed) return;
        try {
            scheduler.schedule(() -> tick(key), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void tick(String key) {
        ProbeWorker w = workers.get(key);
        if (w == null || closed) return; // the pod is gone: the worker stops
        PodRecord pod = w.pod();
        ContainerRecord c = w.container();
        long now = System.currentTimeMillis();
        ContainerFacts f;
        try {
            f = runtime.containerFacts(state, pod, c.name());
        } catch (RuntimeException e) {
            schedule(key, w.periodMs());
            return;
        }
        ProbeWorker.Step step = w.tick(now, f, started(pod, c, f.run()));
        if (step.changed()) changed(pod);
        if (!step.probe()) {
            schedule(key, step.nextAtMs() - now);
            return;
        }
        int run = f.run();
        Probe probe = w.probe();
        checker.check(pod, c, probe)
                .orTimeout(probe.timeoutSeconds() * 1000L + 5_000, TimeUnit.MILLISECONDS)
                .whenComplete((o, err) -> {
                    ProbeOutcome out = err != null ? ProbeOutcome.failed(String.valueOf(err.getMessage())) : o;
                    try {
                        outcome(w, out, run);
                    } finally {
                        schedule(key, now + w.periodMs() - System.currentTimeMillis());
                    }
                });
    }

    private void outcome(ProbeWorker w, ProbeOutcome o, int run) {
        if (closed || !workers.containsKey(key(w.pod(), w.container(), w.kind()))) return;
        PodRecord pod = w.pod();
        ContainerRecord c = w.container();
        if (!o.success()) {
            events.emit(pod.namespace(), "Pod", pod.name(), "Warning", "Unhealthy", w.kind().word() + " probe failed: " + o.output());
        }
        ProbeWorker.Effect effect = w.outcome(o, run);
        if (effect.changed()) {
            changed(pod);
            if (w.kind() == ProbeKind.STARTUP && o.success()) {
                // Started: readiness and liveness may probe now rather than a period later.
                for (ProbeKind k : List.of(ProbeKind.READINESS, ProbeKind.LIVENESS)) {
                    if (k.of(c) != null) schedule(key(pod, c, k), 0);
                }
            }
        }
        // kubelet stops liveness and startup probes of a terminating pod (StopLivenessAndStartup): its containers are being stopped.
        if (effect.kill() && !pod.terminating()) {
            events.emit(pod.namespace(), "Pod", pod.name(), "Normal", "Killing", "Container " + c.name() + " failed "
                    + w.kind().word().toLowerCase() + " probe, will be restarted");
            Duration grace = w.probe().terminationGracePeriodSeconds() != null
                    ? Duration.ofSeconds(w.probe().terminationGracePeriodSeconds()) : DEFAULT_GRACE;
            killer.execute(() -> {
                try {
                    runtime.killContainer(state, pod, c.name(), grace);
                } catch (RuntimeException e) {
                    events.emit(pod.namespace(), "Pod", pod.name(), "Warning", "FailedKillPod", "error killing container "
                            + c.name() + ": " + e.getMessage());
                }
                changed(pod);
            });
        }
    }

    /** Relist one pod now (on the scheduler thread): listeners hear of the change without waiting for the next relist. */
    private void changed(PodRecord pod) {
        if (closed) return;
        try {
            scheduler.execute(() -> relist(pod.uid()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void relistAll() {
        for (String uid : pods.keySet()) relist(uid);
    }

    private void relist(String uid) {
        PodRecord pod = pods.get(uid);
        if (pod == null || closed) return;
        PodStatus now;
        try {
            now = status(pod);
        } catch (RuntimeException e) {
            return; // being deleted
        }
        Listed before = listed.put(uid, new Listed(pod, now));
        if (before != null && digest(before.status()).equals(digest(now))) return;
        if (before == null) return; // first sight: nothing changed yet
        if (pendingNotices.add(pod.name())) {
            notifier.execute(() -> {
                pendingNotices.remove(pod.name());
                for (Consumer<String> l : listeners) {
                    try {
                        l.accept(pod.name());
                    } catch (RuntimeException e) {
                        System.err.println("kubenetlab: pod change listener failed: " + e.getMessage());
                    }
                }
            });
        }
    }

    /** What listeners care about: readiness, phase, and each container's state, reason and restarts. */
    private static String digest(PodStatus s) {
        StringBuilder sb = new StringBuilder(s.phase()).append(s.ready());
        for (PodStatus.ContainerStatus c : s.containers()) {
            sb.append('|').append(c.name()).append(c.state()).append(c.reason()).append(c.ready()).append(c.restartCount());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        notifier.shutdownNow();
        killer.shutdownNow();
        checker.close();
    }
}
