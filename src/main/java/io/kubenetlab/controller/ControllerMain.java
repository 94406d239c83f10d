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
        LabStore store = LabStore.fromEnvironment();
        ControllerFiles files = new ControllerFiles(store, labName);
        FileChannel lockFile = FileChannel.open(store.labDir(labName).resolve("controller.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock();
        if (lock == null) throw new LabException("lab " + labName + " already has a running controller");
        LabEngine lab = LabEngine.open(labName, store);
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
        files.publish(new ControllerFiles.Endpoint(api.url(), api.port(), self, Procs.ref(self).startTicks()));
        System.err.println(Instant.now() + " controller of lab " + labName + " serving the Kubernetes API on " + api.url());
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            lab.stopBackground();
            controller.close();
        }));
        Thread.currentThread().join();
        return 0;
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
