package io.kubenetlab.cni;

import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Topology.NodeSpec;
import io.kubenetlab.plan.MachineBuilder;
import io.kubenetlab.plan.RoutePlan;
import io.kubenetlab.plan.Ruleset;

/**
 * flannel's {@code host-gw} backend: every node routes each other node's pod CIDR straight to that
 * node over the node network (they share one L2 segment), so the gateway holds no pod routes. Pod
 * traffic that leaves the cluster network is masqueraded to the node's address, as flanneld
 * {@code --ip-masq} does (the gateway could not route the replies back to a pod).
 */
final class HostGwCni implements CniPlugin {
    @Override
    public String name() {
        return "host-gw";
    }

    @Override
    public String describe() {
        return "flannel host-gw: nodes route each other's pod CIDRs directly over the node network; pod traffic leaving the cluster is masqueraded";
    }

    @Override
    public void planNode(String lab, Topology t, NodeSpec node, MachineBuilder m) {
        BridgedPods.bridge(lab, t, node, m, null);
        for (NodeSpec other : t.nodes()) {
            if (!other.name().equals(node.name())) m.route(RoutePlan.via(other.podCidr().toString(), other.address().toString()));
        }
        m.ruleset(new Ruleset("flannel", Ruleset.IPTABLES_LEGACY, Ruleset.Sync.ONCE, FlannelRules.masquerade(t.clusterCidr(), node.podCidr())));
    }

    @Override
    public void planPod(String lab, Topology t, PodRecord pod, MachineBuilder node, MachineBuilder p) {
        BridgedPods.pod(lab, t, pod, node, p, null);
    }
}
