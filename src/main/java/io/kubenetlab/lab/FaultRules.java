package io.kubenetlab.lab;

import io.kubenetlab.model.LabException;
import io.kubenetlab.net.Cidr;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of the lab's faults, as pure functions: the nft transactions of a partition in one
 * machine's namespace, and the tbf qdisc of a rate limit. {@link Faults} sends them to the kernel.
 *
 * <p>A partition lives in a table of its own ({@link #TABLE}), never kube-proxy's: the iptables mode
 * (legacy x_tables) and the nftables mode (which flushes only its own {@code kube-proxy} tables) leave
 * it alone. Each peer gets its own three base chains, so a heal deletes exactly its chains without
 * rule handles, and a partition from a third machine is untouched.
 */
final class FaultRules {
    static final String FAMILY = "inet";
    static final String TABLE = "kubenetlab-faults";
    /** Before kube-proxy's filter chains (priority 0): a drop anywhere is final, so the order only saves work. */
    static final int PRIORITY = -10;
    private static final List<String> HOOKS = List.of("input", "forward", "output");

    private FaultRules() {}

    /** The chain of one peer on one hook: {@code partition-node2-input}. */
    static String chain(String peer, String hook) {
        return "partition-" + peer + "-" + hook;
    }

    /**
     * The transaction that drops, in one machine, every packet from or to {@code peerCidrs} (the peer's
     * addresses and the pod CIDRs it hosts): received (input), routed through, pods' and encapsulated
     * overlay traffic alike (forward, after kube-proxy's DNAT), and sent (output, after DNAT).
     * Idempotent: the chains are added, flushed and written again.
     */
    static String partition(String lab, String peer, List<Cidr> peerCidrs) {
        String set = elements(peerCidrs);
        String t = FAMILY + " " + TABLE;
        StringBuilder out = new StringBuilder();
        out.append("add table ").append(t).append(" { comment \"kubenetlab ").append(lab).append(": faults\" ; }\n");
        Map<String, List<String>> rules = Map.of(
                "input", List.of("ip saddr " + set + " drop"),
                "forward", List.of("ip saddr " + set + " drop", "ip daddr " + set + " drop"),
                "output", List.of("ip daddr " + set + " drop"));
        for (String hook : HOOKS) {
            String c = chain(peer, hook);
            out.append("add chain ").append(t).append(' ').append(c)
                    .append(" { type filter hook ").append(hook).append(" priority ").append(PRIORITY).append(" ; policy accept ; }\n");
            out.append("flush chain ").append(t).append(' ').append(c).append('\n');
            for (String r : rules.get(hook)) out.append("add rule ").append(t).append(' ').append(c).append(' ').append(r).append('\n');
        }
        return out.toString();
    }

    /**
     * The transaction that removes one peer's chains from a machine whose table (as nft lists it) is
     * {@code table}: only those there (nft 1.0.6 has no "destroy"); the table itself too when nothing
     * else is left in it. "" when there is nothing to remove.
     */
    static String heal(String peer, String table) {
        List<String> present = chains(table);
        List<String> mine = HOOKS.stream().map(h -> chain(peer, h)).filter(present::contains).toList();
        if (mine.isEmpty()) return "";
        String t = FAMILY + " " + TABLE;
        if (present.size() == mine.size()) return "delete table " + t + "\n";
        StringBuilder out = new StringBuilder();
        for (String c : mine) out.append("delete chain ").append(t).append(' ').append(c).append('\n');
        return out.toString();
    }

    /** The chains an {@code nft list table} output declares. */
    static List<String> chains(String table) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*chain (\\S+) \\{").matcher(table == null ? "" : table);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /**
     * An anonymous set of the CIDRs, with those inside another one left out (nft refuses overlapping
     * intervals), single addresses written bare: {@code { 10.100.0.3, 10.0.2.0/24 }}.
     */
    static String elements(List<Cidr> cidrs) {
        List<Cidr> distinct = cidrs.stream().distinct().toList();
        List<Cidr> kept = distinct.stream().filter(c -> distinct.stream().noneMatch(o -> !o.equals(c) && o.contains(c))).toList();
        if (kept.isEmpty()) throw new IllegalArgumentException("a partition needs at least one address");
        return "{ " + String.join(", ", kept.stream().map(c -> c.prefix() == 32 ? c.network().toString() : c.toString()).toList()) + " }";
    }

    /** Whether a ruleset's text names this IPv4 address (10.0.1.2, not 10.0.1.23 or 110.0.1.2). */
    static boolean names(String rules, String ip) {
        return Pattern.compile("(?<![0-9.])" + Pattern.quote(ip) + "(?![0-9])").matcher(rules).find();
    }

    // ---------------------------------------------------------------- rate limits

    /** A rate as tc reads it (tc(8) "RATES"): its spelling for tc and its value in bits per second. */
    record Rate(String text, double bitsPerSecond) {}

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)([a-z]*)");
    /** tc's rate units in bits per second: SI for k/m/g/t, IEC for ki/mi/gi/ti, bps are bytes. */
    private static final Map<String, Double> UNITS = Map.ofEntries(
            Map.entry("", 1d), Map.entry("bit", 1d), Map.entry("kbit", 1e3), Map.entry("mbit", 1e6), Map.entry("gbit", 1e9),
            Map.entry("tbit", 1e12), Map.entry("kibit", 1024d), Map.entry("mibit", 1024d * 1024), Map.entry("gibit", 1024d * 1024 * 1024),
            Map.entry("tibit", 1024d * 1024 * 1024 * 1024), Map.entry("bps", 8d), Map.entry("kbps", 8e3), Map.entry("mbps", 8e6),
            Map.entry("gbps", 8e9), Map.entry("tbps", 8e12), Map.entry("kibps", 8d * 1024), Map.entry("mibps", 8d * 1024 * 1024),
            Map.entry("gibps", 8d * 1024 * 1024 * 1024), Map.entry("tibps", 8d * 1024 * 1024 * 1024 * 1024));
    /** What tbf can be asked for here: at least 8 bit/s (a byte a second), at most tc's 64-bit bytes per second in practice. */
    private static final double MIN_BITS = 8;
    private static final double MAX_BITS = 1e13;

    /** Parses and checks a tc rate ("1mbit", "500kbit", "2Mbit", "100kbps"); a LabException says what is wrong. */
    static Rate rate(String text) {
        if (text == null || text.isBlank()) throw new LabException("rate limit: no rate given (tc syntax, e.g. 1mbit, 500kbit, 100kbps)");
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = RATE.matcher(t);
        if (!m.matches() || !UNITS.containsKey(m.group(2))) {
            throw new LabException("rate limit: \"" + text + "\" is not a tc rate: a number and one of the units bit, kbit, mbit, gbit, tbit,"
                    + " kibit, mibit, gibit, tibit, bps, kbps, mbps, gbps, tbps (e.g. 1mbit)");
        }
        double bits = new BigDecimal(m.group(1)).doubleValue() * UNITS.get(m.group(2));
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new LabException("rate limit: \"" + text + "\" is out of range: between 8bit (a byte a second) and 10tbit");
        }
        return new Rate(t, bits);
    }

    /**
     * The tc line of a rate limit on a device's egress: a tbf qdisc as root. Its bucket holds a timer
     * tick's worth of bytes at HZ 250 (tbf's rule), at least 8 KiB (a few full-size frames); its queue
     * 100 ms, so a TCP flow backs off instead of queueing for seconds.
     */
    static String tbf(String dev, Rate rate) {
        long burst = Math.max(8192, (long) Math.ceil(rate.bitsPerSecond() / 8 / 250));
        return "qdisc replace dev " + dev + " root tbf rate " + rate.text() + " burst " + burst + " latency 100ms";
    }

    /** The tc line that removes a device's root qdisc (back to the device's default). */
    static String clear(String dev) {
        return "qdisc del dev " + dev + " root";
    }

    /** Whether {@code tc qdisc show} output has a tbf as the root qdisc (a rate limit of ours). */
    static boolean limited(String qdiscs) {
        return qdiscs.lines().anyMatch(l -> l.startsWith("qdisc tbf ") && l.contains(" root "));
    }
}
