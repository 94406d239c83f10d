package io.kubenetlab.lab;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.Topology;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.LinkPlan;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.plan.MachinePlan.Kind;
import io.kubenetlab.plan.RoutePlan;
import io.kubenetlab.runtime.IpCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The kernel side of a test's network faults, all inside the lab's own namespaces (so destroy removes
 * them with the namespaces): a machine's uplink down and up, a partition between two machines (an nft
 * table of their own in each), a tbf rate limit on an uplink or a pod's eth0. Input is checked before
 * anything is changed. Faults are kernel state only: the lab's state file does not know them, and the
 * controller's kube-proxy syncs do not touch them (see {@link FaultRules}).
 */
final class Faults {
    private static final Set<Kind> MACHINES = Set.of(Kind.NODE, Kind.HOST, Kind.LOAD_BALANCER);
    private static final Set<Kind> LIMITABLE = Set.of(Kind.NODE, Kind.HOST, Kind.LOAD_BALANCER, Kind.POD);

    private final Kernel kernel;
    private final String lab;
    private final Topology topology;
    private final LabPlan plan;

    Faults(Kernel kernel, String lab, Topology topology, LabPlan plan) {
        this.kernel = kernel;
        this.lab = lab;
        this.topology = topology;
        this.plan = plan;
    }

    // ---------------------------------------------------------------- links

    /** {@code ip link set UPLINK down} in the machine: the kernel drops its routes and neighbours through it. */
    void linkDown(String machine) {
        MachinePlan m = machine(machine, MACHINES, "link down");
        kernel.ipBatch(m.netns(), List.of("link set " + uplink(m) + " down"));
    }

    /**
     * {@code ip link set UPLINK up}, then the machine's planned routes and permanent neighbours again in
     * the same batch: an administrative down removed them (only the connected routes of its addresses
     * come back by themselves). Routes a routing daemon installs are its own to learn again.
     */
    void linkUp(String machine) {
        MachinePlan m = machine(machine, MACHINES, "link up");
        kernel.ipBatch(m.netns(), linkUpLines(m, uplink(m)));
    }

    static List<String> linkUpLines(MachinePlan m, String uplink) {
        List<String> lines = new ArrayList<>();
        lines.add("link set " + uplink + " up");
        for (RoutePlan r : m.routes()) if (r.ours()) lines.add(IpCommands.routeReplace(r));
        m.neighbours().forEach(n -> lines.add(IpCommands.neighbourAdd(n)));
        return lines;
    }

    // ---------------------------------------------------------------- partitions

    /** Drops every packet between the two machines (their addresses, the pod CIDRs they host), in both. */
    void partition(String a, String b) {
        MachinePlan ma = machine(a, MACHINES, "partition");
        MachinePlan mb = machine(b, MACHINES, "partition");
        if (a.equals(b)) throw new LabException("partition: \"" + a + "\" cannot be partitioned from itself: name two machines");
        String toB = FaultRules.partition(lab, b, cidrs(mb));
        String toA = FaultRules.partition(lab, a, cidrs(ma));
        kernel.nft(ma.netns(), toB);
        kernel.nft(mb.netns(), toA);
    }

    /** Removes exactly the drops {@link #partition} made between the two; the table goes once empty. Nothing to heal is fine. */
    void heal(String a, String b) {
        MachinePlan ma = machine(a, MACHINES, "heal");
        MachinePlan mb = machine(b, MACHINES, "heal");
        if (a.equals(b)) throw new LabException("heal: \"" + a + "\" cannot be partitioned from itself: name two machines");
        healOne(ma, b);
        healOne(mb, a);
    }

    private void healOne(MachinePlan m, String peer) {
        kernel.nftListTable(m.netns(), FaultRules.FAMILY, FaultRules.TABLE).ifPresent(table -> {
            String tx = FaultRules.heal(peer, table);
            if (!tx.isEmpty()) kernel.nft(m.netns(), tx);
        });
    }

    /** A machine's own addresses (each as a /32) and, for a node, its pod CIDR: what a partition from it drops. */
    List<Cidr> cidrs(MachinePlan m) {
        List<Cidr> out = new ArrayList<>();
        for (var a : m.addresses()) {
            if (a.dev().equals("lo")) continue;
            String ip = a.cidr().contains("/") ? a.cidr().substring(0, a.cidr().indexOf('/')) : a.cidr();
            out.add(new Cidr(Ipv4.parse(ip), 32));
        }
        topology.node(m.name()).map(Topology.NodeSpec::podCidr).ifPresent(out::add);
        return out;
    }

    // ---------------------------------------------------------------- rate limits

    /** A tbf qdisc as root of the target's egress: a machine's uplink or a pod's eth0. */
    void rateLimit(String target, String rate) {
        FaultRules.Rate r = FaultRules.rate(rate);
        MachinePlan m = machine(target, LIMITABLE, "rate limit");
        kernel.tcBatch(m.netns(), List.of(FaultRules.tbf(uplink(m), r)));
    }

    /** Removes the target's rate limit (its device's default qdisc again); nothing to clear is fine. */
    void clearRateLimit(String target) {
        MachinePlan m = machine(target, LIMITABLE, "clear rate limit");
        String dev = uplink(m);
        if (FaultRules.limited(kernel.qdiscShow(m.netns(), dev))) kernel.tcBatch(m.netns(), List.of(FaultRules.clear(dev)));
    }

    // ---------------------------------------------------------------- machines

    private MachinePlan machine(String name, Set<Kind> kinds, String what) {
        MachinePlan m = name == null ? null : plan.machine(name).orElse(null);
        if (m == null || !kinds.contains(m.kind())) {
            List<String> can = plan.machines().stream().filter(x -> kinds.contains(x.kind()) && x.kind() != Kind.POD).map(MachinePlan::name).toList();
            String pods = kinds.contains(Kind.POD) ? " or a pod" : "";
            String why = m == null ? "no machine" + (pods.isEmpty() ? "" : " or pod") + " named \"" + name + "\" in lab " + lab
                    : "\"" + name + "\" is " + kindName(m.kind()) + ", not a node or outside host" + pods;
            throw new LabException(what + ": " + why + " (machines: " + String.join(", ", can) + pods + ")");
        }
        return m;
    }

    private static String kindName(Kind k) {
        return switch (k) {
            case ROUTER -> "the lab's router";
            case POD -> "a pod";
            case NODE -> "a node";
            case HOST -> "an outside host";
            case LOAD_BALANCER -> "the load balancer";
        };
    }

    /** The machine's link to its network: the veth whose peer is in the router; a pod's eth0. */
    String uplink(MachinePlan m) {
        if (m.kind() == Kind.POD) return "eth0";
        String router = plan.machine(Topology.ROUTER).map(MachinePlan::netns).orElse(null);
        return m.links().stream().filter(l -> l.kind() == LinkPlan.Kind.VETH && router != null && router.equals(l.peerNetns()))
                .map(LinkPlan::name).findFirst()
                .orElseThrow(() -> new LabException("machine \"" + m.name() + "\" of lab " + lab + " has no link to the router"));
    }
}
