package io.kubenetlab.plan;

import java.util.List;
import java.util.Map;

/**
 * What the kernel holds in one of the lab's namespaces, read back ({@code ip -j}, sysctl, the ruleset
 * backends' save tools) in the plan's terms, for {@link PlanDiff}. Routes the kernel adds by itself
 * (connected networks) are left out; {@code rulesets} is the save tool's text by backend, and
 * {@code expectedRulesets} the plan's rulesets as the same tool prints them once loaded.
 */
public record LiveMachine(String name, boolean exists, List<Link> links, List<AddressPlan> addresses, List<RoutePlan> routes,
                          List<NeighbourEntry> neighbours, List<FdbEntry> fdb, Map<String, String> sysctls, Map<String, String> rulesets,
                          Map<String, String> expectedRulesets) {
    /** A link as {@code ip -d link} shows it. */
    public record Link(String name, LinkPlan.Kind kind, String master, String mac, int mtu, String alias, boolean hairpin, boolean up,
                       Integer vxlanId, Integer vxlanPort, Boolean vxlanLearning) {}

    public static LiveMachine missing(String name) {
        return new LiveMachine(name, false, List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(), Map.of(), Map.of());
    }
}
