package io.kubenetlab.cli;

import io.kubenetlab.cni.CniPlugins;
import io.kubenetlab.lab.Blueprint;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.lab.LabDiff;
import io.kubenetlab.output.PlanView;
import io.kubenetlab.output.Printer;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.plan.PlanDiff;
import io.kubenetlab.planner.LabPlanner;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", description = {
        "Show what a lab's machines and pods hold, per network namespace: links, addresses, routes, sysctls and",
        "netfilter rulesets. With -t, for a lab file, without root and without touching anything; otherwise for a",
        "running lab, and with --diff, what its kernel state differs from its plan (exit code 1 when it does)."})
final class PlanCommand implements Callable<Integer> {
    @Option(names = {"-t", "--topo"}, paramLabel = "FILE", description = "Plan this lab file (nothing is created).")
    Path topology;

    @Mixin
    LabOption labOption;

    @Option(names = "--name", paramLabel = "NAME", description = "With -t: plan the lab under this name (names of namespaces and links follow it).")
    String name;

    @Option(names = "--cni", paramLabel = "PLUGIN", description = "With -t: the network plugin instead of the lab file's (${COMPLETION-CANDIDATES}).",
            completionCandidates = CniNames.class)
    String cni;

    @Option(names = "--proxy-mode", paramLabel = "MODE", description = "With -t: kube-proxy's mode instead of the lab file's.")
    String proxyMode;

    @Option(names = "--machine", paramLabel = "NAME", description = "Only this machine or pod, rulesets in full.")
    String machine;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default), yaml or json.")
    String output = "text";

    @Option(names = "--diff", description = "A running lab: compare what its namespaces hold with its plan.")
    boolean diff;

    static final class CniNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return CniPlugins.names().iterator();
        }
    }

    @Override
    public Integer call() {
        if (!List.of("text", "yaml", "json").contains(output)) {
            throw new IllegalArgumentException("--output: unknown format \"" + output + "\" (allowed: text, yaml, json)");
        }
        if (topology != null && (diff || labOption.lab != null)) {
            throw new IllegalArgumentException("-t plans a lab file; --lab and --diff are for a running lab: use one or the other");
        }
        if (topology == null && (name != null || cni != null || proxyMode != null)) {
            throw new IllegalArgumentException("--name, --cni and --proxy-mode change a lab file's plan: add -t FILE");
        }
        LabPlan plan;
        Lab lab = null;
        if (topology != null) {
            Blueprint bp = Blueprint.of(TopologyLoader.load(topology), name, null, cni, proxyMode, LabStore.fromEnvironment());
            plan = LabPlanner.of(bp.topology()).plan(bp.healthy());
        } else {
            lab = labOption.open();
            plan = lab.plan();
        }
        List<MachinePlan> machines = plan.machines();
        if (machine != null) {
            machines = plan.machine(machine).map(List::of).orElseThrow(() -> new IllegalArgumentException(
                    "no machine or pod named \"" + machine + "\" in the plan (machines: "
                            + String.join(", ", plan.infrastructure().stream().map(MachinePlan::name).toList()) + ")"));
        }
        if (diff) return diff(lab, plan, machines);
        switch (output) {
            case "yaml" -> System.out.print(Printer.yaml(PlanView.tree(plan, machines)));
            case "json" -> System.out.print(Printer.json(PlanView.tree(plan, machines)));
            default -> System.out.print(PlanView.text(plan, CniPlugins.of(plan.cni()).describe(), machines, machine != null));
        }
        return 0;
    }

    private int diff(Lab lab, LabPlan plan, List<MachinePlan> machines) {
        List<PlanDiff.Difference> found = LabDiff.compare(lab, machines);
        for (PlanDiff.Difference d : found) System.out.println(d);
        System.out.printf("%s: %d difference%s between the plan and the kernel in %d namespace%s%n", plan.lab(), found.size(),
                found.size() == 1 ? "" : "s", machines.size(), machines.size() == 1 ? "" : "s");
        return found.isEmpty() ? 0 : 1;
    }
}
