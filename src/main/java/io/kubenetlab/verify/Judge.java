package io.kubenetlab.verify;

import io.kubenetlab.verify.Check.Kind;
import io.kubenetlab.verify.Expect.Mode;
import io.kubenetlab.verify.Outcome.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** Turns a check's outcomes into PASS or FAIL with the report's words. Pure. */
public final class Judge {
    /** A refusal must come this fast: kube-proxy's REJECT answers at once, a timeout would take nc's -w. */
    public static final long REFUSED_WITHIN_MS = 3000;

    private Judge() {}

    public static CheckResult judge(Check c, List<TrialRun> runs) {
        if (runs.size() != c.probes().size()) throw new IllegalArgumentException("one run per probe");
        if (c.kind() == Kind.REACH) return reach(c, runs);
        TrialRun run = runs.get(0);
        if (run.error() != null) return CheckResult.fail(c, "not run", run.error());
        if (run.outcomes().isEmpty()) return CheckResult.fail(c, "no request ran", "the request loop printed nothing");
        Expect e = run.probe().expect();
        return switch (e.mode()) {
            case REFUSE -> refuse(c, run, e);
            case DROP -> drop(c, run, e);
            case ANSWER -> switch (c.kind()) {
                case HAIRPIN -> hairpin(c, run, e);
                case NODE_PORT, LOAD_BALANCER, EXTERNAL_IP -> nodePort(c, run, e);
                default -> spread(c, run, e);
            };
        };
    }

    // ---------------------------------------------------------------- expected refusals and drops

    static CheckResult refuse(Check c, TrialRun run, Expect e) {
        Outcome o = run.outcomes().get(0);
        String expected = "refused (" + e.why() + ")";
        if (o.status() == Status.REFUSED) {
            if (run.elapsedMs() < REFUSED_WITHIN_MS) return CheckResult.pass(c, expected + " in " + run.elapsedMs() + " ms");
            return CheckResult.fail(c, "refused after " + run.elapsedMs() + " ms", "expected at once (" + e.why() + ")");
        }
        return CheckResult.fail(c, describe(o), "expected " + expected);
    }

    static CheckResult drop(Check c, TrialRun run, Expect e) {
        Outcome o = run.outcomes().get(0);
        String expected = "dropped (" + e.why() + ")";
        if (o.status() == Status.TIMED_OUT) return CheckResult.pass(c, expected);
        return CheckResult.fail(c, describe(o), "expected " + expected);
    }

    static String describe(Outcome o) {
        return switch (o.status()) {
            case ANSWERED -> o.backend() != null ? "answered by " + o.backend() : "answered";
            case REFUSED -> "refused";
            case TIMED_OUT -> "timed out";
            case FAILED -> "failed: " + o.detail();
        };
    }

    // ---------------------------------------------------------------- answers

    /** The ClusterIP spread: every request answered, every ready endpoint among the answers, an even spread. */
    static CheckResult spread(Check c, TrialRun run, Expect e) {
        Tally t = run.tally();
        List<String> reasons = new ArrayList<>();
        String failures = t.failures();
        if (!failures.isEmpty()) reasons.add(failures + stopped(run, t));
        missing(run, t).ifPresent(reasons::add);
        StringBuilder text = new StringBuilder(counts(t, e));
        if (attributed(t, e)) {
            List<String> unexpected = unexpected(t, e);
            if (!unexpected.isEmpty()) reasons.add("answers from " + String.join(", ", unexpected) + ", not a ready endpoint");
            if (e.sticky()) {
                if (t.byBackend().size() > 1) reasons.add("answers from " + t.byBackend().size() + " pods; sessionAffinity ClientIP sticks to one");
                text.append("  sticky (sessionAffinity ClientIP)");
            } else {
                List<String> silent = e.backends().stream().filter(b -> t.count(b) == 0).toList();
                if (!silent.isEmpty()) reasons.add("no answer from " + String.join(", ", silent));
                long[] observed = e.backends().stream().mapToLong(t::count).toArray();
                OptionalDouble p = ChiSquare.evenSpreadPValue(observed);
                if (p.isPresent()) {
                    text.append("  p=").append(formatP(p.getAsDouble()));
                    if (p.getAsDouble() < ChiSquare.ALPHA) reasons.add(UNEVEN);
                }
            }
        } else if (t.answered() == 0) {
            reasons.add("no answer");
        }
        return verdict(c, text.toString(), reasons);
    }

    /**
     * A NodePort, EXTERNAL-IP or external IP asked from outside: which pods answered; it fails only
     * when none did (or a stranger did).
     */
    static CheckResult nodePort(Check c, TrialRun run, Expect e) {
        Tally t = run.tally();
        List<String> reasons = new ArrayList<>();
        StringBuilder text = new StringBuilder(counts(t, e));
        if (!t.failures().isEmpty()) text.append("  (").append(t.failures()).append(stopped(run, t)).append(')');
        if (t.answered() == 0) reasons.add("no answer");
        missing(run, t).ifPresent(reasons::add);
        if (attributed(t, e)) {
            List<String> unexpected = unexpected(t, e);
            if (!unexpected.isEmpty()) reasons.add("answers from " + String.join(", ", unexpected) + ", not a ready endpoint");
        }
        return verdict(c, text.toString(), reasons);
    }

    /**
     * A pod reaches itself through its Service: passes on the first answer from itself. Under
     * sessionAffinity ClientIP the pod may already stick to another endpoint (an earlier request chose
     * it): then every answer from that one ready endpoint passes too, and the line says so.
     */
    static CheckResult hairpin(Check c, TrialRun run, Expect e) {
        String self = run.probe().stopAtSelf();
        List<Outcome> os = run.outcomes();
        for (int i = 0; i < os.size(); i++) {
            if (self.equals(os.get(i).backend())) {
                return CheckResult.pass(c, "answered by itself" + (i == 0 ? " at the first request" : " after " + (i + 1) + " requests"));
            }
        }
        Tally t = run.tally();
        if (t.answered() > 0 && t.unattributed() == t.answered()) {
            return CheckResult.pass(c, "answered (no \"Hello from\" to tell which pod)");
        }
        String text = t.answered() + "/" + t.sent() + " answered" + (t.byBackend().isEmpty() ? "" : ", by " + backendList(t));
        if (e.sticky() && t.answered() == t.sent() && t.byBackend().size() == 1 && e.backends() != null
                && e.backends().contains(t.byBackend().keySet().iterator().next())) {
            return CheckResult.pass(c, text + "  sticky (sessionAffinity ClientIP): its own answer cannot be asked for");
        }
        List<String> reasons = new ArrayList<>();
        reasons.add("no answer from itself in " + t.sent() + " request" + (t.sent() == 1 ? "" : "s"));
        if (!t.failures().isEmpty()) reasons.add(t.failures() + stopped(run, t));
        return CheckResult.fail(c, text, String.join("; ", reasons));
    }

    /** One request from every node and pod: each gets what kube-proxy promises its node. */
    static CheckResult reach(Check c, List<TrialRun> runs) {
        int answers = 0, answersOk = 0, drops = 0, dropsOk = 0;
        List<String> problems = new ArrayList<>();
        for (TrialRun run : runs) {
            Expect e = run.probe().expect();
            String src = run.probe().source();
            if (e.mode() == Mode.DROP) drops++;
            else answers++;
            if (run.error() != null) {
                problems.add(src + ": " + run.error());
                continue;
            }
            if (run.outcomes().isEmpty()) {
                problems.add(src + ": no request ran");
                continue;
            }
            Outcome o = run.outcomes().get(0);
            switch (e.mode()) {
                case DROP -> {
                    if (o.status() == Status.TIMED_OUT) dropsOk++;
                    else problems.add(src + " " + describe(o) + ", expected dropped (" + e.why() + ")");
                }
                case REFUSE -> {
                    if (o.status() == Status.REFUSED) answersOk++;
                    else problems.add(src + " " + describe(o) + ", expected refused (" + e.why() + ")");
                }
                case ANSWER -> {
                    if (!o.answered()) problems.add(src + " " + describe(o));
                    else if (o.backend() != null && e.backends() != null && !e.backends().contains(o.backend())) {
                        problems.add(src + " answered by " + o.backend() + ", not a ready endpoint");
                    } else {
                        answersOk++;
                    }
                }
            }
        }
        String text = answersOk + "/" + answers + " answered";
        if (drops > 0) text += ", " + dropsOk + "/" + drops + " dropped as expected (Local traffic policy)";
        return verdict(c, text, problems);
    }

    // ---------------------------------------------------------------- words

    /** The one reason a fair spread also gives, once in 1/ALPHA samples. */
    static final String UNEVEN = "uneven spread (p < " + ChiSquare.ALPHA + ")";

    /** Whether a failure is only an uneven spread: worth a second, independent sample before it is believed. */
    static boolean onlyUneven(CheckResult r) {
        return !r.passed() && UNEVEN.equals(r.reason());
    }

    private static CheckResult verdict(Check c, String text, List<String> reasons) {
        return reasons.isEmpty() ? CheckResult.pass(c, text) : CheckResult.fail(c, text, String.join("; ", reasons));
    }

    /** Answers can be told apart by pod: every answer named one and every eligible endpoint is a lab pod. */
    private static boolean attributed(Tally t, Expect e) {
        return e.backends() != null && t.answered() > 0 && t.unattributed() == 0;
    }

    private static List<String> unexpected(Tally t, Expect e) {
        return t.byBackend().keySet().stream().filter(b -> !e.backends().contains(b)).toList();
    }

    /** "60/60  pod-a 31  pod-b 29": the eligible pods first (with their zeros), then any other. */
    static String counts(Tally t, Expect e) {
        StringBuilder sb = new StringBuilder(t.answered() + "/" + t.sent());
        if (t.answered() == 0) return sb.toString();
        if (t.byBackend().isEmpty()) return sb.append(" answered").toString();
        List<String> order = new ArrayList<>(e.backends() == null ? List.of() : e.backends());
        for (String b : t.byBackend().keySet()) if (!order.contains(b)) order.add(b);
        for (String b : order) sb.append("  ").append(b).append(' ').append(t.count(b));
        if (t.unattributed() > 0) sb.append("  ").append(t.unattributed()).append(" without \"Hello from\"");
        return sb.toString();
    }

    private static String backendList(Tally t) {
        List<String> parts = new ArrayList<>();
        t.byBackend().forEach((b, n) -> parts.add(b + " " + n));
        return String.join(", ", parts);
    }

    private static String stopped(TrialRun run, Tally t) {
        return t.timedOut() >= Requests.MAX_TIMEOUTS && t.sent() < run.probe().requests()
                ? " (stopped after " + Requests.MAX_TIMEOUTS + " timeouts, " + t.sent() + " of " + run.probe().requests() + " sent)" : "";
    }

    /** The loop ended early for no reason of its own (the exec was cut short). */
    private static java.util.Optional<String> missing(TrialRun run, Tally t) {
        if (t.sent() >= run.probe().requests() || t.timedOut() >= Requests.MAX_TIMEOUTS) return java.util.Optional.empty();
        return java.util.Optional.of("only " + t.sent() + " of " + run.probe().requests() + " requests ran");
    }

    static String formatP(double p) {
        return p >= 0.01 ? String.format(Locale.ROOT, "%.2f", p) : String.format(Locale.ROOT, "%.1e", p);
    }
}
