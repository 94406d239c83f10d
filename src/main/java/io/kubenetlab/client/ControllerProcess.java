package io.kubenetlab.client;

import io.kubenetlab.model.LabException;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.kernel.SelfJar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts, finds and stops a lab's controller: a JVM of its own in its own session (it outlives the
 * command that deployed the lab, as kind's control plane outlives {@code kind create}), marked as the
 * lab's so destroy finds it.
 */
public final class ControllerProcess {
    private static final long START_TIMEOUT_MILLIS = 30_000;

    private ControllerProcess() {}

    /** The controller serving this lab now, if its process is alive. */
    public static Optional<ControllerFiles.Endpoint> running(LabStore store, String lab) {
        return new ControllerFiles(store, lab).endpoint().filter(e -> Procs.alive(e.process()));
    }

    /**
     * Starts the lab's controller ahead of time, for deploy: its JVM starts and waits (the lab's state
     * is not whole yet) until {@link #start} tells it to serve, or exits by itself if the deploying
     * process {@code deployer} dies first. Returns at once; the start-up overlaps the lab's build.
     */
    public static void prestart(LabStore store, String lab, io.kubenetlab.model.ProcessRef deployer) {
        ControllerFiles files = new ControllerFiles(store, lab);
        files.token();
        long pid = spawn(store, lab, files, List.of("--standby-for", deployer.pid() + ":" + deployer.startTicks()));
        files.recordStandby(Procs.ref(pid));
    }

    /** Starts the lab's controller (tells the one {@link #prestart} started to serve) and waits until its API answers. */
    public static ControllerFiles.Endpoint start(LabStore store, String lab) {
        ControllerFiles files = new ControllerFiles(store, lab);
        files.token();
        var before = files.endpoint();
        var standby = files.standby().filter(Procs::alive);
        long pid;
        if (standby.isPresent()) {
            try {
                java.nio.file.Files.writeString(files.go(), "");
            } catch (java.io.IOException e) {
                throw new LabException("cannot write " + files.go() + ": " + e.getMessage());
            }
            pid = standby.get().pid();
        } else {
            pid = spawn(store, lab, files, List.of());
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            var e = files.endpoint();
            if (e.isPresent() && e.get().pid() == pid && (before.isEmpty() || !e.equals(before))) return e.get();
            if (!Procs.aliveOrZombieGone(pid)) {
                throw new LabException("the controller of lab " + lab + " exited; its log (" + files.log() + "):\n"
                        + io.kubenetlab.runtime.netns.NetnsRuntime.tail(files.log(), 15));
            }
            Procs.sleep(5);
        }
        throw new LabException("the controller of lab " + lab + " did not answer within " + START_TIMEOUT_MILLIS / 1000 + " s; see " + files.log());
    }

    /** Spawns {@code kubenetlab controller --lab LAB EXTRA...} detached, its output in the lab's controller log; returns its pid. */
    private static long spawn(LabStore store, String lab, ControllerFiles files, List<String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", io.kubenetlab.images.ImageCatalog.SYSTEM_PATH);
        env.put("KUBENETLAB_LAB", lab);
        env.put("KUBENETLAB_STATE_DIR", store.root().toString());
        String debug = System.getenv("KUBENETLAB_DEBUG");
        if (debug != null) env.put("KUBENETLAB_DEBUG", debug);
        String classlists = System.getenv(SelfJar.CLASSLIST_DIR);
        if (classlists != null) env.put(SelfJar.CLASSLIST_DIR, classlists);
        // The script is fixed; the log path and the command come as arguments, never spliced into it.
        // No perf data file: the controller ends by SIGKILL, and its /tmp/hsperfdata_USER/PID would stay on the host.
        List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c", "log=$1; shift; \"$@\" >>\"$log\" 2>&1 </dev/null & echo $!", "sh",
                files.log().toString(), SelfJar.java(), "-Xss512k", "-Xmx1g", "-XX:-UsePerfData", "-XX:+UseSerialGC"));
        // No DNS: the JDK's HTTPS server looks up the name of every client's address when it accepts a
        // connection (sun.net.httpserver.SSLStreams: addr.getHostName()), so each API connection from a
        // pod or node asked the machine's resolver for a lab address's name and waited for the answer
        // (in the Vagrant box, behind Docker's resolver, until the client gave up). The controller
        // names nothing by DNS: /etc/hosts alone answers, and an address without a name stays one.
        argv.add("-Djdk.net.hosts.file=/etc/hosts");
        argv.addAll(SelfJar.jvmOptions("controller"));
        argv.addAll(List.of("-cp", SelfJar.classpath(), "io.kubenetlab.cli.Main", "controller", "--lab", lab));
        argv.addAll(extra);
        return Kernel.linux().spawnDetachedBatch(argv, env).get(0);
    }

    /** The running controller, or a new one when it died (killed, or the machine's /run was kept but not the process). */
    public static ControllerFiles.Endpoint ensureRunning(LabStore store, String lab) {
        Optional<ControllerFiles.Endpoint> e = running(store, lab);
        if (e.isPresent()) return e.get();
        System.err.println("kubenetlab: the controller of lab " + lab + " was not running; starting it again");
        return start(store, lab);
    }

    /** Stops the controller (SIGKILL: it keeps no state in memory that is not saved). */
    public static void stop(LabStore store, String lab) {
        ControllerFiles files = new ControllerFiles(store, lab);
        List<Long> pids = new java.util.ArrayList<>();
        files.endpoint().filter(e -> Procs.alive(e.process())).ifPresent(e -> pids.add(e.pid()));
        files.standby().filter(Procs::alive).filter(p -> !pids.contains(p.pid())).ifPresent(p -> pids.add(p.pid()));
        if (!pids.isEmpty()) Procs.killAndWait(pids, 5000);
    }
}
