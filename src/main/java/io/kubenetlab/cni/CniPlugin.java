package io.kubenetlab.cni;

import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Topology.NodeSpec;
import io.kubenetlab.plan.MachineBuilder;

/**
 * A network plugin: how pods get onto their node's network and how a pod reaches a pod on another
 * node. Pure: it adds links, addresses, routes, sysctls and rulesets to the plans it is given and
 * never touches the kernel. One file per plugin; {@link CniPlugins} lists them by name.
 */
public interface CniPlugin {
    /** The name a lab file's {@code cni:} (and {@code deploy --cni}) gives. */
    String name();

    /** One line for {@code plan} and {@code inspect}: what the plugin does. */
    String describe();

    /** Programs the plugin runs besides the lab's own (tool -> Debian package), checked before anything is created. */
    default java.util.Map<String, String> hostTools() {
        return java.util.Map.of();
    }

    /** The gateway between the node network and the outside networks. */
    default void planRouter(Topology topology, MachineBuilder router) {}

    /** A node's pod network: its bridge, routes to other nodes' pods, tunnels, rules. */
    void planNode(String lab, Topology topology, NodeSpec node, MachineBuilder machine);

    /** A pod's interface, address and routes, and its node's end of it. */
    void planPod(String lab, Topology topology, PodRecord pod, MachineBuilder node, MachineBuilder podMachine);
}
