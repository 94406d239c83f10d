package io.kubenetlab.trace;

/**
 * One rule a traced packet met: its table and chain, what the kernel reported ({@code rule}: it matched,
 * {@code return}: the chain ended, {@code policy}: a base chain's policy applied), its number in the
 * chain (iptables; 0 for nftables), its text and the verdict (nftables says it; iptables' is the rule's target).
 */
public record RuleHit(String table, String chain, String kind, int number, String rule, String verdict) {
    public RuleHit withRule(String text) {
        return new RuleHit(table, chain, kind, number, text, verdict);
    }
}
