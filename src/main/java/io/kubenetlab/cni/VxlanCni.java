package io.kubenetlab.cni;

import io.kubenetlab.model.LabNames;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Topology.NodeSpec;
import io.kubenetlab.plan.FdbEntry;
import io.kubenetlab.plan.LinkPlan;
import io.kubenetlab.plan.MachineBuilder;
import io.kubenetlab.plan.NeighbourEntry;
import io.kubenetlab.plan.RoutePlan;
import io.kubenetlab.plan.Ruleset;

/**
 * flannel's {@code vxlan} backend (flannel-io/flannel {@code pkg/backend/vxlan}): per node a VXLAN
 * device {@code flannel.1} (VNI 1, UDP 8472, no learning, MTU 50 below the node's) holding the pod
 * CIDR's network address; for each other node a permanent forwarding entry (its VTEP MAC at its node
 * IP), a permanent neighbour entry (its network address at that MAC) and a route of its pod CIDR via
 * that address, onlink. Pod traffic between nodes travels inside UDP between node addresses, so
 * neither the gateway nor the node network needs to know pod CIDRs; traffic leaving the cluster is
 * masqueraded, as flanneld {@code --ip-masq} does.
 */
final class VxlanCni implements CniPlugin {
    static final String DEVICE = "flannel.1";
    static final int VNI = 1;
    static final int PORT = 8472;
    /** The node network's MTU (the kernel's default for our veths) minus VXLAN's 50 bytes of headers. */
    static final int MTU = 1500 - 50;

    @Override
    public String name() {
        return "vxlan";
    }

    @Override
    public String describe() {
        return "flannel vxlan: pod traffic between nodes is encapsulated in UDP 8472 by each node's flannel.1; nothing outside the nodes knows pod CIDRs";
    }

    @Override
    public java.util.Map<String, String> hostTools() {
        return java.util.Map.of("bridge", "iproute2");
    }

    /** A node's VTEP MAC: flannel picks one and publishes it; ours is derived, so plans stay deterministic. */
    static String vtepMac(String lab, String node) {
        return LabNames.bridgeMac(lab, node + "/" + DEVICE);
    }

    @Override
    public void planNode(String lab, Topology t, NodeSpec node, MachineBuilder m) {
        BridgedPods.bridge(lab, t, node, m, MTU);
        m.link(LinkPlan.vxlan(DEVICE, vtepMac(lab, node.name()), MTU, LabNames.alias(lab, node.name() + "/" + DEVICE),
                new LinkPlan.Vxlan(VNI, node.address().toString(), "eth0", PORT, false)));
        m.address(node.podCidr().network() + "/32", DEVICE);
        for (NodeSpec other : t.nodes()) {
            if (other.name().equals(node.name())) continue;
            String mac = vtepMac(lab, other.name());
            String gateway = other.podCidr().network().toString();
            m.fdb(new FdbEntry(mac, DEVICE, other.address().toString()));
            m.neighbour(new NeighbourEntry(gateway, mac, DEVICE));
            m.route(new RoutePlan(other.podCidr().toString(), java.util.List.of(gateway), DEVICE, true));
        }
        m.ruleset(new Ruleset("flannel", Ruleset.IPTABLES_LEGACY, Ruleset.Sync.ONCE, FlannelRules.masquerade(t.clusterCidr(), node.podCidr())));
    }

    @Override
    public void planPod(String lab, Topology t, PodRecord pod, MachineBuilder node, MachineBuilder p) {
        BridgedPods.pod(lab, t, pod, node, p, MTU);
    }
}
