package io.kubenetlab.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabState;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.plan.Ruleset;
import io.kubenetlab.trace.HopWalker;
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
        Map<String, HopWalker.Capture> captures = new HashMap<>();
        try {
            session.start(request, from.machine());
            answer = connect(from, request);
            io.kubenetlab.kernel.Procs.sleep(300); // the last replies' trace records reach the monitors
            Map<String, String> nft = new HashMap<>();
            Map<String, byte[]> nflog = new HashMap<>();
            session.stopMonitors(nft, nflog);
            for (MachinePlan m : machines) {
                captures.put(m.name(), new HopWalker.Capture(nft.getOrDefault(m.name(), ""), nflog.getOrDefault(m.name(), new byte[0]),
                        kernel.conntrackBySourcePort(m.netns(), to.protocol(), sport), iptablesOnly(m) ? kernel.iptablesSave(m.netns()) : null));
            }
        } finally {
            session.cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs (and finds nothing left to do)
            }
        }
        return HopWalker.walk(engine.name(), state, plan, from, to, request, answer.stdout(), answer.stderr(), captures, this::route);
    }

    private static boolean legacy(MachinePlan m) {
        return m.rulesets().stream().anyMatch(r -> r.backend().equals(Ruleset.IPTABLES_LEGACY));
    }

    /** A machine whose rules are all iptables-legacy's: its trace is read from NFLOG; any nftables ruleset: from nft's monitor. */
    private static boolean iptablesOnly(MachinePlan m) {
        return legacy(m) && m.rulesets().stream().noneMatch(r -> r.backend().equals(Ruleset.NFTABLES));
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
                kernel.nft(m.netns(), "table ip " + HopWalker.tableName(sport) + " {\n"
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
                    kernel.nft(ns, "delete table ip " + HopWalker.tableName(sport) + "\n");
                } catch (RuntimeException e) {
                    System.err.println("trace: could not remove table " + HopWalker.tableName(sport) + " from " + ns + ": " + e.getMessage());
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

    /** The kernel's route in a machine ({@code ip -j route get}), or null when it has none. */
    private HopWalker.Route route(MachinePlan m, String dst) {
        try {
            JsonNode arr = JSON.readTree(kernel.routeGet(m.netns(), dst));
            if (arr == null || !arr.isArray() || arr.isEmpty()) return null;
            return new HopWalker.Route(arr.get(0).path("gateway").asText(null), arr.get(0).path("dev").asText(""));
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
