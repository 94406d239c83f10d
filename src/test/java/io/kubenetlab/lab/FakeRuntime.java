package io.kubenetlab.lab;

import io.kubenetlab.kernel.Procs;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.MachineRecord;
import io.kubenetlab.model.PodFacts;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ProcessRef;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.runtime.PlanApplier;
import io.kubenetlab.runtime.SandboxRuntime;
import io.kubenetlab.runtime.Sandboxes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A runtime without processes or namespaces: machines and pods are records whose "sandbox" is this
 * JVM (so {@link Procs#alive} holds), wired through the real {@link PlanApplier}, so the kernel it
 * was given sees exactly the wiring a real runtime would ask for. Every container runs its first
 * run and listens on its ports (ready) until a test says otherwise: {@link #setReady}, {@link #exit},
 * {@link #killSandbox}.
 */
public final class FakeRuntime implements SandboxRuntime {
    /** This JVM: a process that is certainly alive while the test runs. */
    static final ProcessRef ALIVE = Procs.ref(ProcessHandle.current().pid());

    private final Path stateRoot;
    private final long startedAtMs = System.currentTimeMillis();
    private final List<String> created = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private final List<String> terminated = new ArrayList<>();
    private final Set<String> notReady = new HashSet<>();
    private final Map<String, Integer> exitCodes = new HashMap<>();
    private boolean destroyed;

    public FakeRuntime(Path stateRoot) {
        this.stateRoot = stateRoot;
    }

    // ------------------------------------------------------------------ what tests steer and read

    /**
     * Not ready: its containers exited and wait out a back-off (kubelet's readiness without a probe is
     * "running"), and their ports do not listen.
     */
    public synchronized void setReady(String pod, boolean ready) {
        if (ready) notReady.remove(pod);
        else notReady.add(pod);
    }

    /** The pod's containers end their first run with this code (its restartPolicy does not restart them). */
    public synchronized void exit(String pod, int code) {
        exitCodes.put(pod, code);
    }

    /**
     * The pod's sandbox process dies: its record now names a process that is gone (this JVM's pid
     * with another start time, as a recycled pid would look).
     */
    public void killSandbox(LabState state, String pod) {
        PodRecord p = state.pod(pod).orElseThrow();
        state.putPod(p.withSandbox(new ProcessRef(ALIVE.pid(), ALIVE.startTicks() + 1)));
    }

    /** Names of the pods created so far, in order. */
    public synchronized List<String> created() {
        return List.copyOf(created);
    }

    /** Names of the pods deleted so far, in order. */
    public synchronized List<String> deleted() {
        return List.copyOf(deleted);
    }

    public synchronized boolean destroyed() {
        return destroyed;
    }

    // ------------------------------------------------------------------ SandboxRuntime

    @Override
    public void createMachines(LabState state, LabPlan plan, PlanApplier applier, Runnable save) {
        List<MachineRecord> machines = Sandboxes.machines(plan);
        for (MachineRecord m : machines) {
            state.putMachine(m);
            state.netns.add(m.netns());
        }
        save.run();
        applier.createMachines(plan);
        for (MachineRecord m : machines) state.putMachine(m.withSandbox(ALIVE));
        save.run();
    }

    @Override
    public void waitForHosts(LabState state) {}

    @Override
    public void createPods(LabState state, List<PodRecord> pods, LabPlan plan, PlanApplier applier, Runnable save) {
        if (pods.isEmpty()) return;
        for (PodRecord p : pods) state.netns.add(p.netns());
        save.run();
        applier.plugPods(plan, pods);
        for (PodRecord p : pods) state.putPod(p.withSandbox(ALIVE));
        synchronized (this) {
            pods.forEach(p -> created.add(p.name()));
        }
        save.run();
    }

    @Override
    public synchronized PodFacts podFacts(LabState state, PodRecord pod, Predicate<ContainerRecord> portsFor) {
        boolean started = pod.sandbox() != null;
        List<PodFacts.ContainerFacts> cs = new ArrayList<>();
        for (ContainerRecord c : pod.containers()) {
            PodFacts.ContainerFacts f = containerFacts(state, pod, c.name());
            cs.add(new PodFacts.ContainerFacts(c.name(), f.run(), f.startedAtMs(), f.lastExit(),
                    f.running() && portsFor.test(c) && !notReady.contains(pod.name())));
        }
        return new PodFacts(started, started && Procs.alive(pod.sandbox()), cs);
    }

    @Override
    public synchronized PodFacts.ContainerFacts containerFacts(LabState state, PodRecord pod, String container) {
        if (pod.sandbox() == null) return new PodFacts.ContainerFacts(container, 0, 0, null, false);
        Integer code = exitCodes.get(pod.name());
        PodFacts.Exit exit = code == null ? null : new PodFacts.Exit(1, code, System.currentTimeMillis() / 1000, -1);
        if (exit == null && notReady.contains(pod.name())) exit = new PodFacts.Exit(1, 1, System.currentTimeMillis() / 1000, 10);
        return new PodFacts.ContainerFacts(container, 1, startedAtMs, exit, false);
    }

    @Override
    public Path nodeNetns(LabState state, String node) {
        return Path.of("/run/netns", io.kubenetlab.model.LabNames.netnsName(state.name, node));
    }

    @Override
    public boolean killContainer(LabState state, PodRecord pod, String container, Duration grace) {
        return false;
    }

    /** Records the pod; its containers run on until a test makes them {@link #exit}, as a process that handles SIGTERM would. */
    @Override
    public synchronized void terminatePod(LabState state, PodRecord pod) {
        terminated.add(pod.name());
    }

    /** Names of the pods whose containers got SIGTERM, in order. */
    public synchronized List<String> terminated() {
        return List.copyOf(terminated);
    }

    @Override
    public boolean pauseDaemon(LabState state, String machine, String daemon, boolean pause) {
        return false;
    }

    @Override
    public void deletePods(LabState state, List<PodRecord> pods, PlanApplier applier) {
        synchronized (this) {
            pods.forEach(p -> deleted.add(p.name()));
        }
        Sandboxes.release(state, stateRoot, pods, applier);
    }

    @Override
    public List<String> execCommand(LabState state, String target, String container, List<String> argv) {
        List<String> out = new ArrayList<>(List.of("fake-exec", target));
        out.addAll(argv);
        return out;
    }

    @Override
    public Path logFile(LabState state, PodRecord pod, String container) {
        return stateRoot.resolve(state.name).resolve("fake-logs").resolve(pod.name() + "." + container + ".log");
    }

    @Override
    public String logs(LabState state, String target, String container) {
        return "";
    }

    @Override
    public void cancel() {}

    @Override
    public synchronized void destroy(LabState state) {
        destroyed = true;
    }
}
