package io.kubenetlab.cni;

import io.kubenetlab.model.LabNames;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Topology.NodeSpec;
import io.kubenetlab.plan.LinkPlan;
import io.kubenetlab.plan.MachineBuilder;
import io.kubenetlab.plan.NeighbourEntry;
import io.kubenetlab.plan.RoutePlan;
import java.util.Map;

/**
 * What every plugin here shares with CNI's {@code bridge} plugin (and kubenet's {@code cbr0}): a
 * bridge per node holding the first address of the node's pod CIDR, and per pod a veth pair whose
 * node end is a bridge port (hairpin on) and whose pod end is {@code eth0} with the pod's address
 * and a default route via the bridge. Plugins differ in how pod CIDRs reach other nodes.
 */
final class BridgedPods {
    private BridgedPods() {}

    /** The node's bridge ({@code cbr0}) with the pod CIDR's first address; {@code mtu} null: the kernel's. */
    static void bridge(String lab, Topology t, NodeSpec n, MachineBuilder m, Integer mtu) {
        m.link(LinkPlan.bridge(t.bridge(), bridgeMac(lab, t, n), mtu,
                LabNames.alias(lab, n.name() + "/" + t.bridge())));
        m.address(n.podCidr().withPrefix(n.bridgeAddress()), t.bridge());
    }

    /** The node's bridge's fixed MAC: the bridge gets it, and each of its pods pins it for their gateway. */
    private static String bridgeMac(String lab, Topology t, NodeSpec n) {
        return LabNames.bridgeMac(lab, n.name() + "/" + t.bridge());
    }

    /** The pod's veth: created from the node (its end on the bridge, hairpin on), eth0 in the pod. */
    static void pod(String lab, Topology t, PodRecord pod, MachineBuilder node, MachineBuilder p, Integer mtu) {
        NodeSpec n = t.node(pod.node()).orElseThrow();
        node.link(LinkPlan.vethCreator(pod.hostVeth(), "eth0", pod.netns(), t.bridge(), mtu,
                LabNames.alias(lab, "pod/" + pod.namespace() + "/" + pod.name()),
                // hairpin: a pod reaching itself through a Service comes back out of the same port
                true));
        String mac = LabNames.podMac(pod.ip());
        p.link(LinkPlan.loopback());
        p.link(LinkPlan.vethPeer("eth0", pod.hostVeth(), node.netns(), mtu, null).withMac(mac));
        p.address(n.podCidr().withPrefix(pod.ip()), "eth0");
        p.route(RoutePlan.via("default", n.bridgeAddress().toString()));
        // Both ends know each other's MAC from the plan (permanent entries): the kernel keeps one neighbour
        // table for every namespace, and dynamic entries for a big lab's pods overflow it (see
        // NeighbourTable); permanent ones do not count against its limit.
        p.neighbour(new NeighbourEntry(n.bridgeAddress().toString(), bridgeMac(lab, t, n), "eth0"));
        node.neighbour(new NeighbourEntry(pod.ip().toString(), mac, t.bridge()));
        // A gratuitous ARP when eth0 comes up, so a node that knew a previous pod with this address
        // learns the new MAC at once instead of after its neighbour entry expires.
        p.sysctls(Map.of("net.ipv4.conf.all.arp_notify", "1"));
    }
}
