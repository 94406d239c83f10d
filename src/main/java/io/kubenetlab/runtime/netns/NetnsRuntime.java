package io.kubenetlab.runtime.netns;

import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabPaths;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.MachineRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodFacts;
import io.kubenetlab.model.ProcessRef;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kernel.KernelException;
import io.kubenetlab.model.LabNames;
import io.kubenetlab.plan.DaemonPlan;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.runtime.PlanApplier;
import io.kubenetlab.runtime.Sandboxes;
import io.kubenetlab.runtime.PodFiles;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.runtime.SandboxRuntime;
import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Topology.HostSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The default runtime: every lab machine and pod is a network namespace ({@code knl-<lab>-<name>}),
 * wired with veth pairs to bridges that live inside lab namespaces only, so the root namespace's
 * links, routes and rules never change. Processes run host binaries inside a private UTS, IPC, PID
 * and mount namespace (see sandbox.sh and container.sh).
 */
public final class NetnsRuntime implements SandboxRuntime {
    static final String NETNS_DIR = "/run/netns/";
    /** Pod sandboxes are started in parallel: process start-up dominates a pod's cost. */
    private static final int PARALLELISM = Math.max(2, java.lang.Runtime.getRuntime().availableProcessors() * 2);
    private static final long READY_TIMEOUT_MS = 15_000;

    private final Kernel kernel;
    private final Path stateRoot;
    /** Spawns hold the read lock; cancel() takes the write lock, so none is in flight after it. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock spawnLock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private volatile boolean cancelled;

    /** The host directory the service account's tmpfs needs as mount point (see serviceAccountFstab). */
    private HostMountPoint secretsMountPoint() {
        return new HostMountPoint(Path.of("/run/secrets"), stateRoot);
    }

    public NetnsRuntime(Kernel kernel, Path stateRoot) {
        this.kernel = kernel;
        this.stateRoot = stateRoot;
    }

    public static String netnsName(String lab, String object) {
        return LabNames.netnsName(lab, object);
    }

    private LabPaths paths(LabState s) {
        return new LabPaths(stateRoot.resolve(s.name));
    }

    // ---------------------------------------------------------------- machines

    @Override
    public void createMachines(LabState s, LabPlan plan, PlanApplier applier, Runnable save) {
        Topology t = s.topology;
        String lab = s.name;
        List<MachineRecord> machines = Sandboxes.machines(plan);
        for (MachineRecord m : machines) {
            s.putMachine(m);
            s.netns.add(m.netns());
        }
        save.run(); // the ledger first: destroy must know a namespace before it exists
        installScripts(s);
        addNamespaces(machines.stream().map(MachineRecord::netns).toList());

        applier.createMachines(plan);

        LabPaths p = paths(s);
        List<Launch> launches = new ArrayList<>();
        for (MachineRecord m : machines) {
            Path dir = p.machine(m.name());
            String address = Sandboxes.address(plan, m.name());
            write(dir.resolve("hosts"), PodFiles.machineHosts(m.name(), address));
            List<ContainerLaunch> cs = new ArrayList<>();
            t.hosts().stream().filter(h -> h.name().equals(m.name()) && h.runs()).findFirst().ifPresent(h -> {
                Path cdir = dir.resolve("main");
                mkdirs(cdir.resolve("root"));
                Map<String, String> env = new LinkedHashMap<>();
                List<String> argv = h.command();
                env.put("PATH", ImageCatalog.SYSTEM_PATH);
                if (h.image() != null) {
                    // The host's image profile, as for a pod: its shims first, its default command.
                    var profile = ImageCatalog.ofHost().profile(h.image());
                    env.put("PATH", podPath(stateRoot, lab, profile.shimDir()));
                    argv = ImageCatalog.argv(new io.kubenetlab.k8s.Container("main", h.image(), h.command(), List.of(), List.of(), List.of()), profile);
                }
                env.put("HOSTNAME", h.name());
                env.put("HOME", "/root");
                cs.add(new ContainerLaunch(cdir, "Always", env, argv));
            });
            // The machine's daemons (a BGP daemon), restarted if they exit, each in its own directory.
            for (DaemonPlan d : plan.machine(m.name()).orElseThrow().daemons()) {
                Path ddir = Sandboxes.writeDaemon(dir, d);
                mkdirs(ddir.resolve("root"));
                Map<String, String> env = new LinkedHashMap<>();
                env.put("PATH", ImageCatalog.SYSTEM_PATH);
                env.put("HOSTNAME", m.name());
                env.put("HOME", "/root");
                cs.add(new ContainerLaunch(ddir, "Always", env, d.argvIn(ddir.toString())));
            }
            write(dir.resolve("fstab"), fstab(Map.of(dir.resolve("hosts"), "/etc/hosts")));
            launches.add(new Launch(m.name(), m.netns(), dir, m.name(), dir.resolve("fstab"), null, cs));
        }
        List<ProcessRef> refs = startSandboxes(s, launches);
        for (int i = 0; i < machines.size(); i++) s.putMachine(machines.get(i).withSandbox(refs.get(i)));
        save.run();
    }

    @Override
    public void waitForHosts(LabState s) {
        LabPaths p = paths(s);
        for (HostSpec h : s.topology.hosts()) waitListening(s.machine(h.name()).orElseThrow(), h.ports(), p.machine(h.name()).resolve("main"));
    }

    /** An outside host's server must answer before pods that use it start. */
    private static void waitListening(MachineRecord m, List<Integer> ports, Path containerDir) {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS * 2;
        for (int port : ports) {
            while (true) {
                long inner = innerPid(m.sandbox());
                if (inner > 0 && Procs.listening(inner, "TCP", port)) break;
                if (System.currentTimeMillis() > deadline || Files.exists(containerDir.resolve("terminated"))) {
                    throw new LabException("host " + m.name() + " does not listen on port " + port + "; its log:\n"
                            + tail(containerDir.resolve("log"), 10));
                }
                Procs.sleep(10);
            }
        }
    }

    private void addNamespaces(List<String> names) {
        List<String> lines = new ArrayList<>();
        for (String n : names) {
            if (Files.exists(Path.of(NETNS_DIR + n))) {
                throw new LabException("network namespace " + n + " already exists and is not this lab's: refusing to touch it");
            }
            lines.add("netns add " + n);
        }
        kernel.ipBatch(null, lines);
    }

    // ---------------------------------------------------------------- pods

    @Override
    public void createPods(LabState s, List<PodRecord> pods, LabPlan plan, PlanApplier applier, Runnable save) {
        if (pods.isEmpty()) return;
        for (PodRecord pod : pods) s.netns.add(pod.netns());
        save.run();
        addNamespaces(pods.stream().map(PodRecord::netns).toList());
        Topology t = s.topology;
        applier.plugPods(plan, pods);
        LabPaths p = paths(s);
        secretsMountPoint().ensure();
        parallel(pods, pod -> {
            Path dir = p.pod(pod);
            // The pod's side of the veth, applied by sandbox.sh from inside the pod's namespace:
            // no `ip -n` process (and no mount namespace set-up) per pod from here.
            PlanApplier.PodWiring wiring = PlanApplier.podWiring(plan, pod);
            write(dir.resolve("net.batch"), String.join("\n", wiring.podLines()) + "\n");
            write(dir.resolve("net.sysctl"), Sandboxes.sysctlFile(wiring.podSysctls()));
            write(dir.resolve("hosts"), PodFiles.hosts(pod));
            write(dir.resolve("resolv.conf"), PodFiles.resolvConf(pod, t.serviceCidr()));
            Map<Path, String> mounts = new LinkedHashMap<>();
            mounts.put(dir.resolve("hosts"), "/etc/hosts");
            mounts.put(dir.resolve("resolv.conf"), "/etc/resolv.conf");
            Path account = PodFiles.serviceAccount(p, pod, dir);
            write(dir.resolve("fstab"), fstab(mounts) + (account == null ? "" : serviceAccountFstab(account)));
            return null;
        });
        List<Launch> launches = new ArrayList<>();
        for (PodRecord pod : pods) {
            List<ContainerLaunch> cs = new ArrayList<>();
            for (ContainerRecord c : pod.containers()) {
                Path cdir = p.container(pod, c.name());
                mkdirs(cdir.resolve("root"));
                cs.add(new ContainerLaunch(cdir, pod.restartPolicy(), c.env(), c.argv()));
            }
            Path dir = p.pod(pod);
            launches.add(new Launch(pod.name(), pod.netns(), dir, pod.hostname(), dir.resolve("fstab"), dir.resolve("net.batch"), cs));
        }
        List<ProcessRef> refs = startSandboxes(s, launches);
        for (int i = 0; i < pods.size(); i++) s.putPod(pods.get(i).withSandbox(refs.get(i)));
        save.run();
    }

    private static List<String> envArgv(Map<String, String> env, List<String> argv) {
        List<String> out = new ArrayList<>(List.of("env", "-i"));
        env.forEach((k, v) -> out.add(k + "=" + v));
        out.addAll(argv);
        return out;
    }

    record ContainerLaunch(Path dir, String restartPolicy, Map<String, String> env, List<String> argv) {
        /** container.sh's words: DIR POLICY ENVN K=V... ARGV, env exported by the shell where names allow. */
        List<String> words() {
            List<String> w = new ArrayList<>(List.of(dir.toString(), restartPolicy));
            if (env.keySet().stream().allMatch(k -> SHELL_NAME.matcher(k).matches())) {
                w.add(Integer.toString(env.size()));
                env.forEach((k, v) -> w.add(k + "=" + v));
                w.addAll(argv);
            } else {
                // Kubernetes allows names like "a.b" that sh cannot export: env(1) can.
                w.add("0");
                w.addAll(envArgv(env, argv));
            }
            return w;
        }
    }

    static final java.util.regex.Pattern SHELL_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    record Launch(String object, String netns, Path dir, String hostname, Path fstab, Path netBatch, List<ContainerLaunch> containers) {}

    /** The host directories every sandbox mounts its own tmpfs over ({@link #fstab}): what lies there is out of a sandbox's sight. */
    public static final List<String> PRIVATE_DIRS = List.of("/tmp", "/dev/shm");

    /** Whether a host path lies in one of {@link #PRIVATE_DIRS}, so that no sandbox can see it. */
    public static boolean hiddenFromSandboxes(String path) {
        String abs = Path.of(path).toAbsolutePath().normalize() + "/";
        return PRIVATE_DIRS.stream().anyMatch(d -> abs.startsWith(d + "/"));
    }

    /** A sandbox's /tmp: memory only as far as it is used; bounded so that a runaway writer cannot take the host's. */
    static final String TMP_SIZE = "256m";

    /**
     * An fstab of bind mounts (source -> target), read by one `mount -a -T` in the sandbox. It starts with
     * the sandbox's own /dev/shm (64 MiB, a pod's default) and /tmp (a container's is its image's, not the
     * host's): what a workload leaves there (PostgreSQL's shared memory segments when it is killed, a
     * JVM's perf data under its PID namespace's pid, any program's temporary files) goes with the
     * sandbox's mount namespace, not onto the host, and sandboxes never see each other's. An empty
     * /run/netns, too: the host's holds the lab's namespaces, and those made after the sandbox appear in
     * its (private) mount namespace as plain files, on which ip(8), naming a veth's peer namespace, printed
     * "Peer netns reference is invalid" for each; nothing of the lab runs `ip netns` inside a sandbox.
     */
    static String fstab(Map<Path, String> binds) {
        StringBuilder sb = new StringBuilder("shm /dev/shm tmpfs rw,nosuid,nodev,mode=1777,size=65536k 0 0\n"
                + "tmp /tmp tmpfs rw,nosuid,nodev,mode=1777,size=" + TMP_SIZE + " 0 0\n"
                + "netns /run/netns tmpfs ro,nosuid,nodev,noexec,mode=755,size=4k 0 0\n");
        binds.forEach((src, dst) -> sb.append(src.toString().replace(" ", "\\040")).append(' ').append(dst).append(" none bind 0 0\n"));
        return sb.toString();
    }

    /**
     * The service account's mount: a tmpfs of the sandbox's own on /run/secrets (what the host has there
     * stays out of sight), in which mount(8) makes the directory kubelet's mount point needs (X-mount.mkdir),
     * and the pod's files bound read-only there. The host has an empty /run/secrets while labs run (made
     * only if missing, removed with the last lab: {@link HostMountPoint}).
     */
    static String serviceAccountFstab(Path account) {
        return "secrets /run/secrets tmpfs rw,nosuid,nodev,mode=755,size=64k 0 0\n"
                + account.toString().replace(" ", "\\040") + " " + PodFiles.SERVICE_ACCOUNT_MOUNT.replaceFirst("^/var/run/", "/run/")
                + " none bind,ro,X-mount.mkdir 0 0\n";
    }

    /** Sandboxes per launcher process: bounds the launcher's argv; chunks start in parallel. */
    private static final int LAUNCH_CHUNK = 64;

    private List<ProcessRef> startSandboxes(LabState s, List<Launch> launches) {
        Path runtimeDir = paths(s).runtime();
        List<List<Launch>> chunks = new ArrayList<>();
        for (int i = 0; i < launches.size(); i += LAUNCH_CHUNK) chunks.add(launches.subList(i, Math.min(launches.size(), i + LAUNCH_CHUNK)));
        List<List<ProcessRef>> started = parallel(chunks, chunk -> {
            List<String> argv = new ArrayList<>(List.of("sh", runtimeDir.resolve("launch.sh").toString()));
            for (Launch l : chunk) {
                mkdirs(l.dir());
                List<String> sandbox = Kernel.sandboxArgv(l.netns());
                sandbox.addAll(List.of(runtimeDir.resolve("sandbox.sh").toString(), l.dir().resolve("sandbox.ready").toString(), l.hostname(),
                        l.fstab() == null ? "" : l.fstab().toString(), l.netBatch() == null ? "" : l.netBatch().toString()));
                for (ContainerLaunch c : l.containers()) {
                    List<String> words = c.words();
                    sandbox.add(Integer.toString(words.size()));
                    sandbox.addAll(words);
                }
                argv.add(Integer.toString(2 + sandbox.size()));
                argv.add(l.object());
                argv.add(l.dir().resolve("sandbox.log").toString());
                argv.addAll(sandbox);
            }
            // The environment marks every sandbox as this lab's (visible in /proc/PID/environ).
            Map<String, String> env = Map.of("PATH", ImageCatalog.SYSTEM_PATH, "KUBENETLAB_LAB", s.name);
            spawnLock.readLock().lock();
            try {
                if (cancelled) throw new LabException("cancelled: the lab is being destroyed");
                List<Long> pids = kernel.spawnDetachedBatch(argv, env);
                if (pids.size() != chunk.size()) throw new LabException("launcher started " + pids.size() + " of " + chunk.size() + " sandboxes");
                List<ProcessRef> refs = new ArrayList<>();
                for (int i = 0; i < pids.size(); i++) {
                    try {
                        refs.add(Procs.ref(pids.get(i)));
                    } catch (IllegalStateException e) {
                        throw new LabException("sandbox of " + chunk.get(i).object() + " exited at once: "
                                + tail(chunk.get(i).dir().resolve("sandbox.log"), 5));
                    }
                }
                return refs;
            } finally {
                spawnLock.readLock().unlock();
            }
        });
        List<ProcessRef> refs = new ArrayList<>();
        started.forEach(refs::addAll);
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        for (int i = 0; i < launches.size(); i++) {
            Launch l = launches.get(i);
            Path ready = l.dir().resolve("sandbox.ready");
            while (!Files.exists(ready)) {
                if (!Procs.alive(refs.get(i)) || System.currentTimeMillis() > deadline) {
                    throw new LabException("sandbox of " + l.object() + " did not start: " + tail(l.dir().resolve("sandbox.log"), 5));
                }
                Procs.sleep(2);
            }
        }
        return refs;
    }

    private <T, R> List<R> parallel(List<T> items, ThrowingFunction<T, R> f) {
        if (items.size() == 1) return java.util.Collections.singletonList(f.apply(items.get(0)));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLELISM, items.size()));
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) futures.add(pool.submit(() -> f.apply(item)));
            List<R> out = new ArrayList<>();
            RuntimeException first = null;
            for (Future<R> fu : futures) {
                try {
                    out.add(fu.get());
                } catch (Exception e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    if (first == null) first = cause instanceof RuntimeException re ? re : new KernelException(cause.getMessage(), cause);
                    out.add(null);
                }
            }
            if (first != null) throw first;
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    interface ThrowingFunction<T, R> {
        R apply(T t);
    }

    // ---------------------------------------------------------------- status, exec, logs

    /** PID 1 of the sandbox's PID namespace: the process to enter, and whose /proc/PID/net to read. */
    static long innerPid(ProcessRef sandbox) {
        if (!Procs.alive(sandbox)) return -1;
        List<Long> kids = Procs.children(sandbox.pid());
        return kids.isEmpty() ? -1 : kids.get(0);
    }

    private final io.kubenetlab.kernel.PortsListening listeningPorts = new io.kubenetlab.kernel.PortsListening();

    @Override
    public PodFacts podFacts(LabState s, PodRecord pod, java.util.function.Predicate<ContainerRecord> portsFor) {
        long inner = innerPid(pod.sandbox());
        List<PodFacts.ContainerFacts> cs = new ArrayList<>();
        for (ContainerRecord c : pod.containers()) {
            PodFacts.ContainerFacts f = containerFacts(s, pod, c.name());
            // Today's readiness rule, also the fallback for a readiness probe when no prober runs (one-shot CLI).
            boolean listening = inner > 0 && f.running() && portsFor.test(c) && listeningPorts.check(pod.uid(), c, f.run(), inner);
            cs.add(new PodFacts.ContainerFacts(c.name(), f.run(), f.startedAtMs(), f.lastExit(), listening));
        }
        return new PodFacts(pod.sandbox() != null, inner > 0, cs);
    }

    @Override
    public PodFacts.ContainerFacts containerFacts(LabState s, PodRecord pod, String container) {
        Path dir = paths(s).container(pod, container);
        long[] started = startedRun(dir.resolve("started"));
        return new PodFacts.ContainerFacts(container, (int) started[0], started[2], exit(readString(dir.resolve("terminated"))), false);
    }

    /**
     * container.sh's "started" file: "RUN PID", its mtime the start time. Returns {run, pid, startedAtMs};
     * run 0 if absent. The file is rewritten in place at a restart: an empty read is retried once.
     */
    static long[] startedRun(Path f) {
        for (int attempt = 0; attempt < 2; attempt++) {
            String text = readString(f);
            if (text == null) return new long[] {0, 0, 0};
            String[] parts = text.trim().split(" ");
            if (parts.length == 2) {
                try {
                    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Files.getLastModifiedTime(f).toMillis()};
                } catch (NumberFormatException | IOException e) {
                    // being rewritten
                }
            }
            Thread.onSpinWait();
        }
        return new long[] {0, 0, 0};
    }

    /** container.sh's "terminated" file: "RUN EXIT_CODE FINISHED BACKOFF" (written whole, then renamed). */
    static PodFacts.Exit exit(String text) {
        if (text == null || text.isBlank()) return null;
        String[] f = text.trim().split(" ");
        if (f.length != 4) return null;
        try {
            return new PodFacts.Exit(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public Path nodeNetns(LabState s, String node) {
        return Path.of(NETNS_DIR + netnsName(s.name, node));
    }

    /**
     * The container's current process and its descendants get SIGTERM, then SIGKILL after the grace
     * period, as kubelet stops a container; the supervisor sees the exit and restarts it per
     * restartPolicy. Returns false if the container was not running.
     */
    @Override
    public boolean killContainer(LabState s, PodRecord pod, String container, Duration grace) {
        long inner = innerPid(pod.sandbox());
        if (inner <= 0) return false;
        long nsPid = startedRun(paths(s).container(pod, container).resolve("started"))[1];
        if (nsPid <= 0) return false;
        long hostPid = -1;
        // The sandbox's children are the supervisors (one per container); theirs are the containers' processes.
        for (long supervisor : Procs.children(inner)) {
            for (long child : Procs.children(supervisor)) {
                if (Procs.nsPid(child) == nsPid) hostPid = child;
            }
        }
        if (hostPid <= 0) return false;
        List<Long> tree = Procs.descendants(hostPid);
        for (long pid : tree) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        while (Procs.aliveOrZombieGone(hostPid) && System.nanoTime() < deadline) Procs.sleep(10);
        List<Long> left = new ArrayList<>(tree);
        left.removeIf(pid -> !Procs.aliveOrZombieGone(pid));
        if (!left.isEmpty()) Procs.killAndWait(left, 2_000);
        return true;
    }

    /**
     * Each container's supervisor is told not to restart it (a "stop" file in its directory, read by
     * container.sh), then its process gets SIGTERM: the process container.sh started, as a container's
     * init gets it from its runtime.
     */
    @Override
    public void terminatePod(LabState s, PodRecord pod) {
        long inner = innerPid(pod.sandbox());
        if (inner <= 0) return;
        List<Long> supervisors = Procs.children(inner);
        for (ContainerRecord c : pod.containers()) {
            Path dir = paths(s).container(pod, c.name());
            if (!Files.isDirectory(dir)) continue;
            write(dir.resolve("stop"), "");
            long nsPid = startedRun(dir.resolve("started"))[1];
            if (nsPid <= 0) continue;
            for (long supervisor : supervisors) {
                for (long child : Procs.children(supervisor)) {
                    if (Procs.nsPid(child) == nsPid) ProcessHandle.of(child).ifPresent(ProcessHandle::destroy);
                }
            }
        }
    }

    @Override
    public boolean pauseDaemon(LabState s, String machine, String daemon, boolean pause) {
        MachineRecord m = s.machine(machine).orElseThrow(() -> new LabException("no machine named \"" + machine + "\" in lab " + s.name));
        long inner = innerPid(m.sandbox());
        long nsPid = startedRun(paths(s).machine(machine).resolve(daemon).resolve("started"))[1];
        if (inner <= 0 || nsPid <= 0) return false;
        // The sandbox's children are the supervisors; theirs the processes they run (see killContainer).
        for (long supervisor : Procs.children(inner)) {
            for (long child : Procs.children(supervisor)) {
                if (Procs.nsPid(child) == nsPid) {
                    kernel.signal(child, pause ? "STOP" : "CONT");
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public List<String> execCommand(LabState s, String target, String container, List<String> argv) {
        ProcessRef sandbox;
        Path wd;
        Map<String, String> env = new LinkedHashMap<>();
        var pod = s.pod(target);
        if (pod.isPresent()) {
            PodRecord p = pod.get();
            ContainerRecord c = container == null ? p.containers().get(0) : p.containers().stream()
                    .filter(x -> x.name().equals(container)).findFirst()
                    .orElseThrow(() -> new LabException("container " + container + " is not valid for pod " + target));
            sandbox = p.sandbox();
            wd = paths(s).container(p, c.name()).resolve("root");
            env.putAll(c.env());
        } else {
            MachineRecord m = s.machine(target).orElseThrow(() -> new LabException("no pod, node or host named \"" + target
                    + "\" in lab " + s.name));
            sandbox = m.sandbox();
            wd = Path.of("/");
            env.put("PATH", ImageCatalog.SYSTEM_PATH);
            env.put("HOSTNAME", m.name());
            env.put("HOME", "/root");
        }
        long inner = innerPid(sandbox);
        if (inner <= 0) throw new LabException(target + " is not running (its sandbox process is gone)");
        String term = System.getenv("TERM");
        if (term != null) env.put("TERM", term);
        List<String> full = Kernel.enterArgv(inner, wd.toString(), false);
        full.addAll(envArgv(env, argv));
        return full;
    }

    @Override
    public Path logFile(LabState s, PodRecord pod, String container) {
        return paths(s).container(pod, container).resolve("log");
    }

    @Override
    public String logs(LabState s, String target, String container) {
        var pod = s.pod(target);
        // An outside host's command logs like a pod's single container.
        Path f = pod.isPresent() ? logFile(s, pod.get(), container != null ? container : pod.get().containers().get(0).name())
                : paths(s).machine(target).resolve("main").resolve("log");
        String text = readString(f);
        return text == null ? "" : text;
    }

    // ---------------------------------------------------------------- destroy

    @Override
    public void deletePods(LabState s, List<PodRecord> pods, PlanApplier applier) {
        java.util.Set<Long> inodes = new java.util.HashSet<>();
        List<String> lines = new ArrayList<>();
        for (PodRecord p : pods) {
            OptionalLong ino = Procs.netnsInode(Path.of(NETNS_DIR + p.netns()));
            if (ino.isEmpty()) continue;
            inodes.add(ino.getAsLong());
            lines.add("netns del " + p.netns());
        }
        // Processes first, as in destroy; deleting a pod's namespace also removes its veth pair.
        Procs.killAndWait(Procs.owned(inodes, null), 5_000);
        kernel.ipBatchBestEffort(null, lines);
        Sandboxes.release(s, stateRoot, pods, applier);
    }

    @Override
    public List<String> reapOrphans(LabState s) {
        java.util.Set<String> owned = new java.util.HashSet<>();
        for (PodRecord p : s.pods) owned.add(p.netns());
        for (MachineRecord m : s.machines) owned.add(m.netns());
        List<String> orphans = s.netns.stream().filter(n -> !owned.contains(n)).distinct().toList();
        java.util.Set<Long> inodes = new java.util.HashSet<>();
        List<String> lines = new ArrayList<>();
        for (String ns : orphans) {
            OptionalLong ino = Procs.netnsInode(Path.of(NETNS_DIR + ns));
            if (ino.isEmpty()) continue;
            inodes.add(ino.getAsLong());
            lines.add("netns del " + ns);
        }
        // Processes first, as in deletePods: a deleted namespace lives on while a process holds it.
        if (!inodes.isEmpty()) Procs.killAndWait(Procs.owned(inodes, null), 5_000);
        kernel.ipBatchBestEffort(null, lines);
        s.netns.removeAll(orphans);
        // Their files: pod directories no pod of the state has.
        LabPaths p = paths(s);
        java.util.Set<Path> podDirs = new java.util.HashSet<>();
        for (PodRecord pod : s.pods) podDirs.add(p.pod(pod));
        Path pods = p.dir().resolve("pods");
        if (Files.isDirectory(pods)) {
            try (var dirs = Files.list(pods)) {
                dirs.filter(d -> !podDirs.contains(d)).forEach(io.kubenetlab.store.LabStore::deleteTree);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return orphans;
    }

    @Override
    public void cancel() {
        spawnLock.writeLock().lock();
        cancelled = true;
        spawnLock.writeLock().unlock();
    }

    @Override
    public void destroy(LabState s) {
        // Processes first: a deleted namespace lives on while a process holds it.
        List<String> existing = new ArrayList<>();
        java.util.Set<Long> inodes = new java.util.HashSet<>();
        for (String ns : s.netns) {
            OptionalLong ino = Procs.netnsInode(Path.of(NETNS_DIR + ns));
            if (ino.isEmpty()) continue;
            existing.add(ns);
            inodes.add(ino.getAsLong());
        }
        // Ours: every process inside the lab's namespaces, and every process carrying the lab's mark
        // (a sandbox started while a rollback ran may sit in a namespace that is already gone).
        List<Long> victims = new ArrayList<>(Procs.owned(inodes, "KUBENETLAB_LAB=" + s.name));
        for (MachineRecord m : s.machines) if (Procs.alive(m.sandbox())) victims.add(m.sandbox().pid());
        for (PodRecord p : s.pods) if (Procs.alive(p.sandbox())) victims.add(p.sandbox().pid());
        Procs.killAndWait(victims.stream().distinct().toList(), 5_000);
        List<String> lines = new ArrayList<>();
        for (String ns : existing) lines.add("netns del " + ns);
        if (!lines.isEmpty()) {
            kernel.ipBatchBestEffort(null, lines);
        }
        secretsMountPoint().releaseAfter(s.name);
    }

    // ---------------------------------------------------------------- files

    private void installScripts(LabState s) {
        Path dir = paths(s).runtime();
        for (String name : List.of("launch.sh", "sandbox.sh", "container.sh")) copyResource("/io/kubenetlab/runtime/" + name, dir.resolve(name));
        for (var profile : ImageCatalog.PROFILES) {
            for (String shim : profile.shims()) {
                copyResource("/io/kubenetlab/images/" + profile.shimDir() + "/" + shim,
                        paths(s).images().resolve(profile.shimDir()).resolve("bin").resolve(shim));
            }
        }
    }

    /** The PATH a pod of this image profile sees: its shims first. */
    public static String podPath(Path stateRoot, String lab, String shimDir) {
        return ImageCatalog.podPath(stateRoot, lab, shimDir);
    }

    static void copyResource(String resource, Path target) {
        try (InputStream in = NetnsRuntime.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            mkdirs(target.getParent());
            Files.write(target, in.readAllBytes());
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) {
        try {
            mkdirs(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long readLong(Path f, long def) {
        String s = readString(f);
        try {
            return s == null ? def : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return def;
        }
    }

    static String readString(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return null;
        }
    }

    public static String tail(Path f, int lines) {
        String s = readString(f);
        if (s == null || s.isBlank()) return "(no output)";
        List<String> all = s.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
