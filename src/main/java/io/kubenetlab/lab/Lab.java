package io.kubenetlab.lab;

import io.kubenetlab.kubelet.KubeletStatus;
import io.kubenetlab.model.ProbeView;

import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ObjectMetaFields;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.LabException;
import io.kubenetlab.kubelet.EventSink;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.cluster.ClusterPlanner;
import io.kubenetlab.cluster.ClusterPlanner.Workload;
import io.kubenetlab.cluster.EndpointsController;
import io.kubenetlab.proxy.ProxyInputs;
import io.kubenetlab.proxy.KubeProxyRules;
import io.kubenetlab.lb.LoadBalancerPlan;
import io.kubenetlab.lb.LoadBalancerRules;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.proxy.NodeSettings;
import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.runtime.SandboxRuntime;
import io.kubenetlab.lab.Runtimes;
import io.kubenetlab.model.Topology;
import io.kubenetlab.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A lab: the engine behind the CLI and the tests. {@link #deploy} validates everything, then builds
 * the lab as an ordered list of named steps, saving the state after each; a failure rolls back what
 * was made. {@link #close()} destroys the lab, so tests can use try-with-resources.
 */
public final class Lab implements AutoCloseable {
    private final LabStore store;
    private final Kernel kernel;
    private final SandboxRuntime runtime;
    private LabState state;
    /** kubelet's prober for this lab's pods; started by deploy or {@link #probes()}, stopped by {@link #stopBackground()}. */
    private volatile io.kubenetlab.kubelet.ProbeManager probes;
    private volatile EventSink events = EventSink.NONE;

    private Lab(LabStore store, Kernel kernel, LabState state) {
        this(store, kernel, state, Runtimes.create(state.runtime, kernel, store.root()));
    }

    private Lab(LabStore store, Kernel kernel, LabState state, SandboxRuntime runtime) {
        this.store = store;
        this.kernel = kernel;
        this.runtime = runtime;
        this.state = state;
    }

    /**
     * Options of a deploy; {@code name} overrides the lab file's name (tests use unique names),
     * {@code runtime} its runtime (null: the lab file's).
     */
    public record Options(String name, Duration readyTimeout, Progress progress, String runtime) {
        public static Options defaults() {
            return new Options(null, Duration.ofSeconds(io.kubenetlab.model.Defaults.READY_TIMEOUT_SECONDS), Progress.SILENT, null);
        }

        public Options withName(String n) {
            return new Options(n, readyTimeout, progress, runtime);
        }

        public Options withProgress(Progress p) {
            return new Options(name, readyTimeout, p, runtime);
        }

        public Options withReadyTimeout(Duration d) {
            return new Options(name, d, progress, runtime);
        }

        public Options withRuntime(String r) {
            return new Options(name, readyTimeout, progress, r);
        }
    }

    public static Lab deploy(Path topologyFile) {
        return deploy(topologyFile, Options.defaults());
    }

    public static Lab deploy(Path topologyFile, Options options) {
        return deploy(TopologyLoader.load(topologyFile), options, LabStore.fromEnvironment());
    }

    public static Lab deploy(Topology topology, Options options, LabStore store) {
        String name = options.name() != null ? options.name() : topology.name();
        if (options.name() != null) {
            topology = topology.withName(name);
        }
        if (options.runtime() != null) {
            if (!io.kubenetlab.model.Defaults.RUNTIMES.contains(options.runtime())) {
                throw new LabException("--runtime: unknown runtime \"" + options.runtime() + "\" (known: "
                        + String.join(", ", io.kubenetlab.model.Defaults.RUNTIMES) + ")");
            }
            topology = topology.withRuntime(options.runtime());
        }
        Progress progress = options.progress();
        // Everything is validated before the kernel is touched.
        HostTools.check();
        List<KubeObject> objects = new ArrayList<>(io.kubenetlab.dns.DnsAddon.objects(
                io.kubenetlab.runtime.PodFiles.dnsAddress(topology.serviceCidr()), zoneFile(store, name),
                io.kubenetlab.model.Defaults.CLUSTER_DOMAIN));
        List<ManifestLoader.Parsed> parsed = ManifestLoader.loadParsed(topology.manifests());
        parsed.forEach(pm -> objects.add(pm.object()));
        List<Workload> workloads = new ClusterPlanner(name, topology, ImageCatalog.ofHost(), store.root()).plan(objects);
        Kernel kernel = new Kernel();
        SandboxRuntime runtime = Runtimes.create(topology.runtime(), kernel, store.root());
        runtime.check(topology, workloads.stream().flatMap(w -> w.pods().stream()).toList());

        store.claim(name);
        LabState state = new LabState();
        state.name = name;
        state.runtime = topology.runtime();
        state.createdAt = Instant.now().toString();
        state.topology = topology;
        for (ManifestLoader.Parsed pm : parsed) {
            var m = pm.object().metadata();
            state.manifests.put(LabState.manifestKey(pm.object().kind(), m.namespace(), m.name()), ObjectMetaFields.userPart(pm.json()));
        }
        Lab lab = new Lab(store, kernel, state, runtime);
        Runnable save = () -> store.save(state);
        save.run();
        // Ctrl-C or a kill during deploy still rolls back what was made.
        // The deploying thread keeps writing pod files until it notices the cancel: the rollback waits
        // for it (a few seconds at most), or it would delete the lab's directory under its feet.
        java.util.concurrent.CountDownLatch deployStopped = new java.util.concurrent.CountDownLatch(1);
        Thread rollbackOnExit = new Thread(() -> {
            lab.rollingBack = true;
            lab.runtime.cancel();
            try {
                deployStopped.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lab.destroyQuietly();
        }, "kubenetlab-rollback-" + name);
        java.lang.Runtime.getRuntime().addShutdownHook(rollbackOnExit);
        String current = "Validate";
        try {
            current = "Create router, " + topology.nodes().size() + " node(s), " + topology.hosts().size() + " host(s)";
            lab.step(progress, current, () -> {
                lab.runtime.createMachines(state, save);
                return null;
            });
            boolean hostsReady = false;
            boolean servicesPending = false;
            for (Workload w : workloads) {
                // Outside hosts (a database) start with the machines; the cluster add-ons come up
                // meanwhile, and the lab's own workloads wait for the hosts' ports.
                if (!hostsReady && !"kube-system".equals(w.object().metadata().namespace())) {
                    hostsReady = true;
                    List<String> ports = new ArrayList<>();
                    topology.hosts().forEach(h -> h.ports().forEach(port -> ports.add(h.name() + ":" + port)));
                    if (!ports.isEmpty()) {
                        current = "Wait for outside hosts to listen (" + String.join(", ", ports) + ")";
                        lab.step(progress, current, () -> {
                            lab.runtime.waitForHosts(state);
                            return null;
                        });
                    }
                }
                if (!w.hasPods()) {
                    current = (w.service() != null ? "Create " : "Set ") + w.describe() + (w.service() != null ? serviceSummary(w.service()) : "");
                    lab.step(progress, current, () -> {
                        if (w.service() != null) state.services.add(w.service());
                        else state.manualEndpoints.put(w.endpoints().metadata().key(), EndpointsController.fromManifest(w.endpoints()));
                        return null;
                    });
                    // Services in a row are programmed together, before the next pods need them.
                    servicesPending = true;
                    continue;
                }
                if (servicesPending) {
                    servicesPending = false;
                    current = "Program Services (endpoints, rules on every node, DNS)";
                    lab.step(progress, current, () -> {
                        lab.syncServices();
                        lab.awaitDnsZone();
                        return null;
                    });
                }
                current = "Create " + w.describe() + " (" + w.pods().size() + " pod" + (w.pods().size() == 1 ? "" : "s") + ")";
                lab.step(progress, current, () -> {
                    if (w.deployment() != null) state.deployments.add(w.deployment());
                    for (PodRecord p : w.pods()) state.putPod(p);
                    lab.runtime.createPods(state, w.pods(), save);
                    lab.probes().sync(List.copyOf(state.pods));
                    return null;
                });
                current = "Wait for " + w.describe() + (w.deployment() != null ? " to be ready" : " to be ready or complete");
                lab.step(progress, current, () -> {
                    lab.waitReady(w, options.readyTimeout());
                    lab.syncServices();
                    return null;
                });
            }
            // The controller runs the lab's prober from now on: one prober per lab (two would both kill).
            lab.stopBackground();
            if (servicesPending) {
                current = "Program Services (endpoints, rules on every node, DNS)";
                lab.step(progress, current, () -> {
                    lab.syncServices();
                    return null;
                });
            }
            current = "Start the lab's controller (Kubernetes API)";
            lab.step(progress, current, () -> io.kubenetlab.client.ControllerProcess.start(store, name));
        } catch (RuntimeException e) {
            progress.failed(current, e.getMessage() != null ? e.getMessage() : e.toString());
            long t0 = System.nanoTime();
            lab.destroyQuietly();
            progress.done("Roll back: removed everything this deploy created", (System.nanoTime() - t0) / 1_000_000);
            throw e;
        } finally {
            deployStopped.countDown();
            try {
                java.lang.Runtime.getRuntime().removeShutdownHook(rollbackOnExit);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook is running
            }
        }
        return lab.reader();
    }

    /** Set when a signal rolls the deploy back: the waits give up at once. */
    private volatile boolean rollingBack;

    private static String serviceSummary(ServiceRecord s) {
        if (s.clusterIP() == null) return " (ExternalName " + s.externalName() + ")";
        return " (" + s.type() + (s.headless() ? ", headless" : " " + s.clusterIP()) + ")";
    }

    /**
     * The endpoints controller and kube-proxy, one pass: recompute every Service's endpoints from the
     * pods' status, then give each node its whole ruleset in one iptables-restore. A node whose
     * ruleset did not change is left alone, so applying the same state twice changes nothing.
     */
    public synchronized void syncServices() {
        syncServices(statuses());
    }

    /** Every pod's status as the runtime (and the prober, when it runs) sees it now, by pod name. */
    public synchronized Map<String, PodStatus> statuses() {
        Map<String, PodStatus> out = new java.util.HashMap<>();
        for (PodRecord p : state.pods) out.put(p.name(), status(p));
        return out;
    }

    /**
     * One pass with the given pod statuses; returns whether any node's rules (or the router's routes,
     * or the load balancer) had to change.
     */
    public synchronized boolean syncServices(Map<String, PodStatus> statuses) {
        List<EndpointsController.PodState> pods = new ArrayList<>();
        for (PodRecord p : state.pods) {
            PodStatus st = statuses.get(p.name());
            if (st == null) st = status(p);
            pods.add(new EndpointsController.PodState(p, st.ready(), st.finished()));
        }
        java.util.Map<String, List<EndpointRecord>> eps = new java.util.TreeMap<>();
        for (ServiceRecord s : state.services) {
            eps.put(s.key(), s.selector() != null ? EndpointsController.forService(s, pods)
                    : state.manualEndpoints.getOrDefault(s.key(), List.of()));
        }
        boolean endpointsChanged = !eps.equals(state.endpoints) || !state.services.equals(lastServices);
        if (!endpointsChanged && !appliedRules.isEmpty()) return false; // nothing a rule depends on changed
        state.endpoints = eps;
        lastServices = List.copyOf(state.services);
        boolean changed = applyNodeRules(ProxyInputs.of(state.services, eps));
        java.util.Set<Ipv4> externalIPs = new java.util.TreeSet<>();
        state.services.forEach(s -> externalIPs.addAll(s.externalIPs()));
        String routes = externalIPs.toString();
        if (!routes.equals(appliedRules.get("router"))) {
            runtime.syncExternalRoutes(state, externalIPs);
            appliedRules.put("router", routes);
            changed = true;
        }
        if (state.topology.loadBalancer() != null) {
            java.util.Set<Ipv4> lbIPs = new java.util.TreeSet<>();
            state.services.forEach(s -> lbIPs.addAll(s.loadBalancerIPs()));
            String table = LoadBalancerRules.render(LoadBalancerPlan.listeners(state.services, eps, state.topology.nodes()));
            if (!table.equals(appliedRules.get(Topology.LOAD_BALANCER))) {
                runtime.syncLoadBalancer(state, lbIPs, table);
                appliedRules.put(Topology.LOAD_BALANCER, table);
                changed = true;
            }
        }
        if (endpointsChanged) {
            // After the rules: the state and the DNS zone follow, off the network-programming path.
            store.save(state);
            writeZone(eps);
        }
        return changed;
    }

    /**
     * kube-proxy on every node, at once: each node's ruleset is rendered whole, and what changed since
     * its last sync goes in one iptables-restore; a node whose ruleset did not change is left alone. Nodes take
     * their own xtables lock, so the restores run side by side.
     */
    private boolean applyNodeRules(List<io.kubenetlab.proxy.ServiceEndpoints> inputs) {
        List<java.util.concurrent.CompletableFuture<Boolean>> work = new ArrayList<>();
        for (var node : state.topology.nodes()) {
            NodeSettings settings = NodeSettings.of(node.name(), node.address(), state.topology.clusterCidr());
            String rules = KubeProxyRules.render(inputs, settings);
            String before = appliedRules.get(node.name());
            if (rules.equals(before)) continue;
            work.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                // From what we last gave the node, or (a controller just started) from what it holds now.
                String holds = before != null ? before : runtime.liveRules(state, node.name());
                runtime.applyProxyRules(state, node.name(), io.kubenetlab.proxy.PartialSync.restoreText(holds, rules));
                return true;
            }, RULE_WRITERS));
            appliedRules.put(node.name(), rules);
        }
        try {
            for (var w : work) w.join();
        } catch (java.util.concurrent.CompletionException e) {
            appliedRules.clear(); // unknown what each node holds now: the next sync reads them again
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return !work.isEmpty();
    }

    private static final java.util.concurrent.ExecutorService RULE_WRITERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kubenetlab-rules");
        t.setDaemon(true);
        return t;
    });

    /** The Services the last sync saw: a change to them (not only to endpoints) needs new rules. */
    private List<ServiceRecord> lastServices = List.of();

    // ---------------------------------------------------------------- change

    /**
     * {@code kubectl scale} through the lab's API; returns once the Deployment has its replicas, all
     * ready, and the endpoints and every node's rules follow.
     */
    public void scale(String deployment, String namespace, int replicas) {
        if (replicas < 0) throw new LabException("--replicas must be 0 or more");
        var body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        body.putObject("spec").put("replicas", replicas);
        api().patch("/apis/apps/v1/namespaces/" + namespace + "/deployments/" + deployment + "/scale", "application/merge-patch+json", body);
        awaitDeploymentsReady();
    }

    /** {@code kubectl delete pod} through the lab's API; a Deployment's pod is replaced (new name), and this waits for it. */
    public void deletePods(List<String> names) {
        for (String n : names) {
            PodRecord p = pod(n);
            api().delete("/api/v1/namespaces/" + p.namespace() + "/pods/" + n);
        }
        awaitDeploymentsReady();
    }

    /** Waits until every Deployment has exactly its replicas, all ready (the controller saves its state meanwhile). */
    public void awaitDeploymentsReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(io.kubenetlab.model.Defaults.READY_TIMEOUT_SECONDS).toNanos();
        while (true) {
            var list = api().get("/apis/apps/v1/deployments");
            List<String> waiting = new ArrayList<>();
            for (var d : list.path("items")) {
                int want = d.path("spec").path("replicas").asInt();
                if (d.path("status").path("readyReplicas").asInt() != want || d.path("status").path("replicas").asInt() != want) {
                    waiting.add(d.path("metadata").path("name").asText());
                }
            }
            if (waiting.isEmpty()) {
                state();
                return;
            }
            if (System.nanoTime() > deadline) throw new LabException("Deployments not ready: " + String.join(", ", waiting));
            io.kubenetlab.kernel.Procs.sleep(20);
        }
    }

    /** A client of this lab's API (its controller is started again if it died). */
    public synchronized io.kubenetlab.client.ApiClient api() {
        var e = io.kubenetlab.client.ControllerProcess.ensureRunning(store, state.name);
        if (apiClient == null || !e.equals(apiEndpoint)) {
            // Token and certificate are read once per controller, not on every call (waits poll the API).
            var files = new io.kubenetlab.client.ControllerFiles(store, state.name);
            apiClient = new io.kubenetlab.client.ApiClient(e.url(), files.token(), files.tls().clientContext());
            apiEndpoint = e;
        }
        return apiClient;
    }

    private io.kubenetlab.client.ApiClient apiClient;
    private io.kubenetlab.client.ControllerFiles.Endpoint apiEndpoint;

    /** The kubeconfig kubectl uses for this lab. */
    public Path kubeconfig() {
        return new io.kubenetlab.client.ControllerFiles(store, state.name).kubeconfig();
    }

    /** For the controller: the runtime, the store, and saving the state it holds. */
    public SandboxRuntime runtime() {
        return runtime;
    }

    public LabStore store() {
        return store;
    }

    public synchronized void save() {
        store.save(state);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper ZONE_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The cluster DNS's zone file: the DNS pod reloads it within a tenth of a second. */
    static Path zoneFile(LabStore store, String lab) {
        return store.labDir(lab).resolve("dns").resolve("zone.json");
    }

    private void writeZone(java.util.Map<String, List<EndpointRecord>> eps) {
        var zone = io.kubenetlab.dns.ClusterDnsRecords.zone(io.kubenetlab.model.Defaults.CLUSTER_DOMAIN, state.services, eps);
        Path file = zoneFile(store, state.name);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("zone.json.tmp");
            byte[] bytes = ZONE_JSON.writeValueAsBytes(zone);
            zoneVersion = io.kubenetlab.dns.DnsServer.version(bytes);
            Files.write(tmp, bytes);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot write the DNS zone " + file + ": " + e.getMessage());
        }
    }

    /** The version of the zone this process last wrote (see {@link #awaitDnsZone}). */
    private String zoneVersion;

    /**
     * Waits (at most a second) until the cluster DNS serves the zone last written: its server polls the
     * file ten times a second, and a client started right after a Service was created must find it.
     */
    private void awaitDnsZone() {
        if (zoneVersion == null) return;
        PodRecord dns = state.pods.stream().filter(p -> io.kubenetlab.dns.DnsAddon.NAMESPACE.equals(p.namespace())).findFirst().orElse(null);
        if (dns == null) return;
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (logs(dns.name(), null).contains("version " + zoneVersion)) return;
            io.kubenetlab.kernel.Procs.sleep(10);
        }
    }

    /** What this process last applied per node (kube-proxy's own memory of its last sync). */
    private final java.util.Map<String, String> appliedRules = new java.util.HashMap<>();

    /** The exact ruleset kube-proxy gives this node now. */
    public String renderRules(String node) {
        var n = state.topology.node(node).orElseThrow(() -> new LabException("no node named \"" + node + "\" in lab " + state.name));
        return KubeProxyRules.render(ProxyInputs.of(state.services, state.endpoints), NodeSettings.of(n.name(), n.address(), state.topology.clusterCidr()));
    }

    public String liveRules(String node) {
        state.topology.node(node).orElseThrow(() -> new LabException("no node named \"" + node + "\" in lab " + state.name));
        return runtime.liveRules(state, node);
    }

    private <T> T step(Progress progress, String name, Supplier<T> body) {
        progress.start(name);
        long t0 = System.nanoTime();
        T result = body.get();
        progress.done(name, (System.nanoTime() - t0) / 1_000_000);
        return result;
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
                PodStatus st = status(live);
                // A bare pod only has to have run: ready, finished, or restarting per its restartPolicy.
                boolean ran = st.containers().stream().anyMatch(c -> c.exitCode() != null || c.restartCount() > 0);
                boolean ok = st.ready() || (bare && (st.finished() || ran));
                if (!ok) waiting.add(p.name() + " (" + io.kubenetlab.output.KubeView.statusColumn(st) + describeWaiting(st) + ")");
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
            io.kubenetlab.kernel.Procs.sleep(10);
        }
    }

    private static String describeWaiting(PodStatus st) {
        for (PodStatus.ContainerStatus c : st.containers()) {
            if (c.state().equals("running") && !c.ready()) return ", container " + c.name() + " running, its ports not listening yet";
        }
        return "";
    }

    private String lastLog(PodRecord p) {
        String log = runtime.logs(state, p.name(), p.containers().get(0).name());
        if (log.isBlank()) return "(no output)";
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }

    // ---------------------------------------------------------------- open

    public static Lab open(String name) {
        return open(name, LabStore.fromEnvironment());
    }

    public static Lab open(String name, LabStore store) {
        return new Lab(store, new Kernel(), store.load(name));
    }

    /**
     * The lab a command means: the one named, or the only one there is.
     */
    public static String resolveName(String requested, LabStore store) {
        if (requested != null) return requested;
        List<String> labs = store.list();
        if (labs.isEmpty()) throw new LabException("no lab is running; start one with: kubenetlab deploy -t topologies/service-network.yaml");
        if (labs.size() > 1) throw new LabException("several labs are running (" + String.join(", ", labs) + "): choose one with --lab NAME");
        return labs.get(0);
    }

    // ---------------------------------------------------------------- use

    public String name() {
        return state.name;
    }

    /**
     * The lab's state as last saved. Once the controller runs it owns the state, so a lab opened
     * elsewhere (a test, the CLI) reads it again from disk.
     */
    public synchronized LabState state() {
        if (!ownsState && store.exists(state.name)) {
            try {
                state = store.load(state.name);
            } catch (LabException e) {
                // destroyed meanwhile: keep the last one
            }
        }
        return state;
    }

    /** True in the process that changes the state (the deploying command until it hands over, the controller). */
    private boolean ownsState = true;

    /** Opens the lab as a reader: the controller owns its state. */
    public Lab reader() {
        ownsState = false;
        return this;
    }

    public Topology topology() {
        return state.topology;
    }

    public List<PodRecord> pods() {
        return List.copyOf(state().pods);
    }

    public PodRecord pod(String name) {
        return state().pod(name).orElseThrow(() -> new LabException("pods \"" + name + "\" not found in lab " + state.name));
    }

    /** The pod's status as kubelet reports it: with probe results once the prober runs. */
    public PodStatus status(PodRecord pod) {
        io.kubenetlab.kubelet.ProbeManager m = probes;
        // Without a prober: today's readiness rule (running and ports listening), no probe results.
        return m != null ? m.status(pod) : KubeletStatus.derive(pod, runtime.podFacts(state, pod), ProbeView.NONE, System.currentTimeMillis());
    }

    // ---------------------------------------------------------------- probes

    /**
     * The lab's prober (kubelet's probe workers and its once-a-second relist), started on first use
     * and following the lab's pods. Deploy starts it; a Lab opened from saved state starts it here.
     */
    public synchronized io.kubenetlab.kubelet.ProbeManager probes() {
        if (probes == null) {
            EventSink relay = (ns, kind, name, type, reason, message) -> events.emit(ns, kind, name, type, reason, message);
            probes = new io.kubenetlab.kubelet.ProbeManager(runtime, state,
                    new io.kubenetlab.kubelet.KubeletChecker(runtime, state, kernel), relay);
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

    /** Stops the prober's threads (the lab keeps running). Safe to call twice. */
    public synchronized void stopBackground() {
        if (probes != null) probes.close();
        probes = null;
    }

    /** Runs argv in a pod, node, host or the router, attached to this terminal. */
    public int exec(String target, String container, List<String> argv) {
        return kernel.interactive(runtime.execCommand(state(), target, container, argv), Map.of("PATH", ImageCatalog.SYSTEM_PATH));
    }

    /** Runs argv in a pod, node, host or the router and captures its output. */
    public Kernel.Result execCapture(String target, List<String> argv) {
        return kernel.run(runtime.execCommand(state(), target, null, argv), null, false);
    }

    public Path logFile(String pod, String container) {
        var host = state.machine(pod);
        if (state.pod(pod).isEmpty() && host.isPresent()) {
            // An outside host's command logs like a pod's single container.
            return store.labDir(state.name).resolve("machines").resolve(pod).resolve("main").resolve("log");
        }
        PodRecord p = pod(pod);
        String c = container != null ? container : p.containers().get(0).name();
        if (p.containers().stream().noneMatch(x -> x.name().equals(c))) {
            throw new LabException("container " + c + " is not valid for pod " + pod);
        }
        return runtime.logFile(state, p, c);
    }

    /** What a pod's container (or an outside host's command) printed so far. */
    public String logs(String pod, String container) {
        if (state.pod(pod).isEmpty() && state.machine(pod).isPresent()) return runtime.logs(state, pod, null);
        PodRecord p = pod(pod);
        String c = container != null ? container : p.containers().get(0).name();
        if (p.containers().stream().noneMatch(x -> x.name().equals(c))) {
            throw new LabException("container " + c + " is not valid for pod " + pod);
        }
        return runtime.logs(state, pod, c);
    }

    // ---------------------------------------------------------------- destroy

    /** Removes everything the lab made: processes, namespaces (with their links), state files. */
    public void destroy() {
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

    private void destroyQuietly() {
        try {
            runtime.cancel();
            destroy();
        } catch (RuntimeException e) {
            System.err.println("kubenetlab: rollback of " + state.name + " incomplete: " + e.getMessage()
                    + "; run: kubenetlab destroy --name " + state.name);
        }
    }

    /** Destroys a lab by name from its saved state; works after a crashed or killed deploy. */
    public static void destroy(String name, LabStore store) {
        if (!store.exists(name)) return;
        LabState s;
        try {
            s = store.load(name);
        } catch (LabException e) {
            // Killed before the first save: nothing was created yet, only the directory.
            store.delete(name);
            return;
        }
        new Lab(store, new Kernel(), s).destroy();
    }

    @Override
    public void close() {
        destroy();
    }
}
