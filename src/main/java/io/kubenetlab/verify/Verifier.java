package io.kubenetlab.verify;

import io.kubenetlab.kernel.Kernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
        // Checks of one probe each (a ClusterIP spread from one client, a NodePort) run PARALLEL at a time
        // and print in plan order: a 2,000-pod lab has one such check per client pod and Service, and
        // one after the other they took most of its verify. A check of many probes runs them in parallel itself.
        ExecutorService pool = daemonPool(PARALLEL);
        try {
            List<Future<CheckResult>> single = new ArrayList<>();
            for (Check c : plan.checks()) {
                single.add(c.kind() != Check.Kind.DNS && c.probes().size() == 1 ? pool.submit(() -> judgeTwiceIfUneven(c)) : null);
            }
            for (int i = 0; i < plan.checks().size(); i++) {
                Check c = plan.checks().get(i);
                CheckResult r;
                if (c.kind() == Check.Kind.DNS) {
                    if (dnsRuns == null) dnsRuns = resolveEverywhere(plan);
                    r = Dns.judge(c, dnsRuns);
                } else {
                    r = single.get(i) != null ? await(single.get(i)) : judgeTwiceIfUneven(c);
                }
                results.add(r);
                out.accept(report.line(r));
            }
        } finally {
            pool.shutdownNow();
        }
        report.summary(results).forEach(out);
        return results;
    }

    private CheckResult judgeTwiceIfUneven(Check c) {
        CheckResult r = judge(c);
        if (!Judge.onlyUneven(r)) return r;
        // A fair 50/50 spread of 60 requests is "uneven" at p < 0.001 once in a thousand checks,
        // and verify runs dozens: a second, independent sample decides (a broken spread fails both).
        CheckResult again = judge(c);
        return again.passed() ? CheckResult.pass(c, again.result() + "  (a first sample was uneven: " + r.result().trim() + ")") : again;
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
        ExecutorService pool = daemonPool(Math.min(PARALLEL, items.size()));
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) futures.add(pool.submit(() -> f.apply(item)));
            List<R> out = new ArrayList<>();
            for (var fu : futures) out.add(await(fu));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static ExecutorService daemonPool(int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "verify-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** The task's result; its exception as thrown (a probe turns its own failures into results). */
    private static <R> R await(Future<R> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("verify interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
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
