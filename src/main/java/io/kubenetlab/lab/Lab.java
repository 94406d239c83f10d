package io.kubenetlab.lab;

import io.kubenetlab.client.ApiClient;
import io.kubenetlab.client.LabClient;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.model.Defaults;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabNames;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.Topology;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.Ruleset;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.topology.TopologyLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A lab, for the CLI, the tests and other Java code: deploy one from a lab file, open a running one,
 * look into it, change it through its Kubernetes API, destroy it. A thin facade: {@link Deployer}
 * builds labs, {@link LabEngine} holds one, {@link LabClient} talks to its API. {@link #close()}
 * destroys the lab, so tests can use try-with-resources.
 */
public final class Lab implements AutoCloseable {
    private final LabEngine engine;
    private final LabClient client;

    Lab(LabEngine engine) {
        this.engine = engine;
        this.client = new LabClient(engine.store(), engine.name());
    }

    /**
     * Options of a deploy; {@code name} overrides the lab file's name (tests use unique names),
     * {@code runtime}, {@code cni} and {@code proxyMode} the file's choices (null: the lab file's);
     * {@code session} (null for the CLI's labs) marks the lab as this JVM's, so that a later run
     * removes it if this JVM dies without destroying it ({@link io.kubenetlab.store.LabSession}).
     */
    public record Options(String name, Duration readyTimeout, Progress progress, String runtime, String cni, String proxyMode, String session) {
        public static Options defaults() {
            return new Options(null, Duration.ofSeconds(Defaults.READY_TIMEOUT_SECONDS), Progress.SILENT, null, null, null, null);
        }

        public Options withName(String n) {
            return new Options(n, readyTimeout, progress, runtime, cni, proxyMode, session);
        }

        public Options withProgress(Progress p) {
            return new Options(name, readyTimeout, p, runtime, cni, proxyMode, session);
        }

        public Options withReadyTimeout(Duration d) {
            return new Options(name, d, progress, runtime, cni, proxyMode, session);
        }

        public Options withRuntime(String r) {
            return new Options(name, readyTimeout, progress, r, cni, proxyMode, session);
        }

        public Options withCni(String c) {
            return new Options(name, readyTimeout, progress, runtime, c, proxyMode, session);
        }

        public Options withProxyMode(String m) {
            return new Options(name, readyTimeout, progress, runtime, cni, m, session);
        }

        /** Owned by this JVM: {@code owner} says who in the session file (e.g. the test class). */
        public Options withSession(String owner) {
            return new Options(name, readyTimeout, progress, runtime, cni, proxyMode, owner);
        }
    }

    // ---------------------------------------------------------------- deploy and open

    public static Lab deploy(Path topologyFile) {
        return deploy(topologyFile, Options.defaults());
    }

    public static Lab deploy(Path topologyFile, Options options) {
        return deploy(TopologyLoader.load(topologyFile), options, LabStore.fromEnvironment());
    }

    /** Validates everything, then builds the lab step by step; a failure rolls back what was made. */
    public static Lab deploy(Topology topology, Options options, LabStore store) {
        return Deployer.deploy(topology, options, store);
    }

    public static Lab open(String name) {
        return open(name, LabStore.fromEnvironment());
    }

    public static Lab open(String name, LabStore store) {
        return new Lab(LabEngine.open(name, store));
    }

    /** The lab a command means: the one named, or the only one there is. */
    public static String resolveName(String requested, LabStore store) {
        if (requested != null) return LabStore.checkName(requested);
        List<String> labs = store.list();
        if (labs.isEmpty()) throw new LabException("no lab is running; start one with: kubenetlab deploy -t topologies/service-network.yaml");
        if (labs.size() > 1) throw new LabException("several labs are running (" + String.join(", ", labs) + "): choose one with --lab NAME");
        return labs.get(0);
    }

    /** Opens the lab as a reader: the controller owns its state. */
    public Lab reader() {
        engine.becomeReader();
        return this;
    }

    LabEngine engine() {
        return engine;
    }

    // ---------------------------------------------------------------- look

    public String name() {
        return engine.name();
    }

    /** The lab's state as last saved (read again from disk: the controller owns it). */
    public LabState state() {
        return engine.state();
    }

    public Topology topology() {
        return state().topology;
    }

    public List<PodRecord> pods() {
        return List.copyOf(state().pods);
    }

    public PodRecord pod(String name) {
        return engine.pod(name);
    }

    /** The pod's status as kubelet reports it. */
    public PodStatus status(PodRecord pod) {
        return engine.status(pod);
    }

    /** The lab's plan: what its machines and pods should hold now. */
    public LabPlan plan() {
        return engine.plan();
    }

    /** The exact ruleset kube-proxy gives this node now. */
    public String renderRules(String node) {
        requireNode(node);
        return plan().machine(node).orElseThrow().ruleset("kube-proxy").orElseThrow().text();
    }

    /** The node's live rules in the lab's kube-proxy mode: its nat and filter tables as iptables-save prints them, or nft's ruleset. */
    public String liveRules(String node) {
        requireNode(node);
        String backend = plan().machine(node).orElseThrow().ruleset("kube-proxy").map(Ruleset::backend).orElse(Ruleset.IPTABLES_LEGACY);
        return engine.kernel().saveRuleset(LabNames.netnsName(name(), node), backend);
    }

    private void requireNode(String node) {
        topology().node(node).orElseThrow(() -> new LabException("no node named \"" + node + "\" in lab " + name()));
    }

    /** The directory of a machine's daemon: its config, control socket and log ({@code <state>/machines/<machine>/<daemon>}). */
    public Path daemonDir(String machine, String daemon) {
        return new io.kubenetlab.model.LabPaths(engine.store().labDir(name())).machine(machine).resolve(daemon);
    }

    /**
     * Freezes or thaws a machine's daemon (a BGP daemon that hangs: its peers withdraw its routes when
     * their hold timer expires, and learn them again once it answers). False if it does not run.
     */
    public boolean pauseDaemon(String machine, String daemon, boolean pause) {
        if (plan().machine(machine).map(m -> m.daemons().stream().noneMatch(d -> d.name().equals(daemon))).orElse(true)) {
            throw new LabException("machine \"" + machine + "\" of lab " + name() + " runs no " + daemon);
        }
        return engine.runtime().pauseDaemon(state(), machine, daemon, pause);
    }

    /** A machine's IPv4 routes as its kernel holds them now (those a routing daemon installed carry its proto). */
    public List<io.kubenetlab.plan.RoutePlan> liveRoutes(String machine) {
        return io.kubenetlab.runtime.LiveState.tables(engine.kernel(), plan().machine(machine)
                .orElseThrow(() -> new LabException("no machine named \"" + machine + "\" in lab " + name())).netns()).routes();
    }

    /** Traces one real connection from FROM to TO hop by hop (see {@link Tracer}); leaves nothing behind. */
    public io.kubenetlab.trace.TraceReport trace(String from, String to, String protocol, int sourcePort) {
        return new Tracer(engine).trace(new Tracer.Request(from, to, protocol, sourcePort));
    }

    /** Runs argv in a pod, node, host or the router, attached to this terminal. */
    public int exec(String target, String container, List<String> argv) {
        return engine.exec(target, container, argv);
    }

    /** Runs argv in a pod, node, host or the router and captures its output. */
    public Kernel.Result execCapture(String target, List<String> argv) {
        return engine.execCapture(target, argv);
    }

    /**
     * Runs argv in a pod, node, outside host or the router and captures its exit code and output:
     * {@code lab.exec("client", "nslookup", "checkout").stdout()}.
     */
    public Kernel.Result exec(String target, String... argv) {
        if (argv.length == 0) throw new IllegalArgumentException("exec: no command");
        return execCapture(target, List.of(argv));
    }

    /**
     * A load generator: {@code requests().from("client").to("checkout", 80).times(300).run()} sends
     * real connections from a pod or host and counts every answer by pod, and every failure.
     */
    public LoadGenerator requests() {
        return new LoadGenerator((from, argv) -> execCapture(from, argv).stdout());
    }

    /** The lab controller's log file (its API server's and reconciler's messages). */
    public Path controllerLog() {
        return new io.kubenetlab.client.ControllerFiles(engine.store(), name()).log();
    }

    public Path logFile(String pod, String container) {
        return engine.logFile(pod, container);
    }

    /** What a pod's container (or an outside host's command) printed so far. */
    public String logs(String pod, String container) {
        return engine.logs(pod, container);
    }

    /** What a pod's first container (or an outside host's command) printed so far. */
    public String logs(String pod) {
        return engine.logs(pod, null);
    }

    // ---------------------------------------------------------------- change, through the API

    /** A client of this lab's API (its controller is started again if it died). */
    public ApiClient api() {
        return client.api();
    }

    /** The kubeconfig kubectl uses for this lab. */
    public Path kubeconfig() {
        return client.kubeconfig();
    }

    /**
     * A fabric8 Kubernetes client of this lab's API, configured from its kubeconfig; the caller
     * closes it. fabric8 ({@code io.fabric8:kubernetes-client} and {@code kubernetes-httpclient-jdk})
     * must be on the class path: the CLI's jar leaves it out.
     */
    public io.fabric8.kubernetes.client.KubernetesClient kubernetesClient() {
        return KubernetesClients.fromKubeconfig(kubeconfig());
    }

    /** Waits until the Deployment of namespace {@code default} has its desired replicas, all ready (see the overload). */
    public void awaitReady(String deployment, Duration timeout) {
        awaitReady("default", deployment, timeout);
    }

    /**
     * Waits until a Deployment has exactly its desired replicas, all ready, no pod of its namespace
     * still terminating, and its pods' declared TCP ports listen, so traffic sent next is served;
     * fails with what it saw after {@code timeout}.
     */
    public void awaitReady(String namespace, String deployment, Duration timeout) {
        client.awaitDeploymentReady(namespace, deployment, timeout);
        awaitTcpPorts();
    }

    /**
     * {@code kubectl scale} through the lab's API; returns once the Deployment has its replicas, all
     * ready, and the endpoints and every node's rules follow.
     */
    public void scale(String deployment, String namespace, int replicas) {
        client.scale(deployment, namespace, replicas);
        awaitTcpPorts();
    }

    /** {@code kubectl delete pod} through the lab's API; a Deployment's pod is replaced (new name), and this waits for it. */
    public void deletePods(List<String> names) {
        for (String n : names) client.deletePod(pod(n).namespace(), n);
        awaitDeploymentsReady();
    }

    /** Waits until every Deployment has exactly its replicas, all ready (the controller saves its state meanwhile). */
    public void awaitDeploymentsReady() {
        client.awaitDeploymentsReady();
        awaitTcpPorts();
    }

    /**
     * Deploy's ordering convenience after a wait for Ready (kubelet's: running is enough without a
     * readiness probe): every Deployment pod's declared TCP ports listen, so traffic sent next is served.
     */
    private void awaitTcpPorts() {
        awaitNone(() -> state().pods.stream().filter(p -> "ReplicaSet".equals(p.ownerKind()) || "Deployment".equals(p.ownerKind()))
                .filter(p -> !engine.tcpPortsListen(p)).map(PodRecord::name).toList(), "declared TCP ports not listening: ");
    }

    /** Polls {@code waiting} (what is not there yet) until it is empty; fails with what still waits after the ready timeout. */
    private static void awaitNone(java.util.function.Supplier<List<String>> waiting, String failure) {
        long deadline = System.nanoTime() + Duration.ofSeconds(Defaults.READY_TIMEOUT_SECONDS).toNanos();
        while (true) {
            List<String> left = waiting.get();
            if (left.isEmpty()) return;
            if (System.nanoTime() > deadline) throw new LabException(failure + String.join(", ", left));
            io.kubenetlab.kernel.Procs.sleep(20);
        }
    }

    // ---------------------------------------------------------------- faults, for test suites

    /**
     * Kills a pod as {@code kubectl delete pod NAME --grace-period=0 --force} does: through the lab's API
     * without a grace period, so it leaves its Services' endpoints and every node's rules, and its
     * processes get SIGKILL, at once. Returns once no node's live kube-proxy rules ({@link #liveRules})
     * name its IP any more, so requests sent next never reach it; a Deployment's replacement is not
     * waited for ({@link #awaitReady}). Throws a {@link LabException} for an unknown pod.
     */
    public void kill(String pod) {
        PodRecord p = pod(pod);
        client.forceDeletePod(p.namespace(), p.name());
        awaitRulesWithout(p);
    }

    private void awaitRulesWithout(PodRecord killed) {
        String ip = killed.ip().toString();
        awaitNone(() -> {
            // A new pod may have been given the same address meanwhile: then its rules are its own.
            boolean reused = state().pods.stream().anyMatch(x -> !x.uid().equals(killed.uid()) && ip.equals(String.valueOf(x.ip())));
            return reused ? List.of() : topology().nodes().stream().map(Topology.NodeSpec::name)
                    .filter(n -> FaultRules.names(liveRules(n), ip)).toList();
        }, "kill " + killed.name() + ": these nodes' rules still name its IP " + ip + ": ");
    }

    /**
     * Takes a machine's (a node's or an outside host's) link to its network down: {@code ip link set
     * eth0 down} inside its namespace. Its routes through that link go with it, as the kernel does.
     */
    public void linkDown(String machine) {
        faults().linkDown(machine);
    }

    /** Brings a machine's link up again, with the routes and neighbour entries the kernel dropped when it went down. */
    public void linkUp(String machine) {
        faults().linkUp(machine);
    }

    /**
     * Partitions two machines (nodes or outside hosts): netfilter in both namespaces drops every packet
     * between them, both ways — their addresses and the pod CIDRs they host, overlay (VXLAN) traffic
     * included — in a table of its own ({@code inet kubenetlab-faults}) that kube-proxy never touches.
     * Other machines still reach both.
     */
    public void partition(String a, String b) {
        faults().partition(a, b);
    }

    /** Removes exactly the drops {@link #partition} made between {@code a} and {@code b} (nothing partitioned: nothing done). */
    public void heal(String a, String b) {
        faults().heal(a, b);
    }

    /**
     * Limits the egress of a target to {@code rate} (tc's syntax: {@code 1mbit}, {@code 500kbit},
     * {@code 100kbps}) with a tbf qdisc: a node's or outside host's uplink, or a pod's eth0 (inside the
     * pod's namespace). A second call replaces the rate. The rate is checked before anything changes.
     */
    public void rateLimit(String target, String rate) {
        faults().rateLimit(target, rate);
    }

    /** Removes a target's rate limit (nothing limited: nothing done). */
    public void clearRateLimit(String target) {
        faults().clearRateLimit(target);
    }

    private Faults faults() {
        return new Faults(engine.kernel(), name(), topology(), plan());
    }

    // ---------------------------------------------------------------- destroy

    /** Removes everything the lab made: its controller, processes, namespaces (with their links), state files. */
    public void destroy() {
        engine.destroy();
    }

    /** Destroys a lab by name from its saved state; works after a crashed or killed deploy. */
    public static void destroy(String name, LabStore store) {
        if (!store.exists(name)) return;
        LabEngine engine;
        try {
            engine = LabEngine.open(name, store);
        } catch (LabException e) {
            // Killed before the first save: nothing was created yet, only the directory.
            store.delete(name);
            return;
        }
        engine.destroy();
    }

    @Override
    public void close() {
        destroy();
    }
}
