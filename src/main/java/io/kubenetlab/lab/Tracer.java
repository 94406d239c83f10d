package io.kubenetlab.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.plan.Ruleset;
import io.kubenetlab.trace.ConntrackEntry;
import io.kubenetlab.trace.IptablesRules;
import io.kubenetlab.trace.NflogTraceParser;
import io.kubenetlab.trace.NftTraceParser;
import io.kubenetlab.trace.PacketTrace;
import io.kubenetlab.trace.RuleExplainer;
import io.kubenetlab.trace.RuleHit;
import io.kubenetlab.trace.TraceReport;
import io.kubenetlab.trace.TraceTargets;
import io.kubenetlab.trace.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Traces one real connection through a lab: in every machine's namespace (router, nodes, outside hosts,
 * load balancer) a table of the tracer's own marks that connection's packets ({@code meta nftrace set 1},
 * matched on conntrack's original source port, after conntrack so replies and rewritten packets stay
 * marked); {@code nft monitor trace} reports every nftables rule they meet, and where the rules are
 * iptables-legacy's, the namespace's nf_log sends TRACE records to NFLOG, read with tcpdump. Nothing
 * changes outside the lab's namespaces; everything the trace adds is removed afterwards, also when
 * interrupted (a shutdown hook), and so is the connection's conntrack entry.
 */
public final class Tracer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NF_LOG_IPV4 = "net.netfilter.nf_log.2";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_HOPS = 12;

    private final LabEngine engine;
    private final Kernel kernel;

    public Tracer(LabEngine engine) {
        this.engine = engine;
        this.kernel = engine.kernel();
    }

    /** What to trace: FROM and TO as the user names them, the protocol (null: the target's), a fixed source port (0: random). */
    public record Request(String from, String to, String protocol, int sourcePort) {}

    public TraceReport trace(Request req) {
        LabState state = engine.state();
        LabPlan plan = engine.plan();
        TraceTargets.From from = TraceTargets.from(state, req.from());
        TraceTargets.To to = TraceTargets.to(state, from, req.to(), req.protocol());
        // Below the ephemeral range (32768-60999): no connection of the lab's own picks this port meanwhile.
        int sport = req.sourcePort() > 0 ? req.sourcePort() : 20000 + RANDOM.nextInt(10000);
        Tuple request = new Tuple(to.protocol(), from.ip(), sport, to.ip(), to.port());
        List<MachinePlan> machines = plan.machines().stream().filter(m -> m.kind() != MachinePlan.Kind.POD).toList();

        Session session = new Session(machines, to.protocol(), sport);
        Thread hook = new Thread(session::cleanUp, "kubenetlab-trace-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        Kernel.Result answer;
        Map<String, byte[]> nflog;
        Map<String, String> nft;
        Map<String, String> conntrack = new HashMap<>();
        Map<String, String> rules = new HashMap<>();
        try {
            session.start(request, from.machine());
            answer = connect(from, request);
            io.kubenetlab.kernel.Procs.sleep(300); // the last replies' trace records reach the monitors
            nft = new HashMap<>();
            nflog = new HashMap<>();
            session.stopMonitors(nft, nflog);
            for (MachinePlan m : machines) {
                conntrack.put(m.name(), kernel.conntrackBySourcePort(m.netns(), to.protocol(), sport));
                if (iptablesOnly(m)) rules.put(m.name(), kernel.iptablesSave(m.netns()));
            }
        } finally {
            session.cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs (and finds nothing left to do)
            }
        }
        return assemble(state, plan, machines, from, to, request, answer, nft, nflog, conntrack, rules);
    }

    private static boolean legacy(MachinePlan m) {
        return m.rulesets().stream().anyMatch(r -> r.backend().equals(Ruleset.IPTABLES_LEGACY));
    }

    /** A machine whose rules are all iptables-legacy's: its trace is read from NFLOG; any nftables ruleset: from nft's monitor. */
    private static boolean iptablesOnly(MachinePlan m) {
        return legacy(m) && m.rulesets().stream().noneMatch(r -> r.backend().equals(Ruleset.NFTABLES));
    }

    private static String tableName(int sport) {
        return "kubenetlab-trace-" + sport;
    }

    /** The tracer's set-up in every machine namespace, undone exactly once. */
    private final class Session {
        private final List<MachinePlan> machines;
        private final String protocol;
        private final int sport;
        private final Map<String, Kernel.Stream> nftMonitors = new LinkedHashMap<>();
        private final Map<String, Kernel.Stream> nflogMonitors = new LinkedHashMap<>();
        private final Map<String, String> nfLogBefore = new LinkedHashMap<>();
        private final List<String> tables = new ArrayList<>();
        private boolean cleaned;

        Session(List<MachinePlan> machines, String protocol, int sport) {
            this.machines = machines;
            this.protocol = protocol;
            this.sport = sport;
        }

        /**
         * NAT rewrites the traced connection on its way (MASQUERADE picks a new source port), so the
         * machine it enters first marks it where it is still intact: the original direction gets a DSCP
         * value of the trace's own, which crosses namespaces with the packet. Every machine then puts its
         * conntrack entry for packets with that DSCP under the trace's ct mark, and traces whatever carries
         * that ct mark: the original direction and the replies, before and after NAT.
         */
        synchronized void start(Tuple request, String firstMachine) {
            int dscp = 1 + RANDOM.nextInt(62);
            String ctMark = String.format("0x4b4e%04x", sport);
            String first = "ct original protocol " + protocol + " ct original ip saddr " + request.src() + " ct original proto-src " + sport
                    + " ct direction original ip dscp set " + dscp + "; ";
            String common = "ip dscp " + dscp + " ct mark set " + ctMark + "; ct mark " + ctMark + " meta nftrace set 1; ";
            for (MachinePlan m : machines) {
                if (legacy(m)) {
                    nfLogBefore.put(m.netns(), kernel.readSysctls(m.netns(), List.of(NF_LOG_IPV4)).getOrDefault(NF_LOG_IPV4, "NONE"));
                    kernel.sysctl(m.netns(), Map.of(NF_LOG_IPV4, "nfnetlink_log"));
                    nflogMonitors.put(m.name(), kernel.nflogMonitor(m.netns()));
                }
                nftMonitors.put(m.name(), kernel.nftTraceMonitor(m.netns()));
            }
            io.kubenetlab.kernel.Procs.sleep(200); // nft monitor has subscribed (it prints nothing when ready)
            for (MachinePlan m : machines) {
                String rules = (m.name().equals(firstMachine) ? first : "") + common;
                // After conntrack (-200), before mangle and DNAT (-100).
                kernel.nft(m.netns(), "table ip " + tableName(sport) + " {\n"
                        + "  chain prerouting { type filter hook prerouting priority -190; " + rules + "}\n"
                        + "  chain output { type filter hook output priority -190; " + rules + "}\n}\n");
                tables.add(m.netns());
            }
        }

        synchronized void stopMonitors(Map<String, String> nft, Map<String, byte[]> nflog) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, nftMonitors.size() + nflogMonitors.size()));
            try {
                Map<String, Future<byte[]>> n = new LinkedHashMap<>();
                Map<String, Future<byte[]>> l = new LinkedHashMap<>();
                nftMonitors.forEach((k, s) -> n.put(k, pool.submit(s::stop)));
                nflogMonitors.forEach((k, s) -> l.put(k, pool.submit(s::stop)));
                for (var e : n.entrySet()) nft.put(e.getKey(), new String(e.getValue().get(), java.nio.charset.StandardCharsets.UTF_8));
                for (var e : l.entrySet()) nflog.put(e.getKey(), e.getValue().get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("trace interrupted");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new LabException("trace: a monitor failed: " + e.getCause());
            } finally {
                pool.shutdownNow();
                nftMonitors.clear();
                nflogMonitors.clear();
            }
        }

        /** Removes the trace table, restores nf_log, forgets the connection: what the trace added, nothing else. */
        synchronized void cleanUp() {
            if (cleaned) return;
            cleaned = true;
            nftMonitors.values().forEach(Kernel.Stream::stop);
            nflogMonitors.values().forEach(Kernel.Stream::stop);
            for (String ns : tables) {
                try {
                    kernel.nft(ns, "delete table ip " + tableName(sport) + "\n");
                } catch (RuntimeException e) {
                    System.err.println("trace: could not remove table " + tableName(sport) + " from " + ns + ": " + e.getMessage());
                }
            }
            nfLogBefore.forEach((ns, value) -> {
                try {
                    kernel.sysctl(ns, Map.of(NF_LOG_IPV4, value));
                } catch (RuntimeException e) {
                    System.err.println("trace: could not restore " + NF_LOG_IPV4 + " in " + ns + ": " + e.getMessage());
                }
            });
            for (MachinePlan m : machines) kernel.conntrackDeleteBySourcePort(m.netns(), protocol, sport);
        }
    }

    /** The real connection, from FROM: a TCP request (HTTP-shaped: most of a lab's servers speak it) or a UDP datagram. */
    private Kernel.Result connect(TraceTargets.From from, Tuple t) {
        List<String> argv;
        String dst = t.dst();
        String dport = Integer.toString(t.dport());
        String sport = Integer.toString(t.sport());
        if (t.proto().equals("udp") && t.dport() == 53) {
            argv = List.of("dig", "+tries=1", "+time=2", "-b", "0.0.0.0#" + sport, "-p", dport, "@" + dst, "kubernetes.default.svc.cluster.local");
        } else if (t.proto().equals("udp")) {
            argv = List.of("sh", "-c", "printf 'kubenetlab trace\\n' | nc -u -w 2 -p \"$1\" \"$2\" \"$3\"", "sh", sport, dst, dport);
        } else {
            argv = List.of("sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -v -N -w 3 -p \"$1\" \"$2\" \"$3\"", "sh", sport, dst, dport);
        }
        return engine.execCapture(from.name(), argv);
    }

    // ------------------------------------------------------------------ the report

    private TraceReport assemble(LabState state, LabPlan plan, List<MachinePlan> machines, TraceTargets.From from, TraceTargets.To to,
                                 Tuple request, Kernel.Result answer, Map<String, String> nft, Map<String, byte[]> nflog,
                                 Map<String, String> conntrack, Map<String, String> rules) {
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
            boolean iptables = rules.containsKey(cur);
            IptablesRules ipt = iptables ? new IptablesRules(rules.get(cur)) : null;
            List<PacketTrace> packets = new ArrayList<>(NftTraceParser.parse(nft.getOrDefault(cur, ""), tableName(request.sport())));
            if (iptables) packets = NflogTraceParser.parse(nflog.getOrDefault(cur, new byte[0]));
            Tuple arrived = at;
            PacketTrace original = packets.stream().filter(p -> p.arrived().sport() == arrived.sport() && p.arrived().src().equals(arrived.src()))
                    .findFirst().orElse(null);
            List<RuleHit> hits = original == null ? List.of() : RuleExplainer.withRules(original.hits(), ipt);
            List<String> words = original == null ? List.of() : explainer.explain(original.hits(), ipt, original.arrived());
            ConntrackEntry ct = ConntrackEntry.parse(conntrack.getOrDefault(cur, "")).stream()
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
            JsonNode route = route(m.netns(), next.dst());
            String gateway = route.path("gateway").asText(null);
            String dev = route.path("dev").asText("");
            String hopTo = gateway != null ? gateway : next.dst();
            String routeText = "to " + next.dst() + (gateway != null ? " via " + gateway : "") + " dev " + dev
                    + (owner.containsKey(hopTo) ? " (" + owner.get(hopTo) + ")" : "");
            hops.add(new TraceReport.Hop(cur, kind, at, backend, words, hits, nat, route.isMissingNode() ? "none: unreachable" : routeText, null));
            if (route.isMissingNode()) {
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
        String out = answer.stdout().strip();
        String err = answer.stderr().strip();
        String first = out.isEmpty() ? "" : out.lines().findFirst().orElse("");
        String hello = out.lines().filter(l -> l.contains("Hello from")).findFirst().map(String::strip).orElse("");
        String said = first + (hello.isEmpty() || hello.equals(first) ? "" : "  " + hello.replaceAll("<[^>]*>", ""));
        if (said.isEmpty() && !err.isEmpty()) said = "(nothing; " + err.lines().reduce((a, b) -> b).orElse("") + ")";
        return new TraceReport(engine.name(), from.name(), to.label(), plan.proxyMode(), request, hops, verdict, said, replies);
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

    private JsonNode route(String netns, String dst) {
        try {
            JsonNode arr = JSON.readTree(kernel.routeGet(netns, dst));
            return arr != null && arr.isArray() && arr.size() > 0 ? arr.get(0) : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        } catch (java.io.IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }
}
