package io.kubenetlab.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One connection as a namespace's conntrack holds it: the original direction as it arrived, and the
 * reply direction it expects, which is where NAT shows (upstream kube-proxy relies on it for every
 * un-DNAT and un-SNAT of a reply).
 */
public record ConntrackEntry(Tuple original, Tuple reply) {
    private static final Pattern KV = Pattern.compile("(src|dst|sport|dport)=(\\S+)");

    /** The entries in {@code conntrack -L} output. */
    public static List<ConntrackEntry> parse(String text) {
        List<ConntrackEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4 || !(f[0].equals("tcp") || f[0].equals("udp") || f[0].equals("sctp"))) continue;
            List<String> v = new ArrayList<>();
            Matcher m = KV.matcher(line);
            while (m.find()) v.add(m.group(2));
            if (v.size() < 8) continue;
            out.add(new ConntrackEntry(new Tuple(f[0], v.get(0), Integer.parseInt(v.get(2)), v.get(1), Integer.parseInt(v.get(3))),
                    new Tuple(f[0], v.get(4), Integer.parseInt(v.get(6)), v.get(5), Integer.parseInt(v.get(7)))));
        }
        return out;
    }

    /** The original direction as it left this namespace: destination and source after any NAT here. */
    public Tuple forwarded() {
        return new Tuple(original.proto(), reply.dst(), reply.dport(), reply.src(), reply.sport());
    }

    public boolean dnat() {
        return !reply.src().equals(original.dst()) || reply.sport() != original.dport();
    }

    public boolean snat() {
        return !reply.dst().equals(original.src()) || reply.dport() != original.sport();
    }

    /** What NAT this namespace did, in words, or "" for none. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (dnat()) parts.add("DNAT " + original.dst() + ":" + original.dport() + " -> " + reply.src() + ":" + reply.sport());
        if (snat()) parts.add("SNAT " + original.src() + ":" + original.sport() + " -> " + reply.dst() + ":" + reply.dport());
        return String.join(", ", parts);
    }
}
