package io.kubenetlab.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * kube-proxy's jumps from the built-in chains to its own (spec 4.1). kube-proxy ensures each with
 * {@code iptables -N dst} then {@code -C}/{@code -I src} (position 1) before every full sync; here they are
 * one iptables-restore payload with the same effect on a fresh node.
 */
final class Bootstrap {

    /** One jump; comment null = none (the kubelet-compatible KUBE-FIREWALL jumps have none). */
    record Jump(String table, String srcChain, String dstChain, String extraArgs, String comment) {
    }

    private static final String NEW = "-m conntrack --ctstate NEW";

    /** In kube-proxy's order: iptablesJumpChains, then iptablesKubeletJumpChains. */
    static final List<Jump> JUMPS = List.of(
            new Jump("filter", "INPUT", "KUBE-EXTERNAL-SERVICES", NEW, "kubernetes externally-visible service portals"),
            new Jump("filter", "FORWARD", "KUBE-EXTERNAL-SERVICES", NEW, "kubernetes externally-visible service portals"),
            new Jump("filter", "INPUT", "KUBE-NODEPORTS", null, "kubernetes health check service ports"),
            new Jump("filter", "FORWARD", "KUBE-SERVICES", NEW, "kubernetes service portals"),
            new Jump("filter", "OUTPUT", "KUBE-SERVICES", NEW, "kubernetes service portals"),
            new Jump("filter", "FORWARD", "KUBE-FORWARD", null, "kubernetes forwarding rules"),
            new Jump("filter", "INPUT", "KUBE-PROXY-FIREWALL", NEW, "kubernetes load balancer firewall"),
            new Jump("filter", "OUTPUT", "KUBE-PROXY-FIREWALL", NEW, "kubernetes load balancer firewall"),
            new Jump("filter", "FORWARD", "KUBE-PROXY-FIREWALL", NEW, "kubernetes load balancer firewall"),
            new Jump("nat", "OUTPUT", "KUBE-SERVICES", null, "kubernetes service portals"),
            new Jump("nat", "PREROUTING", "KUBE-SERVICES", null, "kubernetes service portals"),
            new Jump("nat", "POSTROUTING", "KUBE-POSTROUTING", null, "kubernetes postrouting rules"),
            new Jump("filter", "INPUT", "KUBE-FIREWALL", null, null),
            new Jump("filter", "OUTPUT", "KUBE-FIREWALL", null, null));

    static final String PAYLOAD = table("filter") + table("nat");

    private Bootstrap() {
    }

    /**
     * The table's destination chains (declared in first-use order: with --noflush this creates them), then
     * its jumps as "-I SRC 1" in list order. Jumps of different tables never share a chain, so grouping
     * them by table keeps each chain's final order.
     */
    private static String table(String table) {
        KubeProxyRules.Lines chains = new KubeProxyRules.Lines(1024);
        KubeProxyRules.Lines rules = new KubeProxyRules.Lines(1024);
        List<String> declared = new ArrayList<>();
        for (Jump jump : JUMPS) {
            if (!jump.table().equals(table)) continue;
            if (!declared.contains(jump.dstChain())) {
                declared.add(jump.dstChain());
                chains.chain(jump.dstChain());
            }
            // The CLI passes the comment as one argv element; restore needs the quotes to keep it one token.
            rules.add("-I", jump.srcChain(), "1", jump.extraArgs(),
                    jump.comment() == null ? null : "-m comment --comment \"" + jump.comment() + "\"",
                    "-j", jump.dstChain());
        }
        return "*" + table + "\n" + chains.text() + rules.text() + "COMMIT\n";
    }
}
