package io.kubenetlab.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in Kubernetes' words what the rules a packet met on one machine did: which Service's chain
 * matched, which endpoint the random choice picked (and which earlier choices were not taken), where
 * the address was rewritten and to which pod, where it was rejected and why. Rules that only pass the
 * packet on (returns, accept policies) are left out of the words, kept in the data.
 */
public final class RuleExplainer {
    private static final Pattern NFT_DNAT = Pattern.compile("dnat to (\\S+)");
    private static final Pattern NFT_VMAP = Pattern.compile("numgen random mod (\\d+) vmap \\{ (.*) \\}");

    private final Function<String, String> who;

    /** {@code who} names an address (or address:port): "pod X on node2", or null when it is nobody the lab knows. */
    public RuleExplainer(Function<String, String> who) {
        this.who = who;
    }

    /** The hits with their rule text filled in from the namespace's iptables rules (nftables' traces carry it already). */
    public static List<RuleHit> withRules(List<RuleHit> hits, IptablesRules rules) {
        if (rules == null) return hits;
        return hits.stream().map(h -> h.kind().equals("rule") ? h.withRule(rules.rule(h.table(), h.chain(), h.number()))
                : h.kind().equals("policy") ? new RuleHit(h.table(), h.chain(), h.kind(), h.number(), "", rules.policy(h.table(), h.chain())) : h).toList();
    }

    /** One line per rule that did something, in order. */
    public List<String> explain(List<RuleHit> hits, IptablesRules rules, Tuple arrived) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            RuleHit h = hits.get(i);
            if (passesThrough(h, i + 1 < hits.size() ? hits.get(i + 1) : null, rules)) continue;
            String line = rules != null ? iptables(h, rules, arrived) : nftables(h);
            if (line != null) out.add(line);
        }
        return out;
    }

    /** A jump into a chain where nothing matched (the next hit is not a rule of that chain): only noise. */
    private static boolean passesThrough(RuleHit h, RuleHit next, IptablesRules rules) {
        if (!h.kind().equals("rule")) return false;
        String target = rules != null ? IptablesRules.target(rules.rule(h.table(), h.chain(), h.number()))
                : h.verdict().startsWith("jump ") ? h.verdict().substring(5) : null;
        if (target == null || (rules != null && !rules.isChain(h.table(), target))) return false;
        if (next == null || !next.chain().equals(target) || !next.kind().equals("rule")) return true;
        // Its first matching rule only returns (KUBE-POSTROUTING for unmarked packets): nothing happened there either.
        return rules != null ? "RETURN".equals(IptablesRules.target(rules.rule(next.table(), next.chain(), next.number())))
                : next.verdict().equals("return");
    }

    private String iptables(RuleHit h, IptablesRules rules, Tuple arrived) {
        if (h.kind().equals("return")) return null;
        String head = h.table() + " " + h.chain() + label(rules, h.table(), h.chain());
        if (h.kind().equals("policy")) {
            String policy = rules.policy(h.table(), h.chain());
            return policy.equals("ACCEPT") || policy.isEmpty() ? null : head + " policy " + policy + ": dropped";
        }
        String rule = rules.rule(h.table(), h.chain(), h.number());
        String target = IptablesRules.target(rule);
        if (target == null || target.equals("RETURN")) return null;
        String comment = IptablesRules.comment(rule);
        String why = comment == null ? "" : " \"" + comment + "\"";
        head += " #" + h.number() + ": ";
        return head + switch (target) {
            case "DNAT" -> {
                String to = IptablesRules.option(rule, "--to-destination");
                yield "DNAT " + arrived.dst() + ":" + arrived.dport() + " -> " + to + named(to);
            }
            case "MASQUERADE" -> "MASQUERADE (source rewritten to the outgoing interface's address)" + why;
            case "SNAT" -> "SNAT to " + IptablesRules.option(rule, "--to-source") + why;
            case "REJECT" -> "REJECT" + why + (rule.contains("--reject-with") ? " (" + IptablesRules.option(rule, "--reject-with") + ")" : "");
            case "DROP" -> "DROP" + why;
            case "ACCEPT" -> "ACCEPT" + why;
            case "KUBE-MARK-MASQ" -> "marked for masquerade" + why;
            case "KUBE-MARK-DROP" -> "marked to be dropped" + why;
            case "MARK" -> "MARK" + why;
            default -> {
                String to = label(rules, h.table(), target);
                yield "-> " + target + (to.isEmpty() ? why : to) + picked(rules, h, rule);
            }
        };
    }

    private static String label(IptablesRules rules, String table, String chain) {
        String l = chain.startsWith("KUBE-SVC-") || chain.startsWith("KUBE-SVL-") || chain.startsWith("KUBE-EXT-")
                || chain.startsWith("KUBE-FW-") || chain.startsWith("KUBE-SEP-") ? rules.label(table, chain) : null;
        return l == null ? "" : " (" + l + ")";
    }

    /** In a Service's chain: which endpoint rule matched, of how many, and the random choices before it that were not taken. */
    private static String picked(IptablesRules rules, RuleHit h, String rule) {
        String target = IptablesRules.target(rule);
        if (target == null || !target.startsWith("KUBE-SEP-")) return "";
        List<String> endpoints = rules.chain(h.table(), h.chain()).stream()
                .filter(r -> String.valueOf(IptablesRules.target(r)).startsWith("KUBE-SEP-")).toList();
        int k = endpoints.indexOf(rule);
        if (k < 0) return "";
        StringBuilder sb = new StringBuilder(", picked endpoint " + (k + 1) + " of " + endpoints.size());
        for (int i = 0; i < k; i++) {
            String p = IptablesRules.option(endpoints.get(i), "--probability");
            if (p != null) sb.append(i == 0 ? ": " : ", ").append("endpoint ").append(i + 1).append("'s probability ")
                    .append(new java.math.BigDecimal(p).stripTrailingZeros().toPlainString()).append(" not taken");
        }
        String own = IptablesRules.option(rule, "--probability");
        if (own != null) sb.append(k == 0 ? ": " : ", ").append("its probability ").append(new java.math.BigDecimal(own).stripTrailingZeros().toPlainString()).append(" taken");
        return sb.toString();
    }

    private String nftables(RuleHit h) {
        String verdict = h.verdict();
        if (h.kind().equals("policy")) return verdict.startsWith("accept") ? null : h.table() + " " + h.chain() + " policy " + verdict + ": dropped";
        if (verdict.equals("return") || verdict.equals("continue") || verdict.isEmpty()) return null;
        String line = h.chain() + ": " + h.rule() + "  => " + verdict;
        Matcher d = NFT_DNAT.matcher(h.rule());
        if (d.find()) line += named(d.group(1));
        Matcher v = NFT_VMAP.matcher(h.rule());
        if (v.find()) {
            String[] entries = v.group(2).split(", ");
            for (int i = 0; i < entries.length; i++) {
                if (verdict.endsWith(entries[i].substring(entries[i].indexOf(':') + 1).strip().replaceFirst("^goto ", ""))) {
                    line += "  (random choice: endpoint " + (i + 1) + " of " + v.group(1) + ")";
                }
            }
        }
        if (h.rule().startsWith("reject") || verdict.startsWith("reject")) line += "  (packet rejected)";
        else if (verdict.startsWith("drop")) line += "  (packet dropped)";
        return line;
    }

    private String named(String addressPort) {
        String n = addressPort == null ? null : who.apply(addressPort);
        return n == null ? "" : " (" + n + ")";
    }

    /** Reads the names map the tracer builds: address, or address:port, to who owns it. */
    public static Function<String, String> names(Map<String, String> byAddress) {
        return ap -> {
            String ip = ap.contains(":") ? ap.substring(0, ap.indexOf(':')) : ap;
            return byAddress.get(ip);
        };
    }
}
