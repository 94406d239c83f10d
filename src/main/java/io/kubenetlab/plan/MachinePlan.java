package io.kubenetlab.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one network namespace of the lab holds: its links (in creation order), addresses, routes,
 * permanent neighbour and VXLAN forwarding entries, sysctls, netfilter rulesets and the daemons it runs. {@code node} is the node a pod runs on (null for machines).
 */
public record MachinePlan(String name, Kind kind, String netns, String node, List<LinkPlan> links, List<AddressPlan> addresses,
                          List<RoutePlan> routes, List<NeighbourEntry> neighbours, List<FdbEntry> fdb, Map<String, String> sysctls,
                          List<Ruleset> rulesets, List<DaemonPlan> daemons) {
    public enum Kind { ROUTER, NODE, HOST, LOAD_BALANCER, POD }

    public MachinePlan {
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        neighbours = List.copyOf(neighbours);
        fdb = List.copyOf(fdb);
        daemons = List.copyOf(daemons);
        sysctls = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sysctls));
        rulesets = List.copyOf(rulesets);
    }

    public Optional<LinkPlan> link(String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    public List<AddressPlan> addressesOn(String dev) {
        return addresses.stream().filter(a -> a.dev().equals(dev)).toList();
    }

    public Optional<Ruleset> ruleset(String owner) {
        return rulesets.stream().filter(r -> r.owner().equals(owner)).findFirst();
    }

    public MachinePlan withRulesets(List<Ruleset> r) {
        return new MachinePlan(name, kind, netns, node, links, addresses, routes, neighbours, fdb, sysctls, r, daemons);
    }
}
