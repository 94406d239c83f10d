package io.kubenetlab.cni;

import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Topology.NodeSpec;
import io.kubenetlab.plan.DaemonPlan;
import io.kubenetlab.plan.MachineBuilder;
import io.kubenetlab.plan.RoutePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * calico's BGP mode: every node runs BIRD, peers with every other node (iBGP full mesh, AS 64512)
 * and with the gateway (as a top-of-rack router would), announces its pod CIDR and installs the
 * others' as {@code proto bird} routes. No route is written by the lab: the plan lists the routes
 * the daemons are expected to install, and {@code plan --diff} checks them.
 */
final class BgpCni implements CniPlugin {
    /** The daemon's name; its control socket is {@code bird.ctl} in its directory. */
    static final String DAEMON = "bird";
    /** The gateway's bridge on the node network: the first of its networks (see LabPlanner's gateway). */
    static final String ROUTER_NODE_BRIDGE = "br0";

    @Override
    public String name() {
        return "bgp";
    }

    @Override
    public String describe() {
        return "calico-style BGP: a BIRD on every node and the gateway, iBGP full mesh, each node announces its pod CIDR";
    }

    @Override
    public Map<String, String> hostTools() {
        return Map.of("bird", "bird2", "birdc", "bird2");
    }

    static DaemonPlan bird(String config) {
        return new DaemonPlan(DAEMON, List.of("bird", "-f", "-c", DaemonPlan.DIR + "/bird.conf", "-s", DaemonPlan.DIR + "/bird.ctl",
                "-P", DaemonPlan.DIR + "/bird.pid"), Map.of("bird.conf", config));
    }

    @Override
    public void planRouter(Topology t, MachineBuilder router) {
        List<String> nodes = t.nodes().stream().map(n -> n.address().toString()).toList();
        router.daemon(bird(BirdConfig.of(t.nodeNetwork().gateway().toString(), ROUTER_NODE_BRIDGE, null, nodes)));
        for (NodeSpec n : t.nodes()) router.route(RoutePlan.learnt(n.podCidr().toString(), n.address().toString(), RoutePlan.BIRD));
    }

    @Override
    public void planNode(String lab, Topology t, NodeSpec node, MachineBuilder m) {
        BridgedPods.bridge(lab, t, node, m, null);
        List<String> peers = new ArrayList<>();
        peers.add(t.nodeNetwork().gateway().toString());
        for (NodeSpec other : t.nodes()) {
            if (other.name().equals(node.name())) continue;
            peers.add(other.address().toString());
            m.route(RoutePlan.learnt(other.podCidr().toString(), other.address().toString(), RoutePlan.BIRD));
        }
        m.daemon(bird(BirdConfig.of(node.address().toString(), "eth0", node.podCidr().toString(), peers)));
    }

    @Override
    public void planPod(String lab, Topology t, PodRecord pod, MachineBuilder node, MachineBuilder p) {
        BridgedPods.pod(lab, t, pod, node, p, null);
    }
}
