package io.kubenetlab.output;

import io.kubenetlab.plan.AddressPlan;
import io.kubenetlab.plan.DaemonPlan;
import io.kubenetlab.plan.FdbEntry;
import io.kubenetlab.plan.NeighbourEntry;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.LinkPlan;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.plan.PlanDiff;
import io.kubenetlab.plan.RoutePlan;
import io.kubenetlab.plan.Ruleset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kubenetlab plan}: a lab's plan per machine, for people (links, addresses, routes, sysctls,
 * rulesets summed up by table; one machine in full with {@code --machine}) and as data ({@code -o yaml|json}).
 */
public final class PlanView {
    private PlanView() {}

    /** The plan as text; {@code detail} prints rulesets whole instead of summed up. */
    public static String text(LabPlan plan, String cniDescription, List<MachinePlan> machines, boolean detail) {
        StringBuilder sb = new StringBuilder();
        sb.append("Lab ").append(plan.lab()).append(": network plugin ").append(plan.cni()).append(" (").append(cniDescription)
                .append("), kube-proxy mode ").append(plan.proxyMode()).append('\n');
        for (MachinePlan m : machines) {
            sb.append('\n');
            machine(sb, m, detail);
        }
        return sb.toString();
    }

    private static void machine(StringBuilder sb, MachinePlan m, boolean detail) {
        sb.append(m.name()).append("  (").append(m.kind().name().toLowerCase().replace('_', '-'))
                .append(m.node() != null ? " on " + m.node() : "").append(", netns ").append(m.netns()).append(")\n");
        sb.append("  links\n");
        for (LinkPlan l : m.links()) sb.append("    ").append(pad(l.name(), 14)).append(link(l)).append('\n');
        if (!m.addresses().isEmpty()) {
            sb.append("  addresses\n");
            for (AddressPlan a : m.addresses()) sb.append("    ").append(a.cidr()).append(" dev ").append(a.dev()).append('\n');
        }
        if (!m.routes().isEmpty()) {
            sb.append("  routes\n");
            for (RoutePlan r : m.routes()) sb.append("    ").append(r.dst()).append(' ').append(PlanDiff.describe(r)).append('\n');
        }
        if (!m.neighbours().isEmpty()) {
            sb.append("  neighbours (permanent)\n");
            for (NeighbourEntry n : m.neighbours()) sb.append("    ").append(n.ip()).append(" lladdr ").append(n.mac()).append(" dev ").append(n.dev()).append('\n');
        }
        if (!m.fdb().isEmpty()) {
            sb.append("  forwarding entries (permanent)\n");
            for (FdbEntry f : m.fdb()) sb.append("    ").append(f.mac()).append(" dev ").append(f.dev()).append(" dst ").append(f.dst()).append('\n');
        }
        if (!m.daemons().isEmpty()) {
            sb.append("  daemons\n");
            for (DaemonPlan d : m.daemons()) {
                sb.append("    ").append(d.name()).append(": ").append(String.join(" ", d.argv())).append('\n');
                if (detail) d.files().forEach((name, text) -> {
                    sb.append("      ").append(name).append(":\n");
                    text.lines().forEach(line -> sb.append("        ").append(line).append('\n'));
                });
            }
        }
        if (!m.sysctls().isEmpty()) {
            sb.append("  sysctls\n");
            m.sysctls().forEach((k, v) -> sb.append("    ").append(k).append(" = ").append(v).append('\n'));
        }
        if (!m.rulesets().isEmpty()) {
            sb.append("  rulesets\n");
            for (Ruleset r : m.rulesets()) {
                sb.append("    ").append(r.owner()).append("  (").append(r.backend()).append(", ").append(sync(r.sync())).append(")");
                if (!detail) {
                    sb.append(": ").append(summary(r)).append('\n');
                } else {
                    sb.append('\n');
                    r.text().lines().forEach(line -> sb.append("      ").append(line).append('\n'));
                }
            }
        }
    }

    private static String link(LinkPlan l) {
        StringBuilder sb = new StringBuilder(l.kind().name().toLowerCase());
        if (l.peer() != null) sb.append("  peer ").append(l.peer()).append(" in ").append(l.peerNetns()).append(l.createsPair() ? " (created here)" : "");
        if (l.master() != null) sb.append("  port of ").append(l.master());
        if (l.hairpin()) sb.append("  hairpin");
        if (l.mac() != null) sb.append("  mac ").append(l.mac());
        if (l.mtu() != null) sb.append("  mtu ").append(l.mtu());
        if (l.vxlan() != null) {
            sb.append("  vxlan id ").append(l.vxlan().id()).append(" dstport ").append(l.vxlan().dstPort())
                    .append(l.vxlan().local() != null ? " local " + l.vxlan().local() : "").append(l.vxlan().learning() ? "" : " nolearning");
        }
        if (l.alias() != null) sb.append("  alias ").append(l.alias());
        return sb.toString();
    }

    private static String sync(Ruleset.Sync s) {
        return switch (s) {
            case ONCE -> "loaded once";
            case INCREMENTAL -> "changed chains only";
            case REPLACE -> "replaced whole";
        };
    }

    /** "filter: 5 chains, 12 rules; nat: ..." for iptables text; tables, chains, rules, sets and elements for an nft transaction. */
    static String summary(Ruleset r) {
        if (r.backend().equals(Ruleset.NFTABLES)) {
            long chains = 0, rules = 0, sets = 0, elements = 0;
            for (String line : r.text().split("\n")) {
                if (line.startsWith("add chain ")) chains++;
                else if (line.startsWith("add rule ")) rules++;
                else if (line.startsWith("add set ") || line.startsWith("add map ")) sets++;
                else if (line.startsWith("add element ")) elements++;
            }
            return "table " + String.join(", ", r.tables()) + ": " + chains + " chains, " + rules + " rules, " + sets + " sets and maps, "
                    + elements + " elements";
        }
        List<String> parts = new ArrayList<>();
        String table = null;
        int chains = 0;
        int rules = 0;
        for (String line : (r.text() + "*\n").split("\n")) {
            if (line.startsWith("*")) {
                if (table != null) parts.add(table + " " + chains + " chains, " + rules + " rules");
                table = line.substring(1);
                chains = 0;
                rules = 0;
            } else if (line.startsWith(":")) {
                chains++;
            } else if (line.startsWith("-")) {
                rules++;
            }
        }
        return String.join("; ", parts);
    }

    /** The plan as data, for {@code -o yaml|json}: every field, rulesets whole. */
    public static Map<String, Object> tree(LabPlan plan, List<MachinePlan> machines) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lab", plan.lab());
        out.put("cni", plan.cni());
        out.put("proxyMode", plan.proxyMode());
        List<Object> ms = new ArrayList<>();
        for (MachinePlan m : machines) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("name", m.name());
            mm.put("kind", m.kind().name().toLowerCase().replace('_', '-'));
            if (m.node() != null) mm.put("node", m.node());
            mm.put("netns", m.netns());
            List<Object> links = new ArrayList<>();
            for (LinkPlan l : m.links()) {
                Map<String, Object> lm = new LinkedHashMap<>();
                lm.put("name", l.name());
                lm.put("kind", l.kind().name().toLowerCase());
                if (l.peer() != null) {
                    lm.put("peer", l.peer());
                    lm.put("peerNetns", l.peerNetns());
                    lm.put("createsPair", l.createsPair());
                }
                if (l.master() != null) lm.put("master", l.master());
                if (l.hairpin()) lm.put("hairpin", true);
                if (l.mac() != null) lm.put("mac", l.mac());
                if (l.mtu() != null) lm.put("mtu", l.mtu());
                if (l.vxlan() != null) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("id", l.vxlan().id());
                    if (l.vxlan().local() != null) v.put("local", l.vxlan().local());
                    if (l.vxlan().dev() != null) v.put("dev", l.vxlan().dev());
                    v.put("dstPort", l.vxlan().dstPort());
                    v.put("learning", l.vxlan().learning());
                    lm.put("vxlan", v);
                }
                if (l.alias() != null) lm.put("alias", l.alias());
                links.add(lm);
            }
            mm.put("links", links);
            List<Object> addrs = new ArrayList<>();
            for (AddressPlan a : m.addresses()) addrs.add(Map.of("address", a.cidr(), "dev", a.dev()));
            mm.put("addresses", addrs);
            List<Object> routes = new ArrayList<>();
            for (RoutePlan r : m.routes()) {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("dst", r.dst());
                rm.put("via", r.via());
                if (r.dev() != null) rm.put("dev", r.dev());
                if (r.onlink()) rm.put("onlink", true);
                routes.add(rm);
            }
            mm.put("routes", routes);
            if (!m.neighbours().isEmpty()) {
                mm.put("neighbours", m.neighbours().stream().map(n -> (Object) Map.of("ip", n.ip(), "lladdr", n.mac(), "dev", n.dev())).toList());
            }
            if (!m.fdb().isEmpty()) {
                mm.put("fdb", m.fdb().stream().map(f -> (Object) Map.of("mac", f.mac(), "dev", f.dev(), "dst", f.dst())).toList());
            }
            if (!m.daemons().isEmpty()) {
                List<Object> ds = new ArrayList<>();
                for (DaemonPlan d : m.daemons()) {
                    Map<String, Object> dm = new LinkedHashMap<>();
                    dm.put("name", d.name());
                    dm.put("argv", d.argv());
                    dm.put("files", new LinkedHashMap<>(d.files()));
                    ds.add(dm);
                }
                mm.put("daemons", ds);
            }
            mm.put("sysctls", new LinkedHashMap<>(m.sysctls()));
            List<Object> rulesets = new ArrayList<>();
            for (Ruleset r : m.rulesets()) {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("owner", r.owner());
                rm.put("backend", r.backend());
                rm.put("sync", r.sync().name().toLowerCase());
                rm.put("tables", r.tables());
                rm.put("text", r.text());
                rulesets.add(rm);
            }
            mm.put("rulesets", rulesets);
            ms.add(mm);
        }
        out.put("machines", ms);
        return out;
    }

    private static String pad(String s, int n) {
        return s.length() >= n ? s + " " : s + " ".repeat(n - s.length());
    }
}
