package io.kubenetlab.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-proxy's sync, at chain granularity (MinimizeIPTablesRestore and stale-chain cleanup, section 9):
 * given the ruleset a node holds — what we last gave it, or its iptables-save when we do not know
 * (a controller just started) — and the one it should hold, the restore text that leaves every
 * per-service chain (KUBE-SVC/SVL/EXT/FW/SEP) whose rules did not change alone ({@code --noflush}
 * keeps an undeclared chain as it is), rewrites the changed ones and the top-level chains, and
 * deletes the per-service chains that are gone. A node then parses a fraction of the text, which is
 * most of a restore's cost.
 */
public final class PartialSync {
    private PartialSync() {}

    /** One table: its chains in declaration order, and each chain's rules in order. */
    private record Table(String name, Map<String, List<String>> chains) {}

    /**
     * The text for {@code iptables-restore --noflush} that turns {@code previous} (restore or
     * iptables-save text) into {@code next}.
     */
    public static String restoreText(String previous, String next) {
        Map<String, Table> before = parse(previous);
        StringBuilder out = new StringBuilder(next.length() / 2);
        for (Table t : parse(next).values()) {
            Table old = before.get(t.name());
            List<String> write = new ArrayList<>();
            for (var e : t.chains().entrySet()) {
                boolean unchanged = old != null && ChainNames.perService(e.getKey()) && e.getValue().equals(old.chains().get(e.getKey()));
                if (!unchanged) write.add(e.getKey());
            }
            List<String> stale = new ArrayList<>();
            if (old != null) for (String c : old.chains().keySet()) if (ChainNames.perService(c) && !t.chains().containsKey(c)) stale.add(c);
            out.append('*').append(t.name()).append('\n');
            for (String c : write) out.append(':').append(c).append(" - [0:0]\n");
            for (String c : stale) out.append(':').append(c).append(" - [0:0]\n");
            for (String c : write) for (String rule : t.chains().get(c)) out.append(rule).append('\n');
            for (String c : stale) out.append("-X ").append(c).append('\n');
            out.append("COMMIT\n");
        }
        return out.toString();
    }

    /** Tables of restore text, each chain's {@code -A} rules grouped under it in their order. */
    static Map<String, Table> parse(String text) {
        Map<String, Table> tables = new LinkedHashMap<>();
        Table current = null;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int end = text.indexOf('\n', i);
            if (end < 0) end = n;
            String line = text.substring(i, end);
            i = end + 1;
            if (line.startsWith("*")) {
                current = new Table(line.substring(1), new LinkedHashMap<>());
                tables.put(current.name(), current);
            } else if (current == null || line.isEmpty() || line.equals("COMMIT") || line.startsWith("#")) {
                continue;
            } else if (line.startsWith(":")) {
                int sp = line.indexOf(' ');
                current.chains().putIfAbsent(line.substring(1, sp > 0 ? sp : line.length()), new ArrayList<>());
            } else if (line.startsWith("-A ")) {
                int sp = line.indexOf(' ', 3);
                String chain = line.substring(3, sp > 0 ? sp : line.length());
                current.chains().computeIfAbsent(chain, k -> new ArrayList<>()).add(line);
            }
        }
        return tables;
    }

    /** The chains of one table in restore or iptables-save text. */
    static Set<String> chains(String text, String table) {
        Table t = parse(text).get(table);
        return t == null ? Set.of() : t.chains().keySet();
    }
}
