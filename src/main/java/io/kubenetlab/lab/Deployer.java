package io.kubenetlab.lab;

import io.kubenetlab.client.ControllerProcess;
import io.kubenetlab.cni.CniPlugin;
import io.kubenetlab.cni.CniPlugins;
import io.kubenetlab.planner.LabPlanner;
import io.kubenetlab.cluster.ClusterPlanner.Workload;
import io.kubenetlab.cluster.EndpointSlices;
import io.kubenetlab.cluster.EndpointsController;
import io.kubenetlab.k8s.EndpointSliceManifest;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.ObjectMetaFields;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.output.KubeView;
import io.kubenetlab.runtime.SandboxRuntime;
import io.kubenetlab.store.LabStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Deploy as an ordered list of named steps (kind's create actions): the blueprint is validated
 * before the kernel is touched, then each step runs and reports; a failure, Ctrl-C or SIGTERM rolls
 * back the steps that ran, last first, so nothing of the lab is left.
 */
final class Deployer {
    private final Blueprint blueprint;
    private final Lab.Options options;
    private final LabStore store;
    private final LabEngine engine;
    private final Reconciler reconciler;
    private final LabState state;
    private final List<DeployStep> done = new ArrayList<>();
    /** Set when a signal rolls the deploy back: the waits give up at once. */
    private volatile boolean rollingBack;

    private Deployer(Blueprint blueprint, Lab.Options options, LabStore store, LabEngine engine) {
        this.blueprint = blueprint;
        this.options = options;
        this.store = store;
        this.engine = engine;
        this.reconciler = new Reconciler(engine);
        this.state = engine.state();
    }

    static Lab deploy(Topology file, Lab.Options options, LabStore store) {
        // Everything is validated before the kernel is touched.
        if (io.kubenetlab.runtime.netns.NetnsRuntime.hiddenFromSandboxes(store.root().toString())) {
            // The sandboxes' own /tmp and /dev/shm would hide the state directory they read and write.
            throw new LabException("the state directory " + store.root() + " (KUBENETLAB_STATE_DIR) lies under "
                    + io.kubenetlab.runtime.netns.NetnsRuntime.PRIVATE_DIRS
                    + ", which every sandbox mounts its own of: put it elsewhere, e.g. under /run (a tmpfs on Debian)");
        }
        Blueprint bp = Blueprint.of(file, options.name(), options.runtime(), options.cni(), options.proxyMode(), store);
        CniPlugin cni = CniPlugins.of(bp.topology().cni());
        var proxy = io.kubenetlab.proxy.ProxyBackends.of(bp.topology().proxyMode());
        java.util.Map<String, String> tools = new java.util.TreeMap<>(cni.hostTools());
        tools.putAll(proxy.hostTools());
        HostTools.check(tools, "the " + cni.name() + " network plugin and kube-proxy's " + proxy.mode() + " mode");
        Kernel kernel = Kernel.linux();
        SandboxRuntime runtime = Runtimes.create(bp.topology().runtime(), kernel, store.root());
        runtime.check(bp.topology(), bp.pods(), LabPlanner.of(bp.topology()).wiring(bp.healthy()));

        java.nio.file.Path dir = store.claim(bp.name());
        // First, before anything exists: a JVM killed from here on leaves a lab the next run can reap.
        if (options.session() != null) io.kubenetlab.store.LabSession.claim(dir, options.session());
        SandboxClasspath.stage(io.kubenetlab.kernel.SelfJar.classpath(), dir);
        LabState state = new LabState();
        state.name = bp.name();
        state.runtime = bp.topology().runtime();
        state.createdAt = Instant.now().toString();
        state.topology = bp.topology();
        for (ManifestLoader.Parsed pm : bp.manifests()) {
            var m = pm.object().metadata();
            state.manifests.put(LabState.manifestKey(pm.object().kind(), m.namespace(), m.name()), ObjectMetaFields.userPart(pm.json()));
        }
        LabEngine engine = new LabEngine(store, kernel, state, runtime);
        engine.save();
        Deployer d = new Deployer(bp, options, store, engine);
        d.run(d.steps());
        engine.becomeReader();
        return new Lab(engine);
    }

    /** The steps, in order: machines, then each workload (Services programmed before the pods that need them), the controller. */
    private List<DeployStep> steps() {
        Topology t = blueprint.topology();
        List<DeployStep> steps = new ArrayList<>();
        // The first step's rollback removes everything recorded in the state, sandboxes and files.
        steps.add(new DeployStep("Create router, " + t.nodes().size() + " node(s), " + t.hosts().size() + " host(s)",
                () -> {
                    // Pods mount the service account's token and the API's CA: both exist before the first pod.
                    new io.kubenetlab.client.ControllerFiles(store, blueprint.name())
                            .prepareServiceAccount(io.kubenetlab.cluster.KubernetesService.certificateNames(t));
                    // The controller's JVM starts now and waits for the last step: its start-up overlaps the build.
                    ControllerProcess.prestart(store, blueprint.name(), io.kubenetlab.kernel.Procs.ref(ProcessHandle.current().pid()));
                    engine.createMachines();
                }, destroyLab));
        // A network plugin whose routes a daemon learns (BGP): pods start once every node routes every pod CIDR.
        int[] learnt = engine.learntRoutes();
        if (learnt[0] > 0) {
            steps.add(DeployStep.of("Wait for the network plugin's routes (" + t.cni() + ": " + learnt[0] + " routes on " + learnt[1] + " machines)",
                    () -> engine.awaitLearntRoutes(java.time.Duration.ofSeconds(30))));
        }
        boolean hostsReady = false;
        boolean servicesPending = false;
        for (Workload w : blueprint.workloads()) {
            // Outside hosts (a database) start with the machines; the cluster add-ons come up
            // meanwhile, and the lab's own workloads wait for the hosts' ports.
            if (!hostsReady && !"kube-system".equals(w.object().metadata().namespace())) {
                hostsReady = true;
                List<String> ports = new ArrayList<>();
                t.hosts().forEach(h -> h.ports().forEach(port -> ports.add(h.name() + ":" + port)));
                if (!ports.isEmpty()) {
                    steps.add(DeployStep.of("Wait for outside hosts to listen (" + String.join(", ", ports) + ")", engine::waitForHosts));
                }
            }
            if (!w.hasPods()) {
                String name = (w.service() != null ? "Create " : "Set ") + w.describe() + (w.service() != null ? serviceSummary(w.service()) : "");
                steps.add(DeployStep.of(name, () -> {
                    if (w.service() != null) state.services.add(w.service());
                    else if (w.endpoints() != null) state.manualEndpoints.put(w.endpoints().metadata().key(), EndpointsController.fromManifest(w.endpoints()));
                    else if (w.object() instanceof EndpointSliceManifest sl) state.userSlices.put(sl.metadata().key(), EndpointSlices.fromManifest(sl, Instant.now().toString()));
                }));
                // Services in a row are programmed together, before the next pods need them.
                servicesPending = true;
                continue;
            }
            if (servicesPending) {
                servicesPending = false;
                steps.add(DeployStep.of(PROGRAM, () -> {
                    reconciler.sync();
                    reconciler.awaitDnsZone();
                }));
            }
            steps.add(DeployStep.of("Create " + w.describe() + " (" + w.pods().size() + " pod" + (w.pods().size() == 1 ? "" : "s") + ")", () -> {
                if (w.deployment() != null) state.deployments.add(w.deployment());
                for (PodRecord p : w.pods()) state.putPod(p);
                engine.createPodSandboxes(w.pods());
                engine.probes().sync(List.copyOf(state.pods));
            }));
            steps.add(DeployStep.of("Wait for " + w.describe() + (w.deployment() != null ? " to be ready" : " to be ready or complete"), () -> {
                waitReady(w, options.readyTimeout());
                reconciler.sync();
            }));
        }
        if (servicesPending) {
            steps.add(DeployStep.of(PROGRAM, () -> {
                // The controller runs the lab's prober from now on: one prober per lab (two would both kill).
                engine.stopBackground();
                reconciler.sync();
            }));
        }
        steps.add(new DeployStep("Start the lab's controller (Kubernetes API)", () -> {
            engine.stopBackground();
            engine.save(); // with deploy's probe results: the controller's prober begins from them, not from "not ready"
            engine.handOver();
            ControllerProcess.start(store, blueprint.name());
        }, () -> ControllerProcess.stop(store, blueprint.name())));
        return steps;
    }

    /**
     * A hook for the kill-at-every-step integration test only ({@code DeployKilledIT}): with
     * {@code KUBENETLAB_TEST_STOP_AT_STEP=N} set, deploy prints {@code kubenetlab: test hook: stopped
     * before step N of M: NAME} and blocks there (ten minutes at most), so the test's SIGKILL lands
     * exactly between steps N-1 and N. Unset (as always outside that test), it costs one getenv.
     */
    static final String STOP_AT_STEP = "KUBENETLAB_TEST_STOP_AT_STEP";

    private static int stopAtStep() {
        String v = System.getenv(STOP_AT_STEP);
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void stopForTest(int n, int of, String name) {
        System.out.printf("kubenetlab: test hook: stopped before step %d of %d: %s%n", n, of, name);
        System.out.flush();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) Procs.sleep(100);
    }

    private static final String PROGRAM = "Program Services (endpoints, rules on every node, DNS)";

    /**
     * Runs the steps in order, reporting each. Ctrl-C or a kill during deploy still rolls back what
     * was made: the deploying thread keeps writing pod files until it notices the cancel, so the
     * rollback waits for it (a few seconds at most), or it would delete the lab's directory under its feet.
     */
    private void run(List<DeployStep> steps) {
        Progress progress = options.progress();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread rollbackOnExit = new Thread(() -> {
            rollingBack = true;
            engine.cancel();
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rollBack();
        }, "kubenetlab-rollback-" + blueprint.name());
        java.lang.Runtime.getRuntime().addShutdownHook(rollbackOnExit);
        DeployStep current = null;
        int stopAt = stopAtStep();
        try {
            for (int i = 0; i < steps.size(); i++) {
                DeployStep step = steps.get(i);
                if (i + 1 == stopAt) stopForTest(i + 1, steps.size(), step.name());
                current = step;
                progress.start(step.name());
                long t0 = System.nanoTime();
                step.run().run();
                synchronized (done) {
                    done.add(step);
                }
                progress.done(step.name(), (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (RuntimeException e) {
            if (current != null) {
                synchronized (done) {
                    if (!done.contains(current)) done.add(current); // a half-done step rolls back too
                }
            }
            progress.failed(current == null ? "Validate" : current.name(), e.getMessage() != null ? e.getMessage() : e.toString());
            long t0 = System.nanoTime();
            engine.cancel();
            rollBack();
            progress.done("Roll back: removed everything this deploy created", (System.nanoTime() - t0) / 1_000_000);
            throw e;
        } finally {
            stopped.countDown();
            try {
                java.lang.Runtime.getRuntime().removeShutdownHook(rollbackOnExit);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook is running
            }
        }
    }

    /** The steps that ran roll back, last first; a lab stopped before its first step finished still goes whole. */
    private void rollBack() {
        List<DeployStep> undo;
        synchronized (done) {
            undo = new ArrayList<>(done);
            done.clear();
        }
        boolean destroyed = false;
        for (int i = undo.size() - 1; i >= 0; i--) {
            DeployStep step = undo.get(i);
            try {
                step.rollback().run();
            } catch (RuntimeException e) {
                System.err.println("kubenetlab: rollback of " + blueprint.name() + " (" + step.name() + ") incomplete: "
                        + e.getMessage() + "; run: kubenetlab destroy --name " + blueprint.name());
            }
            destroyed |= step.rollback() == destroyLab;
        }
        if (!destroyed) destroyLab.run();
    }

    /** The first step's rollback: everything recorded in the lab's state (controller, processes, namespaces, files). */
    private final Runnable destroyLab = this::destroy;

    /** Removes everything recorded in the lab's state: the controller, processes, namespaces, files. */
    private void destroy() {
        try {
            engine.destroy();
        } catch (RuntimeException e) {
            System.err.println("kubenetlab: rollback of " + blueprint.name() + " incomplete: " + e.getMessage()
                    + "; run: kubenetlab destroy --name " + blueprint.name());
        }
    }

    private static String serviceSummary(ServiceRecord s) {
        if (s.clusterIP() == null) return " (ExternalName " + s.externalName() + ")";
        return " (" + s.type() + (s.headless() ? ", headless" : " " + s.clusterIP()) + ")";
    }

    /** Waits until a Deployment's pods are ready, or a bare pod is ready or has run to completion. */
    private void waitReady(Workload w, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean bare = w.deployment() == null;
        while (true) {
            if (rollingBack) throw new LabException("deploy stopped: rolling back");
            List<String> waiting = new ArrayList<>();
            for (PodRecord p : w.pods()) {
                PodRecord live = state.pod(p.name()).orElse(p);
                PodStatus st = engine.status(live);
                // A bare pod only has to have run: ready, finished, or restarting per its restartPolicy.
                boolean ran = st.containers().stream().anyMatch(c -> c.exitCode() != null || c.restartCount() > 0);
                // Ready is kubelet's; deploy also waits for the declared TCP ports, so the next workload
                // finds the servers serving (an ordering convenience, not the pod's condition).
                boolean serving = st.ready() && engine.tcpPortsListen(live);
                boolean ok = serving || (bare && (st.finished() || ran));
                if (!ok) waiting.add(p.name() + " (" + KubeView.statusColumn(st) + describeWaiting(st) + ")");
                // A server that exits (and would only crash-loop) fails the deploy at once, with its log.
                // The first restart is immediate (kubelet's back-off starts at the second): a restart
                // count tells of an exit as well as an exit code does.
                PodStatus.ContainerStatus crashed = st.containers().stream()
                        .filter(c -> c.exitCode() != null || c.lastState() != null).findFirst().orElse(null);
                if (!bare && crashed != null) {
                    int code = crashed.exitCode() != null ? crashed.exitCode() : crashed.lastState().exitCode();
                    String why = crashed.exitCode() != null ? crashed.reason() : crashed.lastState().reason();
                    throw new LabException("pod " + p.name() + " container " + crashed.name() + " exited with code "
                            + code + " (" + why + "); its log:\n" + lastLog(live));
                }
            }
            if (waiting.isEmpty()) return;
            if (System.nanoTime() > deadline) {
                PodRecord first = state.pod(w.pods().get(0).name()).orElseThrow();
                throw new LabException(w.describe() + " not ready after " + timeout.toSeconds() + " s: " + String.join(", ", waiting)
                        + "; log of " + first.name() + ":\n" + lastLog(first));
            }
            Procs.sleep(10);
        }
    }

    private static String describeWaiting(PodStatus st) {
        for (PodStatus.ContainerStatus c : st.containers()) {
            if (c.state().equals("running") && !c.ready()) return ", container " + c.name() + " running, not ready yet";
        }
        return st.ready() ? ", ready, its TCP ports not listening yet" : "";
    }

    private String lastLog(PodRecord p) {
        String log = engine.logs(p.name(), p.containers().get(0).name());
        if (log.isBlank()) return "(no output)";
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}
