package io.kubenetlab.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects one machine's plan while the planner, the network plugin and the proxy backend add to it. */
public final class MachineBuilder {
    private final String name;
    private final MachinePlan.Kind kind;
    private final String netns;
    private final String node;
    private final List<LinkPlan> links = new ArrayList<>();
    private final List<AddressPlan> addresses = new ArrayList<>();
    private final List<RoutePlan> routes = new ArrayList<>();
    private final List<NeighbourEntry> neighbours = new ArrayList<>();
    private final List<FdbEntry> fdb = new ArrayList<>();
    private final List<DaemonPlan> daemons = new ArrayList<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private final List<Ruleset> rulesets = new ArrayList<>();

    public MachineBuilder(String name, MachinePlan.Kind kind, String netns, String node) {
        this.name = name;
        this.kind = kind;
        this.netns = netns;
        this.node = node;
    }

    public String name() {
        return name;
    }

    public String netns() {
        return netns;
    }

    public MachinePlan.Kind kind() {
        return kind;
    }

    public MachineBuilder link(LinkPlan l) {
        if (links.stream().anyMatch(x -> x.name().equals(l.name()))) {
            throw new IllegalStateException(name + ": link " + l.name() + " planned twice");
        }
        links.add(l);
        return this;
    }

    public MachineBuilder address(String cidr, String dev) {
        addresses.add(new AddressPlan(cidr, dev));
        return this;
    }

    public MachineBuilder route(RoutePlan r) {
        routes.add(r);
        return this;
    }

    public MachineBuilder neighbour(NeighbourEntry n) {
        neighbours.add(n);
        return this;
    }

    public MachineBuilder fdb(FdbEntry f) {
        fdb.add(f);
        return this;
    }

    public MachineBuilder daemon(DaemonPlan d) {
        daemons.add(d);
        return this;
    }

    public MachineBuilder sysctls(Map<String, String> values) {
        sysctls.putAll(values);
        return this;
    }

    public MachineBuilder ruleset(Ruleset r) {
        rulesets.add(r);
        return this;
    }

    public MachinePlan build() {
        return new MachinePlan(name, kind, netns, node, links, addresses, routes, neighbours, fdb, sysctls, rulesets, daemons);
    }
}
