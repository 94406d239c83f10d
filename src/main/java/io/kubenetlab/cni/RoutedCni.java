package io.kubenetlab.cni;

import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Topology.NodeSpec;
import io.kubenetlab.plan.MachineBuilder;
import io.kubenetlab.plan.RoutePlan;

/**
 * The article's picture (kubenet on GCE): each node's pods on its {@code cbr0}; nodes send everything
 * that is not theirs to the gateway {@code 10.100.0.1}, which routes each pod CIDR to the node that
 * holds it. The default plugin.
 */
final class RoutedCni implements CniPlugin {
    @Override
    public String name() {
        return "routed";
    }

    @Override
    public String describe() {
        return "the article's network: pods on each node's bridge, the gateway routes each pod CIDR to its node";
    }

    @Override
    public void planRouter(Topology t, MachineBuilder router) {
        for (NodeSpec n : t.nodes()) router.route(RoutePlan.via(n.podCidr().toString(), n.address().toString()));
    }

    @Override
    public void planNode(String lab, Topology t, NodeSpec node, MachineBuilder m) {
        BridgedPods.bridge(lab, t, node, m, null);
    }

    @Override
    public void planPod(String lab, Topology t, PodRecord pod, MachineBuilder node, MachineBuilder p) {
        BridgedPods.pod(lab, t, pod, node, p, null);
    }
}
