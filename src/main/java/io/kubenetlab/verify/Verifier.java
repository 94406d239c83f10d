package io.kubenetlab.verify;

import io.kubenetlab.kernel.Kernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a {@link VerifyPlan}: each probe is one exec of {@link Requests#script} inside its pod, node or
 * host (the lab's {@code execCapture}), its output is parsed and judged, and the check's line is
 * printed as soon as it is known. Every request has nc's 3 s timeout and every loop is bounded, so a
 * run ends by itself; every address it sends to is a ClusterIP or a node of the lab.
 */
public final class Verifier {
    /** How a command runs inside a lab target: {@code Lab::execCapture}. */
    @FunctionalInterface
    public interface Exec {
        Kernel.Result run(String target, List<String> argv);
    }

    private final Exec exec;

    public Verifier(Exec exec) {
        this.exec = exec;
    }

    /** Runs every check in order, printing notes, one line per check and the summary; returns the results. */
    public List<CheckResult> run(VerifyPlan plan, Consumer<String> out) {
        Report report = new Report(plan);
        for (String n : plan.notes()) out.accept(Report.note(n));
        List<CheckResult> results = new ArrayList<>();
        Map<String, Dns.PodRun> dnsRuns = null;
        for (Check c : plan.checks()) {
            if (c.kind() == Check.Kind.DNS) {
                if (dnsRuns == null) dnsRuns = resolveEverywhere(plan);
                CheckResult r = Dns.judge(c, dnsRuns);
                results.add(r);
                out.accept(report.line(r));
                continue;
            }
            CheckResult r = judge(c);
            if (Judge.onlyUneven(r)) {
                // A fair 50/50 spread of 60 requests is "uneven" at p < 0.001 once in a thousand checks,
                // and verify runs dozens: a second, independent sample decides (a broken spread fails both).
                CheckResult again = judge(c);
                r = again.passed() ? CheckResult.pass(c, again.result() + "  (a first sample was uneven: " + r.result().trim() + ")") : again;
            }
            results.add(r);
            out.accept(report.line(r));
        }
        report.summary(results).forEach(out);
        return results;
    }

    private CheckResult judge(Check c) {
        return Judge.judge(c, inParallel(c.probes(), p -> probe(c, p)));
    }

    /**
     * Each item's result, in order, {@link #PARALLEL} at a time: a probe is mostly the start of a few
     * processes and the wait for answers, and a big lab has one probe per pod (2,000 in a row took
     * minutes). Every address stays the lab's own; only more of them at once.
     */
    private static <T, R> List<R> inParallel(List<T> items, java.util.function.Function<T, R> f) {
        if (items.size() <= 1) return items.stream().map(f).toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(PARALLEL, items.size()), r -> {
            Thread t = new Thread(r, "verify-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<R>> futures = new ArrayList<>();
            for (T item : items) futures.add(pool.submit(() -> f.apply(item)));
            List<R> out = new ArrayList<>();
            for (var fu : futures) out.add(fu.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("verify interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Probes at once: a few, so a spread's requests from one client are not slowed by the others'. */
    static final int PARALLEL = 4;

    /** Every DNS line's name, looked up in each of its pods: one exec per pod, all its names in one script. */
    Map<String, Dns.PodRun> resolveEverywhere(VerifyPlan plan) {
        Map<String, List<String>> namesByPod = new LinkedHashMap<>();
        for (Check c : plan.checks()) {
            if (c.kind() != Check.Kind.DNS) continue;
            for (Trial p : c.probes()) {
                List<String> names = namesByPod.computeIfAbsent(p.source(), k -> new ArrayList<>());
                if (!names.contains(c.dns().name())) names.add(c.dns().name());
            }
        }
        List<String> pods = new ArrayList<>(namesByPod.keySet());
        List<Dns.PodRun> resolved = inParallel(pods, pod -> resolve(pod, namesByPod.get(pod)));
        Map<String, Dns.PodRun> runs = new LinkedHashMap<>();
        for (int i = 0; i < pods.size(); i++) runs.put(pods.get(i), resolved.get(i));
        return runs;
    }

    Dns.PodRun resolve(String pod, List<String> names) {
        try {
            Kernel.Result r = exec.run(pod, Dns.argv(names));
            Map<String, Dns.Answer> answers = Dns.parse(r.stdout());
            if (answers.isEmpty()) {
                String why = r.stderr().isBlank() ? "exit code " + r.exit() : r.stderr().strip().lines().reduce((a, b) -> b).orElse("");
                return Dns.PodRun.skipped(pod, why);
            }
            return Dns.PodRun.ran(pod, answers);
        } catch (RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            return Dns.PodRun.skipped(pod, why.startsWith(pod + " ") ? why.substring(pod.length() + 1) : why);
        }
    }

    TrialRun probe(Check c, Trial p) {
        List<String> argv = Requests.argv(c.ip(), c.port(), p.requests(), p.stopAtSelf());
        long t0 = System.nanoTime();
        try {
            Kernel.Result r = exec.run(p.source(), argv);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            List<Outcome> outcomes = Requests.parse(r.stdout());
            if (outcomes.isEmpty()) {
                String why = r.stderr().isBlank() ? "exit code " + r.exit() : r.stderr().strip().lines().reduce((a, b) -> b).orElse("");
                return TrialRun.failed(p, "cannot run the requests in " + p.source() + ": " + why, ms);
            }
            return new TrialRun(p, outcomes, ms, null);
        } catch (RuntimeException e) {
            return TrialRun.failed(p, e.getMessage() != null ? e.getMessage() : e.toString(), (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
