package io.kubenetlab.runtime;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kernel.KernelException;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.plan.AddressPlan;
import io.kubenetlab.plan.FdbEntry;
import io.kubenetlab.plan.NeighbourEntry;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.LinkPlan;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.plan.PlanDiff;
import io.kubenetlab.plan.RoutePlan;
import io.kubenetlab.plan.Ruleset;
import io.kubenetlab.proxy.ProxyBackend;
import io.kubenetlab.proxy.ProxyBackends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Makes a lab's kernel state what its plan says, through the kernel gateway, the same on every
 * runtime (machines and pods are named network namespaces on both): the machines' wiring once their
 * namespaces exist, each pod's veth, and from then on only the differences between the plan last
 * applied and the next one (addresses, routes, sysctls, rulesets), machines in parallel. Without a
 * memory of the last plan (a controller that just started) it reads what the kernel holds instead.
 */
public final class PlanApplier {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final Kernel kernel;
    private final Path labDir;
    /** What this process last gave each machine (not pods): kube-proxy's memory of its last sync, for every machine. */
    private final Map<String, MachinePlan> applied = new HashMap<>();

    public PlanApplier(Kernel kernel, Path labDir) {
        this.kernel = kernel;
        this.labDir = labDir;
    }

    /** Each machine's own xtables lock, in the lab's state directory: machines load rules in parallel, each one alone. */
    public Path xtablesLock(String machine) {
        return labDir.resolve("xtables-" + machine + ".lock");
    }

    // ---------------------------------------------------------------- machines and pods

    /**
     * Wires the lab's machines, whose namespaces exist: the router first (its bridges and the veths
     * to every machine), then each machine's own side, sysctls and its rulesets. Returns once the
     * router's ports are up.
     */
    public synchronized void createMachines(LabPlan plan) {
        Set<String> pods = new HashSet<>();
        plan.pods().forEach(p -> pods.add(p.netns()));
        // The router's batch makes the veths into every other machine; then each machine's own side is
        // its own business: they are wired in parallel (three processes each, most of this step).
        var router = plan.machine(io.kubenetlab.model.Topology.ROUTER);
        router.ifPresent(r -> createMachine(r, pods));
        onEach(plan.infrastructure().stream().filter(m -> !m.name().equals(io.kubenetlab.model.Topology.ROUTER)).toList(), m -> {
            createMachine(m, pods);
            return null;
        });
        for (MachinePlan m : plan.infrastructure()) applied.put(m.name(), m);
        router.ifPresent(r -> waitLinksUp(r.netns()));
    }

    /** {@code work} on each machine in parallel (each has its own xtables lock); returns once all are done, or throws the first failure. */
    private static <T> List<T> onEach(List<MachinePlan> machines, java.util.function.Function<MachinePlan, T> work) {
        List<CompletableFuture<T>> running = new ArrayList<>();
        for (MachinePlan m : machines) running.add(CompletableFuture.supplyAsync(() -> work.apply(m), WRITERS));
        try {
            return running.stream().map(CompletableFuture::join).toList();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void createMachine(MachinePlan m, Set<String> pods) {
        kernel.ipBatch(m.netns(), IpCommands.machine(m, pods));
        kernel.bridgeBatch(m.netns(), IpCommands.fdb(m));
        kernel.sysctl(m.netns(), m.sysctls());
        // Every ruleset that keeps what else is there, in order, in one load per backend; then those that replace.
        Map<String, StringBuilder> kept = new LinkedHashMap<>();
        for (Ruleset r : m.rulesets()) {
            if (r.sync() != Ruleset.Sync.REPLACE) kept.computeIfAbsent(r.backend(), b -> new StringBuilder()).append(r.text());
        }
        kept.forEach((backend, text) -> kernel.loadRuleset(m.netns(), backend, false, text.toString(), xtablesLock(m.name())));
        for (Ruleset r : m.rulesets()) if (r.sync() == Ruleset.Sync.REPLACE) load(m, r, null);
    }

    /** How a pod is wired: its node's end of the veth (run in the node), its own side (run in the pod), its sysctls. */
    public record PodWiring(String nodeNetns, List<String> nodeLines, List<String> podLines, Map<String, String> podSysctls) {}

    public static PodWiring podWiring(LabPlan plan, PodRecord pod) {
        MachinePlan node = plan.machine(pod.node()).orElseThrow(() -> new IllegalStateException("no node " + pod.node() + " in the plan"));
        MachinePlan p = plan.pods().stream().filter(x -> x.netns().equals(pod.netns())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no pod " + pod.name() + " in the plan"));
        boolean quiet = "1".equals(node.sysctls().get(IpCommands.ADDR_GEN_DEFAULT));
        List<String> nodeLines = new ArrayList<>();
        for (LinkPlan l : node.links()) {
            if (l.createsPair() && pod.netns().equals(l.peerNetns())) nodeLines.addAll(IpCommands.link(node, l, quiet));
        }
        return new PodWiring(node.netns(), nodeLines, IpCommands.machine(p, Set.of()), p.sysctls());
    }

    /** The node ends of these pods' veths, one batch per node; each pod then configures its own side. */
    public void plugPods(LabPlan plan, List<PodRecord> pods) {
        Map<String, List<String>> batches = new LinkedHashMap<>();
        for (PodRecord pod : pods) {
            PodWiring w = podWiring(plan, pod);
            batches.computeIfAbsent(w.nodeNetns(), k -> new ArrayList<>()).addAll(w.nodeLines());
        }
        batches.forEach(kernel::ipBatch);
    }

    /** After deleted pods are gone: their nodes forget their MACs (a new pod may get the same address). */
    public void forgetPods(String lab, List<PodRecord> pods) {
        Map<String, List<String>> flush = new LinkedHashMap<>();
        for (PodRecord p : pods) {
            flush.computeIfAbsent(io.kubenetlab.model.LabNames.netnsName(lab, p.node()), k -> new ArrayList<>()).add("neigh flush to " + p.ip());
        }
        flush.forEach(kernel::ipBatchBestEffort);
    }

    // ---------------------------------------------------------------- changes

    /**
     * Applies what differs between the plan last applied and {@code next} on every machine (pods keep
     * what they were created with); a machine without a difference is left alone. Returns whether
     * anything changed.
     */
    public synchronized boolean sync(LabPlan next) {
        List<MachinePlan> differing = new ArrayList<>();
        Map<String, MachinePlan> before = new HashMap<>();
        for (MachinePlan m : next.infrastructure()) {
            MachinePlan had = applied.get(m.name());
            if (m.equals(had)) continue;
            differing.add(m);
            before.put(m.name(), had);
            applied.put(m.name(), m);
        }
        try {
            return onEach(differing, m -> change(next, before.get(m.name()), m)).contains(true);
        } catch (RuntimeException e) {
            applied.clear(); // unknown what each machine holds now: the next sync reads them again
            throw e;
        }
    }

    /**
     * Deploy hands its memory of what it applied to the controller it starts (a file the controller
     * reads once, {@link #takeOver}): the controller's first sync then writes only what differs from
     * deploy's last one (nothing, usually) instead of reading every machine back and reloading every
     * ruleset. Only deploy's handover uses it: a controller started again after a crash knows nothing
     * of what happened since, and reads the kernel.
     */
    public synchronized void handOver(Path file) {
        try {
            JSON.writeValue(file.toFile(), List.copyOf(applied.values()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Takes over deploy's memory ({@link #handOver}) and removes the file; false when there is none. */
    public synchronized boolean takeOver(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) return false;
        try {
            MachinePlan[] plans = JSON.readValue(file.toFile(), MachinePlan[].class);
            for (MachinePlan m : plans) applied.put(m.name(), m);
            java.nio.file.Files.delete(file);
            return true;
        } catch (java.io.IOException e) {
            applied.clear();
            return false;
        }
    }

    /** Whether this process has applied a plan yet (a controller that just started has not). */
    public synchronized boolean hasApplied() {
        return !applied.isEmpty();
    }

    private boolean change(LabPlan plan, MachinePlan before, MachinePlan m) {
        boolean known = before != null;
        LiveState.Tables live = known ? null : LiveState.tables(kernel, m.netns());
        List<AddressPlan> haveAddresses = known ? before.addresses() : live.addresses();
        List<RoutePlan> haveRoutes = known ? before.routes() : live.routes();
        List<NeighbourEntry> haveNeighbours = known ? before.neighbours() : live.neighbours();
        List<FdbEntry> haveFdb = known ? before.fdb() : m.fdb().isEmpty() ? List.of() : LiveState.fdb(kernel, m.netns());
        List<String> lines = new ArrayList<>();
        for (AddressPlan a : haveAddresses) if (!m.addresses().contains(a) && ownedAddress(m, a)) lines.add(IpCommands.addressDel(a));
        for (AddressPlan a : m.addresses()) if (!haveAddresses.contains(a)) lines.add(IpCommands.addressAdd(a));
        // Routes a routing daemon installs (proto bird) are the daemon's to write and remove.
        Map<String, RoutePlan> haveByDst = new LinkedHashMap<>();
        haveRoutes.stream().filter(RoutePlan::ours).forEach(r -> haveByDst.put(r.dst(), r));
        for (RoutePlan r : m.routes()) {
            if (!r.ours()) continue;
            RoutePlan had = haveByDst.remove(r.dst());
            if (had == null || !PlanDiff.matches(r, had)) lines.add(IpCommands.routeReplace(r));
        }
        for (RoutePlan stale : haveByDst.values()) lines.add(IpCommands.routeDel(stale));
        for (NeighbourEntry n : haveNeighbours) if (!m.neighbours().contains(n)) lines.add(IpCommands.neighbourDel(n));
        for (NeighbourEntry n : m.neighbours()) if (!haveNeighbours.contains(n)) lines.add(IpCommands.neighbourAdd(n));
        List<String> fdb = new ArrayList<>();
        for (FdbEntry f : haveFdb) if (!m.fdb().contains(f)) fdb.add(IpCommands.fdbDel(f));
        for (FdbEntry f : m.fdb()) if (!haveFdb.contains(f)) fdb.add(IpCommands.fdbAdd(f));
        boolean changed = !lines.isEmpty() || !fdb.isEmpty();
        kernel.bridgeBatch(m.netns(), fdb);
        kernel.ipBatch(m.netns(), lines);
        if (known && !m.sysctls().equals(before.sysctls())) {
            Map<String, String> diff = new LinkedHashMap<>();
            m.sysctls().forEach((k, v) -> {
                if (!v.equals(before.sysctls().get(k))) diff.put(k, v);
            });
            kernel.sysctl(m.netns(), diff);
            changed = true;
        }
        for (Ruleset r : m.rulesets()) {
            Ruleset had = known ? before.ruleset(r.owner()).orElse(null) : null;
            if (had != null && had.text().equals(r.text())) continue;
            if (r.sync() == Ruleset.Sync.ONCE && !known) continue; // loaded when the machine was made
            if (r.sync() == Ruleset.Sync.ONCE && had != null) continue; // never reloaded: its jumps would be inserted twice
            if (r.sync() == Ruleset.Sync.INCREMENTAL) {
                ProxyBackend proxy = ProxyBackends.of(plan.proxyMode());
                String holds = had != null ? had.text() : proxy.syncsFromLiveState() ? kernel.saveRuleset(m.netns(), r.backend()) : null;
                loadIncrementally(m, r, proxy, holds);
            } else {
                load(m, r, null);
            }
            changed = true;
        }
        return changed;
    }

    /**
     * Addresses a sync may remove: only those the plan could have put there (host addresses, /32),
     * never the machine's own network address, which only creation sets.
     */
    private static boolean ownedAddress(MachinePlan m, AddressPlan a) {
        return a.cidr().endsWith("/32");
    }

    /**
     * A change as the backend's sync text. When the kernel refuses it (a node that does not hold what we
     * think it holds; nftables on a kernel that frees a deleted map element's chain reference late), the
     * whole ruleset is synced instead, as upstream kube-proxy follows a failed partial sync with a full one.
     */
    private void loadIncrementally(MachinePlan m, Ruleset r, ProxyBackend proxy, String holds) {
        String text = proxy.syncText(holds, r.text());
        if (holds == null) {
            load(m, r, text);
            return;
        }
        try {
            load(m, r, text);
        } catch (KernelException partialRefused) {
            System.err.println("kube-proxy (" + proxy.mode() + ") on " + m.name() + ": partial sync refused, syncing everything: "
                    + partialRefused.getMessage().lines().findFirst().orElse(""));
            load(m, r, proxy.syncText("", r.text())); // "": nothing known, so everything is written
        }
    }

    /** Loads a ruleset: {@code text} null means its whole text (ONCE and REPLACE, or a first INCREMENTAL load). */
    private void load(MachinePlan m, Ruleset r, String text) {
        kernel.loadRuleset(m.netns(), r.backend(), r.sync() == Ruleset.Sync.REPLACE, text != null ? text : r.text(), xtablesLock(m.name()));
    }

    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kubenetlab-plan");
        t.setDaemon(true);
        return t;
    });

    /**
     * A link comes up asynchronously (the kernel may batch carrier events for up to a second):
     * wait for operstate UP on the lab's ports instead of sleeping.
     */
    private void waitLinksUp(String netns) {
        long deadline = System.currentTimeMillis() + 5_000;
        while (true) {
            String out = kernel.ip(netns, "-o", "link", "show", "type", "veth");
            boolean allUp = out.lines().allMatch(l -> l.contains("state UP"));
            if (allUp || System.currentTimeMillis() > deadline) return;
            Procs.sleep(10);
        }
    }
}
