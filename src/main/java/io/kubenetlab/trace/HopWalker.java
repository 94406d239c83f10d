package io.kubenetlab.trace;

import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.MachinePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Follows a traced connection machine by machine through what the tracer captured: pure, so the walk
 * is the same for recorded captures and live ones ({@code lab/Tracer} captures and looks routes up).
 */
public final class HopWalker {
    private static final int MAX_HOPS = 12;

    private HopWalker() {}

    /** What the tracer read in one machine: nft's monitor text, NFLOG's pcap, conntrack's entries, and iptables-save (null: nftables rules). */
    public record Capture(String nft, byte[] nflog, String conntrack, String iptablesSave) {
        static final Capture NONE = new Capture("", new byte[0], "", null);
    }

    /** The kernel's route to an address: its gateway (null: directly connected) and device. */
    public record Route(String gateway, String dev) {}

    /** The table the tracer adds to each machine for the connection from source port {@code sport}. */
    public static String tableName(int sport) {
        return "kubenetlab-trace-" + sport;
    }

    /**
     * The report of one traced connection: starting at FROM's machine, each machine's rules (from its
     * capture), its conntrack NAT, and the route to the next machine ({@code routes}: the kernel's
     * choice there), until a pod or machine receives the packet, a rule ends it, or no route goes on.
     */
    public static TraceReport walk(String lab, LabState state, LabPlan plan, TraceTargets.From from, TraceTargets.To to, Tuple request,
                                   String stdout, String stderr, Map<String, Capture> captures, BiFunction<MachinePlan, String, Route> routes) {
        List<MachinePlan> machines = plan.machines().stream().filter(m -> m.kind() != MachinePlan.Kind.POD).toList();
        Map<String, String> owner = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        Map<String, MachinePlan> byName = new HashMap<>();
        for (MachinePlan m : machines) {
            byName.put(m.name(), m);
            for (var a : m.addresses()) {
                String ip = a.cidr().contains("/") ? a.cidr().substring(0, a.cidr().indexOf('/')) : a.cidr();
                owner.putIfAbsent(ip, m.name());
                names.putIfAbsent(ip, m.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " " + m.name());
            }
        }
        Map<String, PodRecord> pods = new HashMap<>();
        for (PodRecord p : state.pods) {
            if (p.ip() == null) continue;
            pods.put(p.ip().toString(), p);
            names.put(p.ip().toString(), "pod " + p.namespace() + "/" + p.name() + " on " + p.node());
        }
        for (var svc : state.services) {
            String what = "Service " + svc.namespace() + "/" + svc.name();
            if (svc.clusterIP() != null && !svc.headless()) names.putIfAbsent(svc.clusterIP(), what + " (ClusterIP)");
            svc.loadBalancerIPs().forEach(ip -> names.putIfAbsent(ip.toString(), what + " (EXTERNAL-IP)"));
        }
        RuleExplainer explainer = new RuleExplainer(RuleExplainer.names(names));

        List<TraceReport.Hop> hops = new ArrayList<>();
        if (from.kind().equals("pod")) {
            hops.add(new TraceReport.Hop(from.name(), "pod", request, "", List.of(), List.of(), "", "eth0 -> " + state.topology.bridge()
                    + " of " + from.machine(), null));
        }
        String verdict = "no answer";
        List<String> replies = new ArrayList<>();
        String cur = from.machine();
        Tuple at = request;
        for (int i = 0; i < MAX_HOPS && cur != null; i++) {
            MachinePlan m = byName.get(cur);
            if (m == null) break;
            Capture c = captures.getOrDefault(cur, Capture.NONE);
            boolean iptables = c.iptablesSave() != null;
            IptablesRules ipt = iptables ? new IptablesRules(c.iptablesSave()) : null;
            List<PacketTrace> packets = iptables ? NflogTraceParser.parse(c.nflog()) : NftTraceParser.parse(c.nft(), tableName(request.sport()));
            Tuple arrived = at;
            PacketTrace original = packets.stream().filter(p -> p.arrived().sport() == arrived.sport() && p.arrived().src().equals(arrived.src()))
                    .findFirst().orElse(null);
            List<RuleHit> hits = original == null ? List.of() : RuleExplainer.withRules(original.hits(), ipt);
            List<String> words = original == null ? List.of() : explainer.explain(original.hits(), ipt, original.arrived());
            ConntrackEntry ct = ConntrackEntry.parse(c.conntrack()).stream()
                    .filter(e -> e.original().src().equals(arrived.src()) && e.original().sport() == arrived.sport()).findFirst().orElse(null);
            String nat = ct == null ? "" : ct.describe();
            if (ct != null && !nat.isEmpty()) replies.add(0, cur + " reverses its " + nat + " (conntrack)");
            Tuple next = ct == null ? at : ct.forwarded();
            String backend = iptables ? "iptables-legacy" : "nftables";
            String kind = m.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            String stopped = stopped(hits, ipt);
            if (stopped != null && hits.stream().anyMatch(h -> h.rule().contains("no-endpoint")) && names.containsKey(next.dst())) {
                stopped += " (" + names.get(next.dst()) + " has no ready endpoints)";
            }
            if (stopped != null) {
                hops.add(new TraceReport.Hop(cur, kind, at, backend, words, hits, nat, null, stopped));
                verdict = stopped;
                break;
            }
            if (cur.equals(owner.get(next.dst()))) {
                hops.add(new TraceReport.Hop(cur, kind, at, backend, words, hits, nat, null, "delivered locally to " + next.dst() + ":" + next.dport()));
                verdict = "delivered to " + kind + " " + cur;
                break;
            }
            PodRecord pod = pods.get(next.dst());
            if (pod != null && pod.node() != null && pod.node().equals(cur)) {
                hops.add(new TraceReport.Hop(cur, kind, at, backend, words, hits, nat, null, state.topology.bridge() + " -> pod "
                        + pod.namespace() + "/" + pod.name() + " (" + next.dst() + ":" + next.dport() + ")"));
                verdict = "reached pod " + pod.namespace() + "/" + pod.name() + " on " + cur;
                break;
            }
            Route route = routes.apply(m, next.dst());
            String gateway = route == null ? null : route.gateway();
            String dev = route == null ? "" : route.dev();
            String hopTo = gateway != null ? gateway : next.dst();
            String routeText = "to " + next.dst() + (gateway != null ? " via " + gateway : "") + " dev " + dev
                    + (owner.containsKey(hopTo) ? " (" + owner.get(hopTo) + ")" : "");
            hops.add(new TraceReport.Hop(cur, kind, at, backend, words, hits, nat, route == null ? "none: unreachable" : routeText, null));
            if (route == null) {
                verdict = "no route at " + cur + " to " + next.dst();
                break;
            }
            at = next;
            cur = owner.get(hopTo);
            if (cur == null) {
                verdict = "leaves the lab's machines at " + m.name() + " (next hop " + hopTo + ")";
                break;
            }
        }
        String out = stdout.strip();
        String err = stderr.strip();
        String first = out.isEmpty() ? "" : out.lines().findFirst().orElse("");
        String hello = out.lines().filter(l -> l.contains("Hello from")).findFirst().map(String::strip).orElse("");
        String said = first + (hello.isEmpty() || hello.equals(first) ? "" : "  " + hello.replaceAll("<[^>]*>", ""));
        if (said.isEmpty() && !err.isEmpty()) said = "(nothing; " + err.lines().reduce((a, b) -> b).orElse("") + ")";
        return new TraceReport(lab, from.name(), to.label(), plan.proxyMode(), request, hops, verdict, said, replies);
    }

    /** Where the rules ended the packet: a REJECT or DROP it met, in words, or null. */
    private static String stopped(List<RuleHit> hits, IptablesRules ipt) {
        for (RuleHit h : hits) {
            String target = ipt != null ? IptablesRules.target(h.rule()) : h.rule().startsWith("reject") ? "reject" : h.verdict();
            if (target == null) continue;
            if (h.kind().equals("policy") && h.verdict().toLowerCase(java.util.Locale.ROOT).startsWith("drop")) {
                return "dropped by " + h.table() + " " + h.chain() + "'s policy";
            }
            if (target.startsWith("REJECT") || target.startsWith("reject")) {
                String why = ipt != null ? IptablesRules.comment(h.rule()) : h.rule();
                return "rejected by " + h.table() + " " + h.chain() + (why == null ? "" : ": \"" + why + "\"");
            }
            if (target.equals("DROP") || target.startsWith("drop")) {
                String why = ipt != null ? IptablesRules.comment(h.rule()) : h.rule();
                return "dropped by " + h.table() + " " + h.chain() + (why == null ? "" : ": \"" + why + "\"");
            }
        }
        return null;
    }

}
