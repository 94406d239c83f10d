package io.kubenetlab.plan;

import java.util.List;
import java.util.Optional;

/**
 * The lab's intended kernel state, as data: one {@link MachinePlan} per machine and pod, built by pure
 * code (the planner, with the lab's network plugin and kube-proxy backend). The same inputs give the
 * same plan, byte for byte. {@code kubenetlab plan} prints it; runtimes create it; {@code --diff}
 * compares it with what the kernel holds.
 */
public record LabPlan(String lab, String cni, String proxyMode, List<MachinePlan> machines) {
    public LabPlan {
        machines = List.copyOf(machines);
    }

    public Optional<MachinePlan> machine(String name) {
        return machines.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The lab's machines without its pods: router, nodes, outside hosts, load balancer. */
    public List<MachinePlan> infrastructure() {
        return machines.stream().filter(m -> m.kind() != MachinePlan.Kind.POD).toList();
    }

    public List<MachinePlan> pods() {
        return machines.stream().filter(m -> m.kind() == MachinePlan.Kind.POD).toList();
    }
}
