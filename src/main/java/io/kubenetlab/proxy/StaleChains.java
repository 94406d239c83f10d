package io.kubenetlab.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-proxy deletes the per-Service and per-endpoint chains a sync no longer uses (a pod that left
 * the endpoints leaves no KUBE-SEP chain behind): with {@code --noflush} a chain absent from the
 * new text would otherwise stay. This adds, per table, the declaration (which flushes it) and an
 * {@code -X} for every such chain of the previous sync, as kube-proxy's restore text does.
 */
public final class StaleChains {
    private static final List<String> PREFIXES = List.of("KUBE-SVC-", "KUBE-SEP-", "KUBE-EXT-", "KUBE-SVL-", "KUBE-FW-");

    private StaleChains() {}

    public static String deleteStale(String previous, String next) {
        if (previous == null) return next;
        Map<String, Set<String>> before = chains(previous);
        Map<String, Set<String>> after = chains(next);
        StringBuilder out = new StringBuilder();
        String table = null;
        List<String> stale = new ArrayList<>();
        for (String line : next.split("\n", -1)) {
            if (line.startsWith("*")) {
                table = line.substring(1);
                out.append(line).append('\n');
                stale = new ArrayList<>(before.getOrDefault(table, Set.of()));
                stale.removeAll(after.getOrDefault(table, Set.of()));
                for (String c : stale) out.append(':').append(c).append(" - [0:0]\n");
                continue;
            }
            if (line.equals("COMMIT")) for (String c : stale) out.append("-X ").append(c).append('\n');
            out.append(line).append('\n');
        }
        out.setLength(out.length() - 1); // split kept the text's last line ending as an empty line
        return out.toString();
    }

    private static Map<String, Set<String>> chains(String text) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        String table = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("*")) table = line.substring(1);
            else if (line.startsWith(":") && table != null) {
                String chain = line.substring(1, line.indexOf(' ') > 0 ? line.indexOf(' ') : line.length());
                if (PREFIXES.stream().anyMatch(chain::startsWith)) out.computeIfAbsent(table, k -> new LinkedHashSet<>()).add(chain);
            }
        }
        return out;
    }
}
