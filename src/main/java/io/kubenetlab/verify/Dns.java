package io.kubenetlab.verify;

import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The DNS lines of {@code kubenetlab verify}: every Service name resolved from every pod. One exec per
 * pod runs {@code getent ahostsv4} for all names (each bounded by {@code timeout}), printing a marker
 * line with getent's exit code and the milliseconds it took before what it printed. Pure: the script,
 * its parsing, what each name should resolve to, and the verdicts.
 */
public final class Dns {
    /** Each lookup is cut after this long (exit 124): a dead DNS server costs at most this per name. */
    public static final int LOOKUP_TIMEOUT_SECONDS = 5;
    /** A name that does not exist must fail this fast: NXDOMAIN, not a timeout. */
    public static final long NXDOMAIN_WITHIN_MS = 2000;
    /** The name that must not resolve. */
    public static final String NO_SUCH_NAME = "no-such-service.default";
    /** getent's exit code for "not found". */
    public static final int NOT_FOUND = 2;
    public static final int TIMED_OUT = 124;
    static final String MARK = "@@knl-dns ";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Dns() {}

    /**
     * What a name should resolve to: exactly {@code addresses} (in the order the report shows them);
     * none means the name must not resolve. {@code quick}: the line of a name that does not exist,
     * which must fail within {@link #NXDOMAIN_WITHIN_MS}.
     */
    public record Expected(String name, Set<String> addresses, boolean quick) {
        public Expected {
            if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("not a DNS name: " + name);
            addresses = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(addresses));
        }

        public String describe() {
            if (quick) return "NXDOMAIN";
            return addresses.isEmpty() ? "no address" : String.join(", ", addresses);
        }

        boolean matches(Answer a) {
            if (addresses.isEmpty()) return a.exit() == NOT_FOUND && a.addresses().isEmpty();
            return a.exit() == 0 && a.addresses().equals(addresses);
        }
    }

    /**
     * What a Service's {@code <svc>.<ns>} should resolve to, or null for an ExternalName Service (a
     * CNAME to a name outside the lab, which has no internet). A ClusterIP: exactly it; headless:
     * exactly its ready endpoint addresses (none: the name must not resolve).
     */
    public static Expected expected(ServiceRecord svc, List<EndpointRecord> endpoints) {
        if ("ExternalName".equals(svc.type()) || svc.clusterIP() == null) return null;
        String name = svc.name() + "." + svc.namespace();
        if (!svc.headless()) return new Expected(name, Set.of(svc.clusterIP()), false);
        Set<String> ips = new LinkedHashSet<>();
        for (EndpointRecord e : endpoints) if (e.ready()) ips.add(e.ip().toString());
        return new Expected(name, ips, false);
    }

    /**
     * What an ExternalName Service's {@code <svc>.<ns>} should resolve to when it names a Service of the
     * cluster ({@code <svc>.<ns>.svc.<domain>}): the cluster DNS follows the CNAME as CoreDNS does, so
     * the target's addresses; none when the target Service does not exist or the chain ends outside
     * the cluster (a CNAME alone). Null when the first target is outside the cluster (the lab has no
     * internet) or not a Service name.
     */
    public static Expected externalName(ServiceRecord svc, List<ServiceRecord> services, Map<String, List<EndpointRecord>> endpoints, String domain) {
        String name = svc.name() + "." + svc.namespace();
        String suffix = ".svc." + domain;
        ServiceRecord cur = svc;
        for (int hop = 0; hop < 10 && cur.externalName() != null; hop++) { // CoreDNS follows at most 10
            String target = cur.externalName().toLowerCase().replaceAll("\\.$", "");
            String[] parts = target.endsWith(suffix) ? target.substring(0, target.length() - suffix.length()).split("\\.") : new String[0];
            if (parts.length != 2) return hop == 0 ? null : new Expected(name, Set.of(), false);
            ServiceRecord t = services.stream().filter(s -> s.name().equals(parts[0]) && s.namespace().equals(parts[1])).findFirst().orElse(null);
            if (t == null) return new Expected(name, Set.of(), false);
            if (!"ExternalName".equals(t.type())) {
                Expected e = expected(t, endpoints.getOrDefault(t.key(), List.of()));
                return e == null ? null : new Expected(name, e.addresses(), false);
            }
            cur = t;
        }
        return new Expected(name, Set.of(), false); // a loop, or too long a chain: no address
    }

    /** The argv resolving every name in one pod (see {@link #script}). */
    public static List<String> argv(List<String> names) {
        return List.of("sh", "-c", script(names));
    }

    /** A POSIX sh loop: per name a marker "@@knl-dns EXIT MS NAME", then getent's output. */
    public static String script(List<String> names) {
        if (names.isEmpty()) throw new IllegalArgumentException("at least one name");
        StringBuilder sb = new StringBuilder("for n in");
        for (String n : names) {
            if (!NAME.matcher(n).matches()) throw new IllegalArgumentException("not a DNS name: " + n);
            sb.append(" '").append(n).append('\'');
        }
        sb.append("; do s=$(date +%s%N); r=$(timeout ").append(LOOKUP_TIMEOUT_SECONDS)
                .append(" getent ahostsv4 \"$n\" 2>&1); rc=$?; e=$(date +%s%N); ");
        sb.append("printf '").append(MARK).append("%s %s %s\\n%s\\n' \"$rc\" \"$(( (e - s) / 1000000 ))\" \"$n\" \"$r\"; ");
        sb.append("done; exit 0");
        return sb.toString();
    }

    /** One lookup: getent's exit code, the distinct addresses it printed, how long it took, its last other words. */
    public record Answer(String name, int exit, Set<String> addresses, long ms, String detail) {
        public Answer {
            addresses = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(addresses));
        }

        /** "10.0.1.2, 10.0.2.2", "no address (not found)", "a timeout (5 s)", "getent exit 1: ...". */
        public String describe() {
            if (exit == 0) return addresses.isEmpty() ? "no address (exit 0)" : String.join(", ", new TreeSet<>(addresses));
            if (exit == NOT_FOUND) return "no address (not found)";
            if (exit == TIMED_OUT) return "a timeout (" + LOOKUP_TIMEOUT_SECONDS + " s)";
            return "getent exit " + exit + (detail == null ? "" : ": " + detail);
        }
    }

    /** The answers by name, from what {@link #script} printed (a name cut short has no answer). */
    public static Map<String, Answer> parse(String stdout) {
        Map<String, Answer> out = new LinkedHashMap<>();
        String[] head = null;
        Set<String> ips = new LinkedHashSet<>();
        String detail = null;
        for (String line : stdout.split("\n", -1)) {
            if (line.startsWith(MARK)) {
                if (head != null) put(out, head, ips, detail);
                head = line.substring(MARK.length()).trim().split(" +", 3);
                ips = new LinkedHashSet<>();
                detail = null;
            } else if (head != null && !line.isBlank()) {
                String first = line.strip().split("\\s+")[0];
                if (IPV4.matcher(first).matches()) ips.add(first);
                else detail = line.strip();
            }
        }
        if (head != null) put(out, head, ips, detail);
        return out;
    }

    private static void put(Map<String, Answer> out, String[] head, Set<String> ips, String detail) {
        if (head.length < 3) return;
        out.put(head[2], new Answer(head[2], parseInt(head[0]), ips, parseInt(head[1]), detail));
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * One pod's exec: its answers by name, or why it did not run ({@code skipped}: the exec failed,
     * e.g. the pod's sandbox is gone; such a pod is left out of the counts and named on the line).
     */
    public record PodRun(String pod, Map<String, Answer> answers, String skipped) {
        public static PodRun ran(String pod, Map<String, Answer> answers) {
            return new PodRun(pod, Map.copyOf(answers), null);
        }

        public static PodRun skipped(String pod, String why) {
            return new PodRun(pod, Map.of(), why);
        }
    }

    /** A DNS line's verdict from its pods' runs (by pod name). */
    public static CheckResult judge(Check c, Map<String, PodRun> runs) {
        Expected e = c.dns();
        if (e == null) throw new IllegalArgumentException("not a DNS check: " + c);
        return e.quick() ? nxdomain(c, e, runs) : everyPod(c, e, runs);
    }

    static CheckResult everyPod(Check c, Expected e, Map<String, PodRun> runs) {
        int ran = 0, ok = 0;
        List<String> skipped = new ArrayList<>();
        Map<String, List<String>> wrong = new LinkedHashMap<>();
        for (Trial p : c.probes()) {
            PodRun run = runs.get(p.source());
            if (run == null || run.skipped() != null) {
                skipped.add(p.source() + (run == null ? "" : ": " + run.skipped()));
                continue;
            }
            ran++;
            Answer a = run.answers().get(e.name());
            if (a != null && e.matches(a)) ok++;
            else wrong.computeIfAbsent(a == null ? "no answer (the lookup was cut short)" : a.describe(), k -> new ArrayList<>()).add(p.source());
        }
        String text = ok + "/" + ran;
        if (!skipped.isEmpty()) text += "  (skipped, exec failed: " + String.join("; ", skipped) + ")";
        List<String> reasons = new ArrayList<>();
        if (ran == 0) reasons.add("no pod could run getent");
        wrong.forEach((got, pods) -> reasons.add(String.join(", ", pods) + " got " + got));
        return reasons.isEmpty() ? CheckResult.pass(c, text) : CheckResult.fail(c, text, String.join("; ", reasons));
    }

    static CheckResult nxdomain(Check c, Expected e, Map<String, PodRun> runs) {
        String pod = c.probes().get(0).source();
        PodRun run = runs.get(pod);
        if (run == null || run.skipped() != null) return CheckResult.fail(c, "not run", pod + ": " + (run == null ? "not run" : run.skipped()));
        Answer a = run.answers().get(e.name());
        if (a == null) return CheckResult.fail(c, "no answer", "the lookup was cut short");
        if (a.exit() == NOT_FOUND && a.addresses().isEmpty()) {
            if (a.ms() < NXDOMAIN_WITHIN_MS) return CheckResult.pass(c, "not found in " + a.ms() + " ms");
            return CheckResult.fail(c, "not found after " + a.ms() + " ms", "expected NXDOMAIN at once (< " + NXDOMAIN_WITHIN_MS + " ms), not a timeout");
        }
        return CheckResult.fail(c, a.exit() == 0 ? "resolved to " + a.describe() : a.describe(), "expected NXDOMAIN within " + NXDOMAIN_WITHIN_MS + " ms");
    }
}
