package io.kubenetlab.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a machine's kernel state differs from its plan: missing or extra links, addresses and routes,
 * link attributes the plan sets (kind, bridge port, MAC, MTU, alias, hairpin, up), sysctl values, and
 * netfilter rules chain by chain. Only what the plan says is compared: the kernel's own routes and a
 * link's unplanned attributes are not differences. Pure.
 */
public final class PlanDiff {
    /** One difference: {@code what} names the object, {@code expected}/{@code actual} are null when absent. */
    public record Difference(String machine, String what, String expected, String actual) {
        @Override
        public String toString() {
            if (expected == null) return machine + ": unexpected " + what + (actual.isEmpty() ? "" : ": " + actual);
            if (actual == null) return machine + ": missing " + what + (expected.isEmpty() ? "" : ": " + expected);
            return machine + ": " + what + ": expected " + expected + ", found " + actual;
        }
    }

    private PlanDiff() {}

    public static List<Difference> compare(MachinePlan plan, LiveMachine live) {
        List<Difference> out = new ArrayList<>();
        String m = plan.name();
        if (!live.exists()) {
            out.add(new Difference(m, "network namespace " + plan.netns(), "", null));
            return out;
        }
        links(m, plan, live, out);
        for (AddressPlan a : plan.addresses()) {
            if (!live.addresses().contains(a)) out.add(new Difference(m, "address " + a.cidr() + " dev " + a.dev(), "", null));
        }
        for (AddressPlan a : live.addresses()) {
            if (!plan.addresses().contains(a) && plan.link(a.dev()).isPresent()) out.add(new Difference(m, "address " + a.cidr() + " dev " + a.dev(), null, ""));
        }
        routes(m, plan, live, out);
        for (NeighbourEntry n : plan.neighbours()) {
            if (!live.neighbours().contains(n)) out.add(new Difference(m, "neighbour " + n.ip() + " dev " + n.dev(), "lladdr " + n.mac(), null));
        }
        for (NeighbourEntry n : live.neighbours()) {
            if (!plan.neighbours().contains(n)) out.add(new Difference(m, "neighbour " + n.ip() + " dev " + n.dev(), null, "lladdr " + n.mac()));
        }
        for (FdbEntry f : plan.fdb()) {
            if (!live.fdb().contains(f)) out.add(new Difference(m, "fdb " + f.mac() + " dev " + f.dev(), "dst " + f.dst(), null));
        }
        for (FdbEntry f : live.fdb()) {
            if (!plan.fdb().contains(f)) out.add(new Difference(m, "fdb " + f.mac() + " dev " + f.dev(), null, "dst " + f.dst()));
        }
        plan.sysctls().forEach((k, v) -> {
            String have = live.sysctls().get(k);
            if (!v.equals(have)) out.add(new Difference(m, "sysctl " + k, v, have == null ? "(unset)" : have));
        });
        live.expectedRulesets().forEach((backend, expected) -> rules(m, backend, expected, live.rulesets().getOrDefault(backend, ""), out));
        return out;
    }

    private static void links(String m, MachinePlan plan, LiveMachine live, List<Difference> out) {
        Map<String, LiveMachine.Link> have = new LinkedHashMap<>();
        live.links().forEach(l -> have.put(l.name(), l));
        for (LinkPlan l : plan.links()) {
            LiveMachine.Link h = have.remove(l.name());
            String what = "link " + l.name();
            if (h == null) {
                out.add(new Difference(m, what, describe(l), null));
                continue;
            }
            attr(out, m, what, "kind", l.kind().name().toLowerCase(), h.kind() == null ? "other" : h.kind().name().toLowerCase());
            if (l.kind() != LinkPlan.Kind.LOOPBACK) attr(out, m, what, "bridge port of", orNone(l.master()), orNone(h.master()));
            if (l.mac() != null) attr(out, m, what, "MAC", l.mac(), h.mac());
            if (l.mtu() != null) attr(out, m, what, "MTU", l.mtu().toString(), Integer.toString(h.mtu()));
            if (l.alias() != null) attr(out, m, what, "alias", l.alias(), orNone(h.alias()));
            if (l.master() != null) attr(out, m, what, "hairpin", onOff(l.hairpin()), onOff(h.hairpin()));
            attr(out, m, what, "state", "up", h.up() ? "up" : "down");
            if (l.vxlan() != null) {
                attr(out, m, what, "vxlan id", Integer.toString(l.vxlan().id()), String.valueOf(h.vxlanId()));
                attr(out, m, what, "vxlan dstport", Integer.toString(l.vxlan().dstPort()), String.valueOf(h.vxlanPort()));
                attr(out, m, what, "vxlan learning", onOff(l.vxlan().learning()), h.vxlanLearning() == null ? "?" : onOff(h.vxlanLearning()));
            }
        }
        // A link the lab did not plan, in a namespace the lab owns: someone added it.
        for (LiveMachine.Link h : have.values()) out.add(new Difference(m, "link " + h.name(), null, h.kind() == null ? "" : h.kind().name().toLowerCase()));
    }

    private static void routes(String m, MachinePlan plan, LiveMachine live, List<Difference> out) {
        Map<String, RoutePlan> have = new LinkedHashMap<>();
        live.routes().forEach(r -> have.put(r.dst(), r));
        for (RoutePlan r : plan.routes()) {
            RoutePlan h = have.remove(r.dst());
            if (h == null) out.add(new Difference(m, "route " + r.dst(), describe(r), null));
            else if (!matches(r, h)) out.add(new Difference(m, "route " + r.dst(), describe(r), describe(h)));
        }
        for (RoutePlan h : have.values()) out.add(new Difference(m, "route " + h.dst(), null, describe(h)));
    }

    /** A route as read back matches the plan's when gateways and flags agree; its device counts only if the plan names one. */
    public static boolean matches(RoutePlan planned, RoutePlan live) {
        if (!Objects.equals(planned.dst(), live.dst())) return false;
        if (!new java.util.TreeSet<>(planned.via()).equals(new java.util.TreeSet<>(live.via()))) return false;
        if (planned.dev() != null && !planned.dev().equals(live.dev())) return false;
        return planned.onlink() == live.onlink() && Objects.equals(planned.proto(), live.proto());
    }

    /**
     * Rules compared chain by chain, in order, as the backend's save tool prints them (the plan's
     * loaded into a scratch namespace, so spellings agree). Counters and comments of the tool are ignored.
     */
    static void rules(String m, String backend, String expected, String actual, List<Difference> out) {
        boolean nft = backend.equals(Ruleset.NFTABLES);
        Map<String, List<String>> want = nft ? nftBlocks(expected) : chains(expected);
        Map<String, List<String>> have = nft ? nftBlocks(actual) : chains(actual);
        for (var e : want.entrySet()) {
            List<String> h = have.remove(e.getKey());
            String what = backend + (nft ? " " : " chain ") + e.getKey();
            if (h == null) {
                out.add(new Difference(m, what, e.getValue().size() + " rules", null));
                continue;
            }
            int before = out.size();
            String line = nft ? what : backend + " rule";
            for (String r : e.getValue()) if (!h.contains(r)) out.add(new Difference(m, line, r, null));
            for (String r : h) if (!e.getValue().contains(r)) out.add(new Difference(m, line, null, r));
            if (out.size() == before && !h.equals(e.getValue())) {
                out.add(new Difference(m, what + " order", String.join(" | ", e.getValue()), String.join(" | ", h)));
            }
        }
        for (var e : have.entrySet()) out.add(new Difference(m, backend + (nft ? " " : " chain ") + e.getKey(), null, e.getValue().size() + " rules"));
    }

    /**
     * "table/kind name" -> its lines, from {@code nft list ruleset}: a chain's rules in order; a set's or
     * map's declaration and its elements, one a line and sorted (listing order is the kernel's). The
     * elements of a dynamic set (kube-proxy's session affinity) are traffic, not plan: left out.
     */
    static Map<String, List<String>> nftBlocks(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String table = "";
        String block = null;
        StringBuilder body = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.trim().replaceAll("counter packets \\d+ bytes \\d+", "counter");
            if (line.isEmpty()) continue;
            if (block == null && line.startsWith("table ") && line.endsWith("{")) {
                table = line.substring(6, line.length() - 1).trim();
            } else if (block == null && line.matches("(chain|set|map) \\S+ \\{")) {
                block = line.substring(0, line.length() - 1).trim();
                body.setLength(0);
            } else if (block != null && line.equals("}") && balanced(body)) {
                out.put(table + "/" + block, blockLines(block, body.toString()));
                block = null;
            } else if (block != null) {
                body.append(line).append('\n');
            }
        }
        return out;
    }

    /** Whether an element list that spans lines is closed. */
    private static boolean balanced(CharSequence body) {
        int depth = 0;
        for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) == '{') depth++;
            if (body.charAt(i) == '}') depth--;
        }
        return depth == 0;
    }

    private static List<String> blockLines(String block, String body) {
        List<String> lines = new ArrayList<>();
        if (block.startsWith("chain ")) {
            for (String l : body.split("\n")) if (!l.isBlank()) lines.add(l);
            return lines;
        }
        int at = body.indexOf("elements = {");
        String decl = at < 0 ? body : body.substring(0, at);
        for (String l : decl.split("\n")) if (!l.isBlank()) lines.add(l.trim());
        boolean dynamic = decl.contains("dynamic") || decl.contains("timeout");
        if (at >= 0 && !dynamic) {
            String elements = body.substring(at + "elements = {".length(), body.lastIndexOf('}'));
            List<String> sorted = new ArrayList<>();
            for (String e : elements.split(",")) if (!e.isBlank()) sorted.add("element " + e.trim().replaceAll("\\s+", " "));
            sorted.sort(null);
            lines.addAll(sorted);
        }
        return lines;
    }

    /** "table/chain" -> its rules, from iptables-save text. */
    static Map<String, List<String>> chains(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String table = "";
        for (String line : text.split("\n")) {
            if (line.startsWith("*")) table = line.substring(1);
            else if (line.startsWith(":")) out.putIfAbsent(table + "/" + line.substring(1).split(" ")[0], new ArrayList<>());
            else if (line.startsWith("-A ")) {
                String chain = line.substring(3).split(" ")[0];
                out.computeIfAbsent(table + "/" + chain, k -> new ArrayList<>()).add(line);
            }
        }
        return out;
    }

    private static void attr(List<Difference> out, String m, String what, String attr, String expected, String actual) {
        if (!Objects.equals(expected, actual)) out.add(new Difference(m, what + " " + attr, expected, actual));
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? "(none)" : s;
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    public static String describe(LinkPlan l) {
        StringBuilder sb = new StringBuilder(l.kind().name().toLowerCase());
        if (l.master() != null) sb.append(" master ").append(l.master());
        if (l.peer() != null) sb.append(" peer ").append(l.peer());
        return sb.toString();
    }

    public static String describe(RoutePlan r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.multipath() ? "nexthops " : "via ").append(String.join(",", r.via()));
        if (r.dev() != null) sb.append(" dev ").append(r.dev());
        if (r.onlink()) sb.append(" onlink");
        if (r.proto() != null) sb.append(" proto ").append(r.proto());
        return sb.toString().trim();
    }
}
