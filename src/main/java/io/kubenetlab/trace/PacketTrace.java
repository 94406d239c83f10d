package io.kubenetlab.trace;

import java.util.List;

/** One packet through one machine: the kernel's trace id (nftables) or ip id (iptables), and its hooks in order. */
public record PacketTrace(String id, List<HookPass> hooks) {
    public PacketTrace {
        hooks = List.copyOf(hooks);
    }

    /** The packet as it arrived (or was sent), before any rewriting on this machine. */
    public Tuple arrived() {
        return hooks.get(0).packet();
    }

    /** The packet as it left: its last hook's view (after DNAT at prerouting, before SNAT at postrouting). */
    public Tuple left() {
        return hooks.get(hooks.size() - 1).packet();
    }

    /** Every rule it met, in order, across hooks. */
    public List<RuleHit> hits() {
        return hooks.stream().flatMap(h -> h.hits().stream()).toList();
    }
}
