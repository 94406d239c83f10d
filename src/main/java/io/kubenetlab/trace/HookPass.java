package io.kubenetlab.trace;

import java.util.List;

/**
 * A packet's passage through one base chain (nftables) or one hook (iptables) of one machine: the
 * packet as it was there (iif/oif when the kernel knew them, tcp flags) and the rules it met in order.
 */
public record HookPass(String hook, Tuple packet, String iif, String oif, String flags, List<RuleHit> hits) {
    public HookPass {
        hits = List.copyOf(hits);
    }
}
