package io.kubenetlab.runtime.docker;

import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabPaths;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.MachineRecord;
import io.kubenetlab.model.PodFacts;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ProcessRef;
import io.kubenetlab.kernel.Kernel;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The docker runtime: every lab machine and pod is a container with no network ({@code --network
 * none}), started from a real image. Each one's network namespace is then attached under the same
 * name the netns runtime uses ({@code ip netns attach knl-<lab>-<name> PID}), so the wiring, the
 * kube-proxy rules and the load balancer are applied from the lab's plan by {@link PlanApplier}, as on the netns runtime,
 * programmed from the host with the host's tools. A pod is a sandbox container holding the network,
 * UTS and IPC namespaces (Kubernetes' pause container) plus one container per pod container, joined
 * to them: a restarted container keeps the pod's address. Every container carries the lab's labels;
 * destroy removes exactly the containers labelled with the lab's name.
 */
public final class DockerRuntime implements SandboxRuntime {
    public static final String LABEL_LAB = "kubenetlab.lab";
    static final String LABEL_OBJECT = "kubenetlab.object";
    static final String LABEL_ROLE = "kubenetlab.role";
    private static final String NETNS_DIR = "/run/netns/";
    private static final long READY_TIMEOUT_MS = 30_000;
    /** Container create+start calls in flight at once: the engine serializes much of the work anyway. */
    private static final int PARALLELISM = 4;

    private final Kernel kernel;
    private final Path stateRoot;
    private DockerEngine engine;
    /** Creations hold the read lock; cancel() takes the write lock, so none is in flight after it. */
    private final ReentrantReadWriteLock createLock = new ReentrantReadWriteLock();
    private volatile boolean cancelled;

    public DockerRuntime(Kernel kernel, Path stateRoot) {
        this.kernel = kernel;
        this.stateRoot = stateRoot;
    }

    /** Connected on first use: commands that only read the lab's state need no engine. */
    private synchronized DockerEngine engine() {
        if (engine == null) engine = DockerEngine.connect();
        return engine;
    }

    /** The sandbox container of a machine or pod: the same name as its network namespace. */
    static String sandboxName(String lab, String object) {
        return LabNames.netnsName(lab, object);
    }

    /** A pod container's (or a host command's) container: {@code knl-<lab>-<pod>_<container>}. */
    static String containerName(String lab, String object, String container) {
        return sandboxName(lab, object) + "_" + container;
    }

    private LabPaths paths(LabState s) {
        return new LabPaths(stateRoot.resolve(s.name));
    }

    private static Map<String, String> labels(String lab, String object, String role) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(LABEL_LAB, lab);
        m.put(LABEL_OBJECT, object);
        m.put(LABEL_ROLE, role);
        return m;
    }

    // ---------------------------------------------------------------- before anything is created

    @Override
    public void check(Topology t, List<PodRecord> pods, LabPlan plan) {
        Set<String> images = new java.util.TreeSet<>();
        for (PodRecord p : pods) for (ContainerRecord c : p.containers()) images.add(DockerImages.resolve(t, c.image(), c.profile()));
        for (HostSpec h : t.hosts()) images.add(hostImage(t, h));
        DockerImages.ensure(engine(), images);
        // A machine's daemons run from the machine image: an image built before they existed lacks them.
        for (var m : plan.infrastructure()) {
            for (DaemonPlan d : m.daemons()) DockerImages.requireProgram(engine(), DockerImages.MACHINE, d.argv().get(0), t.cni());
        }
    }

    private static String hostImage(Topology t, HostSpec h) {
        if (h.image() == null) return DockerImages.MACHINE;
        return DockerImages.resolve(t, h.image(), ImageCatalog.ofHost().profile(h.image()).name());
    }

    // ---------------------------------------------------------------- machines

    @Override
    public void createMachines(LabState s, LabPlan plan, PlanApplier applier, Runnable save) {
        Topology t = s.topology;
        List<MachineRecord> machines = Sandboxes.machines(plan);
        for (MachineRecord m : machines) {
            s.putMachine(m);
            s.netns.add(m.netns());
        }
        save.run(); // the ledger first: destroy must know a namespace before it is attached
        LabPaths p = paths(s);
        List<DockerEngine.Spec> specs = new ArrayList<>();
        for (MachineRecord m : machines) {
            Path hosts = p.machine(m.name()).resolve("hosts");
            write(hosts, PodFiles.machineHosts(m.name(), Sandboxes.address(plan, m.name())));
            Map<String, String> sysctls = plan.machine(m.name()).orElseThrow().sysctls();
            // Nodes, the router and the balancer hold netfilter rules and bridges, as kind's node
            // containers do: every capability (but the one this VM lacks), sysctls at create time.
            boolean machine = m.role() != MachineRecord.Role.HOST;
            // The machine's daemons' directories (a BGP daemon's config and control socket) are seen at the
            // same path by the machine's container too, so `kubenetlab exec node1 -- birdc -s ...` works.
            Map<String, String> binds = new LinkedHashMap<>(Map.of(hosts.toString(), "/etc/hosts"));
            for (DaemonPlan d : plan.machine(m.name()).orElseThrow().daemons()) {
                String dir = Sandboxes.writeDaemon(p.machine(m.name()), d).toString();
                binds.put(dir, dir + DockerEngine.WRITABLE);
            }
            specs.add(new DockerEngine.Spec(sandboxName(s.name, m.name()), DockerImages.MACHINE, m.name(),
                    List.of("sleep", "infinity"), List.of(), labels(s.name, m.name(), m.role().name().toLowerCase()),
                    machine ? sysctls : Map.of(), binds, null, machine, true, "no"));
        }
        List<ProcessRef> refs = start(specs);
        attach(machines.stream().map(MachineRecord::netns).toList(), refs);
        for (int i = 0; i < machines.size(); i++) s.putMachine(machines.get(i).withSandbox(refs.get(i)));
        save.run();
        applier.createMachines(plan);

        // Outside hosts' commands (a database) in their own container, in the host's namespaces.
        List<DockerEngine.Spec> commands = new ArrayList<>();
        for (HostSpec h : t.hosts()) {
            if (!h.runs()) continue;
            List<String> argv = h.command();
            if (h.image() != null) {
                var profile = ImageCatalog.ofHost().profile(h.image());
                argv = ImageCatalog.argv(new io.kubenetlab.k8s.Container("main", h.image(), h.command(), List.of(), List.of(), List.of()), profile);
            }
            Path hosts = p.machine(h.name()).resolve("hosts");
            commands.add(new DockerEngine.Spec(containerName(s.name, h.name(), "main"), hostImage(t, h), null, argv,
                    List.of("HOSTNAME=" + h.name(), "HOME=/root"), labels(s.name, h.name(), "host-command"), Map.of(),
                    Map.of(hosts.toString(), "/etc/hosts"), sandboxName(s.name, h.name()), false, false, "always"));
        }
        // Machines' daemons, each in its own container in the machine's namespaces (restarted by the engine).
        for (MachineRecord m : machines) {
            for (DaemonPlan d : plan.machine(m.name()).orElseThrow().daemons()) {
                String dir = p.machine(m.name()).resolve(d.name()).toString();
                commands.add(new DockerEngine.Spec(containerName(s.name, m.name(), d.name()), DockerImages.MACHINE, null, d.argvIn(dir),
                        List.of("HOSTNAME=" + m.name(), "HOME=/root"), labels(s.name, m.name(), "daemon"), Map.of(),
                        // A routing daemon writes the machine's routes (netlink): the machine's capabilities.
                        Map.of(dir, dir + DockerEngine.WRITABLE), sandboxName(s.name, m.name()), true, false, "always"));
            }
        }
        run(commands);
    }

    @Override
    public void waitForHosts(LabState s) {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        for (HostSpec h : s.topology.hosts()) {
            String name = containerName(s.name, h.name(), "main");
            for (int port : h.ports()) {
                while (true) {
                    DockerEngine.State st = engine().inspect(name);
                    if (st != null && st.running() && Procs.listening(st.pid(), "TCP", port)) break;
                    if (System.currentTimeMillis() > deadline || st == null || st.exitCode() != null) {
                        throw new LabException("host " + h.name() + " does not listen on port " + port + "; its log:\n"
                                + tail(engine().logs(name), 10));
                    }
                    Procs.sleep(20);
                }
            }
        }
    }

    // ---------------------------------------------------------------- pods

    @Override
    public void createPods(LabState s, List<PodRecord> pods, LabPlan plan, PlanApplier applier, Runnable save) {
        if (pods.isEmpty()) return;
        for (PodRecord pod : pods) s.netns.add(pod.netns());
        save.run();
        Topology t = s.topology;
        LabPaths p = paths(s);
        List<DockerEngine.Spec> sandboxes = new ArrayList<>();
        for (PodRecord pod : pods) {
            Path dir = p.pod(pod);
            write(dir.resolve("hosts"), PodFiles.hosts(pod));
            write(dir.resolve("resolv.conf"), PodFiles.resolvConf(pod, t.serviceCidr()));
            PodFiles.serviceAccount(p, pod, dir);
            // arp_notify: a gratuitous ARP when eth0 comes up, so a node that knew a previous pod with
            // this address learns the new MAC at once.
            sandboxes.add(new DockerEngine.Spec(sandboxName(s.name, pod.name()), DockerImages.MACHINE, pod.hostname(),
                    List.of("sleep", "infinity"), List.of(), labels(s.name, pod.name(), "pod"),
                    PlanApplier.podWiring(plan, pod).podSysctls(), podFiles(dir), null, false, true, "no"));
        }
        List<ProcessRef> refs = start(sandboxes);
        attach(pods.stream().map(PodRecord::netns).toList(), refs);
        for (int i = 0; i < pods.size(); i++) s.putPod(pods.get(i).withSandbox(refs.get(i)));
        save.run();
        applier.plugPods(plan, pods);
        parallel(pods, pod -> {
            kernel.ipBatch(pod.netns(), PlanApplier.podWiring(plan, pod).podLines());
            return null;
        });
        List<DockerEngine.Spec> containers = new ArrayList<>();
        for (PodRecord pod : pods) {
            for (ContainerRecord c : pod.containers()) {
                Map<String, String> binds = new LinkedHashMap<>(podFiles(p.pod(pod)));
                if ("cluster-dns".equals(c.profile())) binds.putAll(HostCode.binds(c.argv()));
                containers.add(new DockerEngine.Spec(containerName(s.name, pod.name(), c.name()),
                        DockerImages.resolve(t, c.image(), c.profile()), null, c.argv(), env(s, c), labels(s.name, pod.name(), "container"),
                        Map.of(), binds, sandboxName(s.name, pod.name()), false, true, restartPolicy(pod.restartPolicy())));
            }
        }
        run(containers);
    }

    private static Map<String, String> podFiles(Path dir) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(dir.resolve("hosts").toString(), "/etc/hosts");
        m.put(dir.resolve("resolv.conf").toString(), "/etc/resolv.conf");
        // The service account's files, read-only, where kubelet mounts them (written by createPods).
        if (Files.isDirectory(dir.resolve("serviceaccount"))) m.put(dir.resolve("serviceaccount").toString(), PodFiles.SERVICE_ACCOUNT_MOUNT);
        return m;
    }

    /** The manifest's environment; PATH stays the image's own unless the manifest sets one. */
    private List<String> env(LabState s, ContainerRecord c) {
        String ours = paths(s).images().toString();
        List<String> env = new ArrayList<>();
        c.env().forEach((k, v) -> {
            if (!(k.equals("PATH") && v.startsWith(ours))) env.add(k + "=" + v);
        });
        return env;
    }

    /** Kubernetes' restartPolicy as Docker's (whose back-off is its own: 100 ms doubling). */
    static String restartPolicy(String k8s) {
        return switch (k8s) {
            case "Always" -> "always";
            case "OnFailure" -> "on-failure";
            default -> "no";
        };
    }

    /** Gives each started container's network namespace its lab name, in one ip process. */
    private void attach(List<String> names, List<ProcessRef> refs) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) lines.add("netns attach " + names.get(i) + " " + refs.get(i).pid());
        kernel.ipBatch(null, lines);
    }

    /**
     * Creates and starts sandbox containers (in parallel); returns the host PID of each one's first
     * process, which holds the namespaces (it must be running: a sandbox never exits by itself).
     */
    private List<ProcessRef> start(List<DockerEngine.Spec> specs) {
        return parallel(specs, spec -> {
            createLock.readLock().lock();
            try {
                if (cancelled) throw new LabException("cancelled: the lab is being destroyed");
                String id = engine().run(spec);
                DockerEngine.State st = engine().inspect(id);
                if (st == null || st.pid() <= 0) {
                    throw new LabException("container " + spec.name() + " exited at once: " + tail(engine().logs(id), 5));
                }
                return Procs.ref(st.pid());
            } finally {
                createLock.readLock().unlock();
            }
        });
    }

    /** Creates and starts pod containers (in parallel): they may run to completion at once (a client). */
    private void run(List<DockerEngine.Spec> specs) {
        parallel(specs, spec -> {
            createLock.readLock().lock();
            try {
                if (cancelled) throw new LabException("cancelled: the lab is being destroyed");
                return engine().run(spec);
            } finally {
                createLock.readLock().unlock();
            }
        });
    }

    // ---------------------------------------------------------------- status, exec, logs


    /** What the engine says of each container, for kubelet's status and the prober (see {@link PodFacts}). */
    @Override
    public PodFacts podFacts(LabState s, PodRecord pod, java.util.function.Predicate<ContainerRecord> portsFor) {
        boolean up = Procs.alive(pod.sandbox());
        List<PodFacts.ContainerFacts> cs = new ArrayList<>();
        for (ContainerRecord c : pod.containers()) cs.add(facts(s, pod, c, up, portsFor.test(c)));
        return new PodFacts(pod.sandbox() != null, up, cs);
    }

    @Override
    public PodFacts.ContainerFacts containerFacts(LabState s, PodRecord pod, String container) {
        ContainerRecord c = pod.containers().stream().filter(x -> x.name().equals(container)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no container " + container + " in pod " + pod.name()));
        return facts(s, pod, c, Procs.alive(pod.sandbox()), true);
    }

    private final io.kubenetlab.kernel.PortsListening listeningPorts = new io.kubenetlab.kernel.PortsListening();

    private PodFacts.ContainerFacts facts(LabState s, PodRecord pod, ContainerRecord c, boolean sandboxUp, boolean checkPorts) {
        DockerEngine.State st = sandboxUp ? engine().inspect(containerName(s.name, pod.name(), c.name())) : null;
        if (st == null || st.startedAt() <= 0) return new PodFacts.ContainerFacts(c.name(), 0, 0, null, false);
        int run = st.restartCount() + 1;
        PodFacts.Exit exit = null;
        if (!st.running() && st.exitCode() != null) {
            boolean restarts = st.restarting() || pod.restartPolicy().equals("Always")
                    || (pod.restartPolicy().equals("OnFailure") && st.exitCode() != 0);
            exit = new PodFacts.Exit(run, st.exitCode(), st.finishedAt(), restarts ? 0 : -1);
        }
        boolean ports = st.running() && checkPorts && listeningPorts.check(pod.uid(), c, run, st.pid());
        return new PodFacts.ContainerFacts(c.name(), run, st.startedAt() * 1000, exit, ports);
    }

    @Override
    public Path nodeNetns(LabState s, String node) {
        return Path.of("/run/netns", LabNames.netnsName(s.name, node));
    }

    /**
     * SIGTERM to the container's process, SIGKILL after the grace period: the engine sees it exit and
     * restarts it per the pod's restartPolicy (docker kill would count as a manual stop, which it does not restart).
     */
    @Override
    public boolean killContainer(LabState s, PodRecord pod, String container, java.time.Duration grace) {
        DockerEngine.State st = engine().inspect(containerName(s.name, pod.name(), container));
        if (st == null || !st.running() || st.pid() <= 0) return false;
        ProcessHandle.of(st.pid()).ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        while (Procs.aliveOrZombieGone(st.pid()) && System.nanoTime() < deadline) Procs.sleep(20);
        if (Procs.aliveOrZombieGone(st.pid())) Procs.killAndWait(List.of(st.pid()), 5000);
        return true;
    }

    /**
     * SIGTERM through the engine to each container's init, which passes it to the container's process
     * (as the netns runtime signals it directly: a process without a handler ends at once on both). The
     * engine counts it as a manual stop and does not restart the container.
     */
    @Override
    public void terminatePod(LabState s, PodRecord pod) {
        for (ContainerRecord c : pod.containers()) engine().signal(containerName(s.name, pod.name(), c.name()), "SIGTERM");
    }

    @Override
    public boolean pauseDaemon(LabState s, String machine, String daemon, boolean pause) {
        String name = containerName(s.name, machine, daemon);
        DockerEngine.State st = engine().inspect(name);
        if (st == null || !st.running()) return false;
        engine().pause(name, pause);
        return true;
    }

    @Override
    public List<String> execCommand(LabState s, String target, String container, List<String> argv) {
        ExecTarget t = execTarget(s, target, container);
        // docker exec's view, entered from the host: the container's namespaces, root and working
        // directory (--root and --wd without a value take the target's), its environment.
        List<String> full = Kernel.enterArgv(t.state().pid(), null, true);
        full.addAll(List.of("env", "-i"));
        full.addAll(t.env());
        full.addAll(argv);
        return full;
    }

    /** The container's own /dev/pts, from the host: a terminal for exec is made there, as docker exec -t makes it. */
    @Override
    public Path terminalDir(LabState s, String target, String container) {
        return Path.of("/proc", Long.toString(execTarget(s, target, container).state().pid()), "root", "dev", "pts");
    }

    /** The running container an exec enters, and the environment it gets. */
    private record ExecTarget(DockerEngine.State state, List<String> env) {}

    private ExecTarget execTarget(LabState s, String target, String container) {
        String name;
        List<String> env = new ArrayList<>();
        var pod = s.pod(target);
        if (pod.isPresent()) {
            PodRecord p = pod.get();
            ContainerRecord c = container == null ? p.containers().get(0) : p.containers().stream()
                    .filter(x -> x.name().equals(container)).findFirst()
                    .orElseThrow(() -> new LabException("container " + container + " is not valid for pod " + target));
            name = containerName(s.name, p.name(), c.name());
            DockerEngine.State app = engine().inspect(name);
            if (app != null && !app.running()) {
                // A container that ran to completion leaves its pod's sandbox (as the netns runtime
                // does): exec there, same userland, the pod's network and files, the container's env.
                env.addAll(app.env());
                name = sandboxName(s.name, p.name());
            }
        } else {
            MachineRecord m = s.machine(target).orElseThrow(() -> new LabException("no pod, node or host named \"" + target
                    + "\" in lab " + s.name));
            boolean runs = s.topology.hosts().stream().anyMatch(h -> h.name().equals(m.name()) && h.runs());
            name = runs ? containerName(s.name, m.name(), "main") : sandboxName(s.name, m.name());
        }
        DockerEngine.State st = engine().inspect(name);
        if (st == null || !st.running()) throw new LabException(target + " is not running (its container " + name + " is "
                + (st == null ? "gone" : st.status()) + ")");
        if (env.isEmpty()) env.addAll(st.env());
        String term = System.getenv("TERM");
        if (term != null) env.add("TERM=" + term);
        return new ExecTarget(st, env);
    }

    /**
     * The engine keeps the output (see {@link #logs}); readers that want a file (the API server's
     * pods/log) get a snapshot of it, written now under the pod's state directory.
     */
    @Override
    public Path logFile(LabState s, PodRecord pod, String container) {
        Path f = paths(s).container(pod, container).resolve("log.snapshot");
        // Written whole, then renamed: a reader (another request) never sees half a snapshot.
        Path tmp = f.resolveSibling("log.snapshot." + Thread.currentThread().getId());
        write(tmp, engine().logs(containerName(s.name, pod.name(), container)));
        try {
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    @Override
    public String logs(LabState s, String target, String container) {
        var pod = s.pod(target);
        String name = pod.isPresent() ? containerName(s.name, target, container != null ? container : pod.get().containers().get(0).name())
                : containerName(s.name, target, "main");
        return engine().logs(name);
    }

    // ---------------------------------------------------------------- delete, destroy

    @Override
    public void deletePods(LabState s, List<PodRecord> pods, PlanApplier applier) {
        List<String> ids = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (PodRecord p : pods) {
            for (ContainerRecord c : p.containers()) ids.add(containerName(s.name, p.name(), c.name()));
            ids.add(sandboxName(s.name, p.name()));
            if (Files.exists(Path.of(NETNS_DIR + p.netns()))) lines.add("netns del " + p.netns());
        }
        kernel.ipBatchBestEffort(null, lines);
        parallel(ids, id -> {
            engine().remove(id);
            return null;
        });
        Sandboxes.release(s, stateRoot, pods, applier);
    }

    @Override
    public void cancel() {
        createLock.writeLock().lock();
        cancelled = true;
        createLock.writeLock().unlock();
    }

    @Override
    public void destroy(LabState s) {
        // The attached names only pin the containers' namespaces: release them, then remove every
        // container carrying the lab's label (found by label, so one created just before a crash too).
        List<String> lines = new ArrayList<>();
        for (String ns : s.netns) if (Files.exists(Path.of(NETNS_DIR + ns))) lines.add("netns del " + ns);
        kernel.ipBatchBestEffort(null, lines);
        parallel(engine().withLabel(LABEL_LAB, s.name), id -> {
            engine().remove(id);
            return null;
        });
    }

    @Override
    public void close() {
        if (engine != null) engine.close();
    }

    // ---------------------------------------------------------------- helpers

    private static <T, R> List<R> parallel(List<T> items, java.util.function.Function<T, R> f) {
        if (items.isEmpty()) return List.of();
        if (items.size() == 1) return java.util.Collections.singletonList(f.apply(items.get(0)));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(PARALLELISM, items.size()));
        try {
            List<java.util.concurrent.Future<R>> futures = new ArrayList<>();
            for (T item : items) futures.add(pool.submit(() -> f.apply(item)));
            List<R> out = new ArrayList<>();
            RuntimeException first = null;
            for (var fu : futures) {
                try {
                    out.add(fu.get());
                } catch (Exception e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    if (first == null) first = cause instanceof RuntimeException re ? re : new LabException(String.valueOf(cause.getMessage()));
                    out.add(null);
                }
            }
            if (first != null) throw first;
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static String tail(String s, int lines) {
        if (s == null || s.isBlank()) return "(no output)";
        List<String> all = s.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
