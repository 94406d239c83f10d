package io.kubenetlab.proxy;

import java.util.List;

/**
 * The part of kube-proxy's nftables table that does not depend on the Services (upstream
 * setupNFTables, v1.33): the base chains on the netfilter hooks, the jumps from them, masquerading,
 * and the sets and verdict maps the per-service rules fill in. Section 3 of docs/kube-proxy-nftables.md.
 */
final class NftablesBase {
    static final String SERVICES = "services";
    static final String SERVICE_IPS = "service-ips";
    static final String SERVICE_NODEPORTS = "service-nodeports";
    static final String NODEPORT_IPS = "nodeport-ips";
    static final String CLUSTER_IPS = "cluster-ips";
    static final String SERVICE_ENDPOINTS_CHECK = "service-endpoints-check";
    static final String NODEPORT_ENDPOINTS_CHECK = "nodeport-endpoints-check";
    static final String NO_ENDPOINT_SERVICES = "no-endpoint-services";
    static final String NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";
    static final String REJECT_CHAIN = "reject-chain";
    static final String CLUSTER_IPS_CHECK = "cluster-ips-check";
    static final String FIREWALL_IPS = "firewall-ips";
    static final String FIREWALL_CHECK = "firewall-check";
    static final String MARK_MASQ = "mark-for-masquerade";
    static final String MASQUERADING = "masquerading";

    /** "{ address . protocol . port : verdict }", the key of the service-ips-like maps. */
    private static final String DEST_VMAP = "ipv4_addr . inet_proto . inet_service : verdict";
    private static final String PORT_VMAP = "inet_proto . inet_service : verdict";
    private static final String DEST = "ip daddr . meta l4proto . th dport";
    /** Upstream's noLocalhost: localhost NodePorts are not supported in nftables mode. */
    private static final String NO_LOCALHOST = "ip daddr != 127.0.0.0/8";

    private record BaseChain(String name, String type, String hook, int priority) {}

    /**
     * The filter chains run 10 before DNAT (dstnat = -100) so that they see the service's own address and
     * port; filter-output-post-dnat runs after it, so that cluster-ips-check only sees what no service rule
     * DNATed. (v1.34 moved the filter chains to priority 0 and renamed two of them: PR #132456.)
     */
    private static final List<BaseChain> BASE_CHAINS = List.of(
            new BaseChain("filter-prerouting", "filter", "prerouting", -110),
            new BaseChain("filter-input", "filter", "input", -110),
            new BaseChain("filter-forward", "filter", "forward", -110),
            new BaseChain("filter-output", "filter", "output", -110),
            new BaseChain("filter-output-post-dnat", "filter", "output", -90),
            new BaseChain("nat-prerouting", "nat", "prerouting", -100),
            new BaseChain("nat-output", "nat", "output", -100),
            new BaseChain("nat-postrouting", "nat", "postrouting", 100));

    private record Jump(String to, String from, String match) {}

    /**
     * In upstream's order. reject is only allowed in input, forward and output with kernels before 5.9,
     * so the endpoint checks are not in prerouting like the firewall check.
     */
    private static final List<Jump> JUMPS = List.of(
            new Jump(NODEPORT_ENDPOINTS_CHECK, "filter-input", "ct state new"),
            new Jump(SERVICE_ENDPOINTS_CHECK, "filter-input", "ct state new"),
            new Jump(SERVICE_ENDPOINTS_CHECK, "filter-forward", "ct state new"),
            new Jump(SERVICE_ENDPOINTS_CHECK, "filter-output", "ct state new"),
            new Jump(FIREWALL_CHECK, "filter-prerouting", "ct state new"),
            new Jump(FIREWALL_CHECK, "filter-output", "ct state new"),
            new Jump(SERVICES, "nat-output", null),
            new Jump(SERVICES, "nat-prerouting", null),
            new Jump(MASQUERADING, "nat-postrouting", null),
            new Jump(CLUSTER_IPS_CHECK, "filter-forward", "ct state new"),
            new Jump(CLUSTER_IPS_CHECK, "filter-output-post-dnat", "ct state new"));

    private NftablesBase() {}

    /** Go's %#08x of the mark bit: eight hex digits after the 0x ("0x00004000"). */
    static String mark(NodeSettings node) {
        return String.format("0x%08x", 1 << node.masqueradeBit());
    }

    static void write(NftTable.Builder t, NodeSettings node) {
        for (BaseChain bc : BASE_CHAINS) {
            t.chain(bc.name(), "{ type " + bc.type() + " hook " + bc.hook() + " priority " + bc.priority() + " ; }");
        }
        for (Jump j : JUMPS) {
            t.chain(j.to());
            t.rule(j.from(), (j.match() == null ? "" : j.match() + " ") + "jump " + j.to());
        }
        for (String c : List.of(SERVICES, CLUSTER_IPS_CHECK, MASQUERADING, MARK_MASQ)) t.chain(c);

        String mark = mark(node);
        t.rule(MARK_MASQ, "mark set mark or " + mark);
        t.rule(MASQUERADING, "mark and " + mark + " == 0 return");
        // Clear the mark so that a packet traversing the stack again is not masqueraded twice.
        t.rule(MASQUERADING, "mark set mark xor " + mark);
        t.rule(MASQUERADING, "masquerade fully-random");

        t.set(CLUSTER_IPS, "{ type ipv4_addr ; comment \"Active ClusterIPs\" ; }");
        // Reached only by what no service rule DNATed: a cluster IP on a port it does not serve.
        t.rule(CLUSTER_IPS_CHECK, "ip daddr @" + CLUSTER_IPS + " reject comment \"Reject traffic to invalid ports of ClusterIPs\"");
        if (node.serviceCidr() != null) {
            t.rule(CLUSTER_IPS_CHECK, "ip daddr { " + node.serviceCidr() + " } drop comment \"Drop traffic to unallocated ClusterIPs\"");
        }

        // --nodeport-addresses defaults to "primary" in nftables mode: the node IP only. Without one we
        // fall back to upstream's match-all form (every local address but 127.0.0.0/8).
        boolean nodePortSet = node.nodeIP() != null;
        if (nodePortSet) {
            t.set(NODEPORT_IPS, "{ type ipv4_addr ; comment \"IPs that accept NodePort traffic\" ; }");
            t.element(NODEPORT_IPS, node.nodeIP().toString(), null, null);
        }

        t.map(NO_ENDPOINT_SERVICES, "{ type " + DEST_VMAP + " ; comment \"vmap to drop or reject packets to services with no endpoints\" ; }");
        t.map(NO_ENDPOINT_NODEPORTS, "{ type " + PORT_VMAP + " ; comment \"vmap to drop or reject packets to service nodeports with no endpoints\" ; }");
        t.chain(REJECT_CHAIN, "{ comment \"helper for @" + NO_ENDPOINT_SERVICES + " / @" + NO_ENDPOINT_NODEPORTS + "\" ; }");
        t.rule(REJECT_CHAIN, "reject");
        t.rule(SERVICE_ENDPOINTS_CHECK, DEST + " vmap @" + NO_ENDPOINT_SERVICES);
        t.rule(NODEPORT_ENDPOINTS_CHECK, (nodePortSet ? "ip daddr @" + NODEPORT_IPS : NO_LOCALHOST)
                + " meta l4proto . th dport vmap @" + NO_ENDPOINT_NODEPORTS);

        t.map(FIREWALL_IPS, "{ type " + DEST_VMAP + " ; comment \"destinations that are subject to LoadBalancerSourceRanges\" ; }");
        t.rule(FIREWALL_CHECK, DEST + " vmap @" + FIREWALL_IPS);

        t.map(SERVICE_IPS, "{ type " + DEST_VMAP + " ; comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\" ; }");
        t.map(SERVICE_NODEPORTS, "{ type " + PORT_VMAP + " ; comment \"NodePort traffic\" ; }");
        t.rule(SERVICES, DEST + " vmap @" + SERVICE_IPS);
        t.rule(SERVICES, (nodePortSet ? "ip daddr @" + NODEPORT_IPS : "fib daddr type local " + NO_LOCALHOST)
                + " meta l4proto . th dport vmap @" + SERVICE_NODEPORTS);
    }
}
