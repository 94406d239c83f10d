package io.kubenetlab.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A netfilter ruleset a machine holds: who writes it ({@code kube-proxy}, {@code load-balancer}), the
 * backend that loads it ({@code iptables-legacy}, {@code nftables}), the text that backend reads, and how
 * a change is applied. Its text is the whole desired ruleset, never a delta.
 */
public record Ruleset(String owner, String backend, Sync sync, String text) {
    public static final String IPTABLES_LEGACY = "iptables-legacy";
    public static final String NFTABLES = "nftables";

    public enum Sync {
        /** Loaded once when the machine is made, on top of what is there (kube-proxy's jump chains). */
        ONCE,
        /** Only what changed since the last load (kube-proxy's partial sync); other tables and chains stay. */
        INCREMENTAL,
        /** The whole table replaced (the load balancer's namespace is ours alone). */
        REPLACE
    }

    /**
     * The tables the text declares ({@code *nat} in iptables-restore text, {@code table ip NAME} in nft's
     * declarative form, {@code add table ip NAME} in an nft transaction).
     */
    public List<String> tables() {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("*")) out.add(line.substring(1));
            else if (line.startsWith("table ")) out.add(line.substring(6).replace(" {", "").trim());
            else if (line.startsWith("add table ")) {
                String[] w = line.split(" ");
                if (w.length >= 4) out.add(w[2] + " " + w[3]); // nft -f transaction: "add table ip NAME ..."
            }
        }
        return out.stream().distinct().toList();
    }
}
