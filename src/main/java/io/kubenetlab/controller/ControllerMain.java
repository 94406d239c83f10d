package io.kubenetlab.controller;

import io.kubenetlab.client.ControllerFiles;
import io.kubenetlab.cluster.KubernetesService;
import io.kubenetlab.kubelet.NetnsExecutors;
import io.kubenetlab.api.ApiServer;
import io.kubenetlab.lab.LabEngine;
import io.kubenetlab.model.LabException;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.kernel.Procs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The body of {@code kubenetlab controller --lab NAME}: loads the lab's saved state, serves the API
 * (on the port it had before, when it is free, so kubeconfigs stay good) and reconciles until killed.
 * One per lab: a lock file keeps a second one out.
 */
public final class ControllerMain {
    private ControllerMain() {}

    public static int run(String labName) throws IOException, InterruptedException {
        return run(labName, null);
    }

    /**
     * With {@code deployer} (deploy's early start), the JVM comes up while the lab is built and waits
     * for deploy's go ({@link ControllerFiles#go}) before it loads the lab; it exits quietly if the
     * deploying process dies first (its rollback or destroy would stop it anyway).
     */
    public static int run(String labName, io.kubenetlab.model.ProcessRef deployer) throws IOException, InterruptedException {
        LabStore store = LabStore.fromEnvironment();
        ControllerFiles files = new ControllerFiles(store, labName);
        FileChannel lockFile = FileChannel.open(store.labDir(labName).resolve("controller.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock();
        if (lock == null) throw new LabException("lab " + labName + " already has a running controller");
        if (deployer != null && !awaitGo(files, deployer, store, labName)) return 0;
        long loading = System.nanoTime();
        LabEngine lab = LabEngine.open(labName, store);
        // Deploy's memory of what it applied, when deploy started this controller; any other start reads the kernel.
        lab.takeOver(deployer != null);
        Controller controller = new Controller(lab);
        // kubelet's prober: its events go to the controller's store, and a probe result change runs
        // the loop at once, so readiness reaches the endpoints and every node's rules within a tick.
        lab.events((ns, kind, name, type, reason, message) -> controller.event(kind, ns, name,
                lab.state().pod(name).map(p -> p.uid()).orElse(""), type, reason, message, "kubelet"));
        lab.onPodChange(pod -> controller.wakeUp());
        int port = files.endpoint().map(ControllerFiles.Endpoint::port).orElse(0);
        // The certificate also names the kubernetes Service (made again for a lab deployed without them).
        var topology = lab.state().topology;
        var tls = files.prepareServiceAccount(KubernetesService.certificateNames(topology));
        ApiServer api = new ApiServer(controller, files.token(), port, tls.serverContext());
        api.acceptToken(files.serviceAccountToken());
        listenInLab(api, lab, labName);
        api.serve(io.kubenetlab.ui.UiHandler.PATH, new io.kubenetlab.ui.UiHandler(files.uiToken(), LiveGraphSource.of(lab, controller.cache()),
                (from, to, protocol) -> new io.kubenetlab.lab.Tracer(lab).trace(new io.kubenetlab.lab.Tracer.Request(from, to, protocol, 0))));
        controller.start();
        controller.startHealthChecks();
        long self = ProcessHandle.current().pid();
        // The log line before the endpoint: whoever sees the controller up (deploy returns once it is
        // published) finds this line in its log; a test collecting a failing lab's log once found it empty.
        long sinceStart = ProcessHandle.current().info().startInstant().map(t -> java.time.Duration.between(t, Instant.now()).toMillis()).orElse(-1L);
        System.err.println(Instant.now() + " controller of lab " + labName + " serving the Kubernetes API on " + api.url()
                + " (" + (System.nanoTime() - loading) / 1_000_000 + " ms after loading the lab, " + sinceStart + " ms after its process started)");
        files.publish(new ControllerFiles.Endpoint(api.url(), api.port(), self, Procs.ref(self).startTicks()));
        files.forgetStandby();
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            lab.stopBackground();
            controller.close();
        }));
        Thread.currentThread().join();
        return 0;
    }

    /** Waits for deploy's go; false when the deploying process or the lab's directory went first. */
    private static boolean awaitGo(ControllerFiles files, io.kubenetlab.model.ProcessRef deployer, LabStore store, String labName) {
        java.nio.file.Path go = files.go();
        // Meanwhile, the slow firsts: TLS (its providers' set-up) and the HTTP server (Jetty's start, a
        // quarter of a second cold, on a loopback port of its own, then stopped), then every half second, as deploy
        // saves the lab as far as it got, what the first sync does in a cold JVM (read the state, plan every
        // machine and render its rules, the API's views of every object): half a second of class
        // initialisation and interpreted code that would otherwise delay serving. Results are dropped.
        try {
            ApiServer.warmUp(files.tls().serverContext());
        } catch (RuntimeException e) {
            // only a warm-up: the real start below reports what is wrong
        }
        long warmed = -1;
        int passes = 0;
        for (int i = 0; !java.nio.file.Files.exists(go); i++) {
            // Checking the deployer costs a /proc read: every 100 ms; the go file every 5 ms.
            if (i % 20 == 0 && (!Procs.alive(deployer) || !java.nio.file.Files.isDirectory(go.getParent()))) return false;
            // A few passes (each on a fuller lab), not one per save: a big lab's deploy saves often, and
            // on two cores every pass here is time taken from the build.
            if (i % 100 == 0 && passes < WARM_UP_PASSES) {
                long seen = warmUp(store, labName, warmed);
                if (seen != warmed) passes++;
                warmed = seen;
            }
            Procs.sleep(5);
        }
        return true;
    }

    private static final int WARM_UP_PASSES = 3;

    /** One warm-up pass on the lab as last saved, if it changed since {@code last} (its mtime); returns the mtime seen. */
    private static long warmUp(LabStore store, String labName, long last) {
        try {
            long mtime = java.nio.file.Files.getLastModifiedTime(store.labDir(labName).resolve("state.json")).toMillis();
            if (mtime == last) return last;
            io.kubenetlab.model.LabState s = store.load(labName);
            io.kubenetlab.planner.LabPlanner.of(s.topology).plan(new io.kubenetlab.planner.LabPlanner.Inputs(s.name, s.topology, s.pods,
                    s.services, s.endpoints, io.kubenetlab.lb.BackendHealth.NONE));
            ObjectViews.all(s, java.util.Map.of());
            // The first pass after the takeover saves the state and writes the DNS zone: Jackson's first
            // serialisation of each was 50-100 ms of serving later.
            LabStore.json(s);
            io.kubenetlab.lab.Reconciler.zoneJson(s.services, s.endpoints);
            return mtime;
        } catch (IOException | RuntimeException e) {
            return last; // a state file half renamed, a plan of a half-built lab: only a warm-up
        }
    }

    /**
     * The kubernetes Service's endpoint: the API on the first node's address, port 6443, in that node's
     * namespace (as on a kubeadm control-plane node). Failing that, pods cannot reach the API; the rest works.
     */
    private static void listenInLab(ApiServer api, LabEngine lab, String labName) {
        var t = lab.state().topology;
        var node = t.nodes().get(0).name();
        var address = new java.net.InetSocketAddress(KubernetesService.endpointAddress(t).toString(), KubernetesService.API_PORT);
        try (NetnsExecutors netns = new NetnsExecutors()) {
            api.listenAlso(address, netns.of(lab.runtime().nodeNetns(lab.state(), node)));
        } catch (IOException | RuntimeException e) {
            System.err.println(Instant.now() + " controller of lab " + labName + ": cannot serve the API on " + node + " at "
                    + address.getHostString() + ":" + address.getPort() + " (the kubernetes Service's endpoint): " + e.getMessage());
        }
    }
}
