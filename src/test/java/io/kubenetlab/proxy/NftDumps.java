package io.kubenetlab.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Upstream's canonical form of an nftables dump (pkg/proxy/nftables/helpers_test.go,
 * sortNFTablesTransaction), so that our output can be compared with upstream's literal expectations:
 * blank and "#" lines dropped; lines ordered by object type (table, chain, rule, set, map, element),
 * then by object name; rules of one chain keep their order; other lines of one object sort as strings.
 */
final class NftDumps {
    private static final Map<String, Integer> ORDER = Map.of("table", 10, "chain", 9, "rule", 8, "set", 7, "map", 6, "element", 5);

    private NftDumps() {}

    static String canonical(String dump) {
        List<String> lines = new ArrayList<>();
        for (String l : dump.split("\n")) {
            String line = l.strip();
            if (!line.isEmpty() && !line.startsWith("#")) lines.add(line);
        }
        // A stable sort, as Go's sort.SliceStable: rules of the same chain compare equal and stay in order.
        lines.sort(NftDumps::compare);
        return String.join("\n", lines);
    }

    private static int compare(String a, String b) {
        String[] wa = a.split(" ");
        String[] wb = b.split(" ");
        if (wa.length < 5 || wb.length < 5) return 0;
        if (!wa[1].equals(wb[1])) return Integer.compare(ORDER.getOrDefault(wb[1], 0), ORDER.getOrDefault(wa[1], 0));
        if (!wa[4].equals(wb[4])) return wa[4].compareTo(wb[4]);
        if (wa[1].equals("rule")) return 0;
        return a.compareTo(b);
    }
}
