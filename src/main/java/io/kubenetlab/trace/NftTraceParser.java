package io.kubenetlab.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code nft monitor trace} output: one packet per trace id, a new pass at each "packet:" line
 * (the kernel prints the packet on entering each base chain), the rule, policy and verdict lines after
 * it. The tracer's own table only marks packets: its rules are left out, its passes kept (they show the
 * packet as it arrived, which matters where the rules are iptables-legacy's and nft sees nothing else).
 */
public final class NftTraceParser {
    private static final Pattern LINE = Pattern.compile("^trace id (\\S+) (\\S+) (\\S+) (\\S+) (packet: |rule |policy |verdict )(.*)$");
    private static final Pattern VERDICT = Pattern.compile("^(.*) \\(verdict ([^)]*)\\)\\s*$");

    private NftTraceParser() {}

    public static List<PacketTrace> parse(String text, String ownTable) {
        Map<String, List<Pass>> byId = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) continue;
            String id = m.group(1);
            String table = m.group(3);
            String chain = m.group(4);
            String kind = m.group(5).strip().replace(":", "");
            String rest = m.group(6).strip();
            if (kind.equals("packet")) {
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(new Pass(table + " " + chain, rest));
                continue;
            }
            List<Pass> passes = byId.get(id);
            if (passes == null || table.equals(ownTable)) continue;
            String rule = rest;
            String verdict = kind.equals("policy") ? rest : "";
            Matcher v = VERDICT.matcher(rest);
            if (v.matches()) {
                rule = v.group(1);
                verdict = v.group(2);
            }
            if (kind.equals("verdict")) verdict = rest;
            passes.get(passes.size() - 1).hits.add(new RuleHit(table, chain, kind, 0, kind.equals("rule") ? rule : "", verdict));
        }
        // The kernel may give one packet a new trace id at a later hook (seen: prerouting and forward apart):
        // a trace that continues an earlier one (same ip id and source, a hook it has not been through) joins it.
        List<String> ids = new ArrayList<>();
        List<List<Pass>> packets = new ArrayList<>();
        byId.forEach((id, passes) -> {
            for (int i = packets.size() - 1; i >= 0; i--) {
                List<Pass> earlier = packets.get(i);
                if (continues(earlier, passes)) {
                    earlier.addAll(passes);
                    return;
                }
            }
            ids.add(id);
            packets.add(new ArrayList<>(passes));
        });
        List<PacketTrace> out = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) out.add(new PacketTrace(ids.get(i), packets.get(i).stream().map(Pass::pass).toList()));
        return out;
    }

    private static boolean continues(List<Pass> earlier, List<Pass> later) {
        Pass a = earlier.get(earlier.size() - 1);
        Pass b = later.get(0);
        String idA = word(a.packet, "ip id");
        if (idA == null || !idA.equals(word(b.packet, "ip id"))) return false;
        Tuple ta = tuple(a.packet);
        Tuple tb = tuple(b.packet);
        if (!ta.proto().equals(tb.proto()) || ta.sport() != tb.sport() || !java.util.Objects.equals(ta.src(), tb.src())) return false;
        return earlier.stream().noneMatch(p -> p.hook.equals(b.hook));
    }

    /** A base chain's pass while its lines are read. */
    private static final class Pass {
        final String hook;
        final String packet;
        final List<RuleHit> hits = new ArrayList<>();

        Pass(String hook, String packet) {
            this.hook = hook;
            this.packet = packet;
        }

        HookPass pass() {
            return new HookPass(hook, tuple(packet), quoted(packet, "iif"), quoted(packet, "oif"), flags(packet), hits);
        }
    }

    static Tuple tuple(String packet) {
        String proto = word(packet, "meta l4proto");
        int sport = 0;
        int dport = 0;
        for (String p : List.of("tcp", "udp", "sctp")) {
            String s = word(packet, p + " sport");
            if (s != null) {
                proto = p;
                sport = Integer.parseInt(s);
                dport = Integer.parseInt(word(packet, p + " dport"));
            }
        }
        if (proto == null && packet.contains("icmp type")) proto = "icmp";
        return new Tuple(proto == null ? "" : proto, word(packet, "ip saddr"), sport, word(packet, "ip daddr"), dport);
    }

    private static String word(String text, String key) {
        Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(key) + " (\\S+)").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static String quoted(String text, String key) {
        Matcher m = Pattern.compile("(?:^| )" + key + " \"([^\"]*)\"").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static String flags(String text) {
        Matcher m = Pattern.compile("tcp flags == (\\S+(?: \\| \\S+)*)").matcher(text);
        return m.find() ? m.group(1) : "";
    }
}
