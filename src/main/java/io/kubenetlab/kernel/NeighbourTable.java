package io.kubenetlab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The kernel's neighbour (ARP) table is one table for every network namespace, with one limit,
 * {@code net.ipv4.neigh.default.gc_thresh3} (1024 on Debian; only the root namespace shows it). A real
 * cluster spreads its pods over many kernels; a lab puts them all in one, so a lab of a few hundred pods
 * talking through their nodes can fill it: the kernel then logs "neighbor table overflow" and new
 * connections time out (a 2,000-pod lab before pods' neighbours were pinned: 1,009 of 1,024 entries in
 * use, one probe in 4,000 timed out). Permanent entries do not count against the limit, so the plan pins
 * each pod's entry for its gateway and its node's entry for it ({@code BridgedPods}); since then the same
 * lab verifies with the table full 0 times. The lab reads the limit and warns; it never changes a host setting.
 */
public final class NeighbourTable {
    static final Path LIMIT = Path.of("/proc/sys/net/ipv4/neigh/default/gc_thresh3");

    private NeighbourTable() {}

    /**
     * Dynamic entries a lab's traffic may hold at once, pinned ones left out: one per pod (a peer on its own
     * bridge it talks to directly, while it talks) and a few per machine (its gateway and neighbours on the
     * node network). An upper bound: entries expire, and the measured 2,000-pod lab never filled 1,024.
     */
    public static int entriesNeeded(int pods, int machines) {
        return pods + 4 * machines;
    }

    /** The host's limit, if it can be read. */
    public static OptionalInt limit() {
        try {
            return OptionalInt.of(Integer.parseInt(read(LIMIT).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** A /proc file's text. Not Files.readString: such a file reports size 0, and the JDK then read a sysctl's first byte only ("1"). */
    private static String read(Path proc) throws IOException {
        try (InputStream in = Files.newInputStream(proc)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** How full the table is: entries now, and how often since boot it was full (summed over CPUs). */
    public record Usage(long entries, long timesFull) {}

    /** {@code /proc/net/stat/arp_cache}, if it can be read. */
    public static Optional<Usage> usage() {
        try {
            return Optional.of(usage(read(Path.of("/proc/net/stat/arp_cache"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The stat file's text: a header, then a line per CPU of hex fields, entries first, table_fulls last. */
    static Usage usage(String stat) {
        long entries = 0, fulls = 0;
        for (String line : stat.lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            entries = Long.parseLong(f[0], 16);
            fulls += Long.parseLong(f[f.length - 1], 16);
        }
        return new Usage(entries, fulls);
    }

    /** A warning when a lab needing {@code needed} entries may not fit under {@code limit}. */
    public static Optional<String> warning(int needed, int limit) {
        if (needed <= limit) return Optional.empty();
        int raised = Integer.highestOneBit(needed * 2 - 1) * 2; // a power of two with room to spare
        return Optional.of("warning: this lab's traffic may need about " + needed + " neighbour (ARP) entries, and the kernel keeps at most "
                + limit + " for all network namespaces together (net.ipv4.neigh.default.gc_thresh3): past that, new connections time out"
                + " (\"neighbor table overflow\" in dmesg). kubenetlab changes no host setting; to raise the limit until the next boot:"
                + " sysctl -w net.ipv4.neigh.default.gc_thresh2=" + raised / 2 + " net.ipv4.neigh.default.gc_thresh3=" + raised);
    }
}
