package io.kubenetlab.proxy;

import io.kubenetlab.proxy.NftTable.Chain;
import io.kubenetlab.proxy.NftTable.Container;
import io.kubenetlab.proxy.NftTable.Element;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code nft -f} transaction that turns the table a node holds into the next one (section 7 of
 * docs/kube-proxy-nftables.md). From a table we rendered: only what changed, at chain and element
 * granularity. From anything else (nothing, or a text we cannot read): a full sync that also replaces
 * an older kube-proxy's table, as upstream's first sync does.
 */
public final class NftablesSync {
    private NftablesSync() {}

    /**
     * @param previous what the node holds: a text {@link NftablesRules#render} wrote, or null/blank/other
     *                 text when that is unknown (then the result is a full sync)
     * @param next     a text {@link NftablesRules#render} wrote
     * @return the transaction; "" when nothing changed
     */
    public static String syncText(String previous, String next) {
        NftTable to = RecentTables.read(next).orElseThrow(() -> new IllegalArgumentException("not a rendered kube-proxy nftables table"));
        Optional<NftTable> from = RecentTables.read(previous);
        if (from.isEmpty() || !sameShape(from.get(), to)) return full(from.orElse(null), to);
        return partial(from.get(), to);
    }

    /**
     * Whether every change can be made in place: the same table, and no chain whose declaration (hook,
     * priority, comment) changed, which nft cannot alter on a live chain ("Operation not supported").
     */
    private static boolean sameShape(NftTable from, NftTable to) {
        if (!from.family().equals(to.family()) || !from.name().equals(to.name()) || !from.comment().equals(to.comment())) return false;
        for (Chain c : to.chains().values()) {
            Chain old = from.chains().get(c.name());
            if (old != null && !old.spec().equals(c.spec())) return false;
        }
        for (Container c : to.containers().values()) {
            Container old = from.containers().get(c.name());
            if (old != null && !old.kind().equals(c.kind())) return false;
        }
        return true;
    }

    /**
     * Every rule and element rewritten. flush table empties every chain of whatever table is there,
     * ours or an older kube-proxy's; each base chain is then added and deleted once so that it can be
     * declared again with our hook and priority (upstream setupNFTables, "!proxier.flushed"). flush table
     * leaves set and map elements: the static ones are flushed one by one, the dynamic ones (client
     * affinity) kept. With {@code from} known, its stale objects are deleted at the end; unknown stale
     * chains of an older table stay, empty and unreferenced.
     */
    static String full(NftTable from, NftTable to) {
        String prefix = NftText.prefix(to);
        StringBuilder out = new StringBuilder(4096);
        out.append("add table ").append(prefix.trim()).append('\n');
        out.append("flush table ").append(prefix.trim()).append('\n');
        for (Chain c : to.chains().values()) {
            if (c.spec().startsWith("{ type ")) {
                out.append("add chain ").append(prefix).append(c.name()).append('\n');
                out.append("delete chain ").append(prefix).append(c.name()).append('\n');
            }
        }
        NftText.declarations(out, to, true);
        NftText.body(out, to);
        if (from != null && from.family().equals(to.family()) && from.name().equals(to.name())) {
            // Containers first: a stale map's elements could still point at a stale chain.
            for (Container c : from.containers().values()) {
                if (!to.containers().containsKey(c.name())) out.append("delete ").append(c.kind()).append(' ').append(prefix).append(c.name()).append('\n');
            }
            for (Chain c : from.chains().values()) {
                if (!to.chains().containsKey(c.name()) && !c.spec().startsWith("{ type ")) out.append("delete chain ").append(prefix).append(c.name()).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Only what changed, ordered so that nothing is used before it exists or deleted while still used:
     * (1) delete removed and changed elements, (2) add new sets and maps and re-add changed ones (nft
     * updates a set's timeout in place), (3) add and flush the new and changed chains and flush the stale
     * ones, (4) write the rules of the new and changed chains, (5) delete the stale chains and sets,
     * (6) add the new and changed elements.
     *
     * <p>Upstream flushes a stale chain and deletes it in a later sync, one second on: with kernels before
     * 6.2 a chain a deleted map element pointed to stays "in use" a little while. We delete it in the same
     * transaction, after its last reference is gone, which kernels since then accept (checked with nft on
     * 6.18: see NftablesRulesLoadIT); a chain that is still referenced fails the whole transaction (EBUSY).
     */
    static String partial(NftTable from, NftTable to) {
        String prefix = NftText.prefix(to);
        List<String> out = new ArrayList<>();
        for (Element e : from.elements().values()) {
            if (!to.containers().containsKey(e.container())) continue; // deleting its set deletes it
            if (!Objects.equals(to.elements().get(e.id()), e)) out.add(NftText.deleteElement(to, e));
        }
        for (Container c : to.containers().values()) {
            if (!c.equals(from.containers().get(c.name()))) out.add(NftText.addContainer(to, c));
        }
        List<Chain> written = new ArrayList<>();
        for (Chain c : to.chains().values()) {
            if (!c.equals(from.chains().get(c.name()))) written.add(c);
        }
        List<Chain> stale = new ArrayList<>();
        for (Chain c : from.chains().values()) {
            if (!to.chains().containsKey(c.name())) stale.add(c);
        }
        for (Chain c : written) {
            // Upstream's ensureChain: add is a no-op for an existing chain, flush empties it.
            out.add(NftText.addChain(to, c));
            out.add("flush chain " + prefix + c.name());
        }
        for (Chain c : stale) out.add("flush chain " + prefix + c.name());
        for (Chain c : written) for (String r : c.rules()) out.add(NftText.addRule(to, c.name(), r));
        for (Chain c : stale) out.add("delete chain " + prefix + c.name());
        for (Container c : from.containers().values()) {
            if (!to.containers().containsKey(c.name())) out.add("delete " + c.kind() + " " + prefix + c.name());
        }
        for (Element e : to.elements().values()) {
            if (!e.equals(from.elements().get(e.id()))) out.add(NftText.addElement(to, e));
        }
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }
}
