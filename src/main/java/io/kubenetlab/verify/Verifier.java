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
        // Every probe of every check goes to one pool, PARALLEL at a time, in plan order; each check is
        // judged and printed in plan order as its own probes finish. A big lab has thousands of checks of
        // one probe (a ClusterIP spread per client pod) and some of thousands (Reach): one after the
        // other they took most of its verify.
        ExecutorService pool = daemonPool();
        try {
            List<List<Future<TrialRun>>> probes = new ArrayList<>();
            for (Check c : plan.checks()) probes.add(c.kind() == Check.Kind.DNS ? null : submit(pool, c));
            Map<String, Dns.PodRun> dnsRuns = null;
            for (int i = 0; i < plan.checks().size(); i++) {
                Check c = plan.checks().get(i);
                CheckResult r;
                if (c.kind() == Check.Kind.DNS) {
                    if (dnsRuns == null) dnsRuns = resolveEverywhere(plan, pool);
                    r = Dns.judge(c, dnsRuns);
                } else {
                    r = Judge.judge(c, awaitAll(probes.get(i)));
                    if (Judge.onlyUneven(r)) {
                        // A fair 50/50 spread of 60 requests is "uneven" at p < 0.001 once in a thousand checks,
                        // and verify runs dozens: a second, independent sample decides (a broken spread fails both).
                        CheckResult again = Judge.judge(c, awaitAll(submit(pool, c)));
                        r = again.passed() ? CheckResult.pass(c, again.result() + "  (a first sample was uneven: " + r.result().trim() + ")") : again;
                    }
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

    private List<Future<TrialRun>> submit(ExecutorService pool, Check c) {
        return c.probes().stream().map(p -> pool.submit(() -> probe(c, p))).toList();
    }

    /** The pool every probe runs in: a probe is mostly the start of a few processes and the wait for answers. */
    private static ExecutorService daemonPool() {
        return Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "verify-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** The tasks' results in order; an exception as thrown (a probe turns its own failures into results). */
    private static <R> List<R> awaitAll(List<Future<R>> futures) {
        List<R> out = new ArrayList<>();
        try {
            for (Future<R> f : futures) out.add(f.get());
            return out;
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
    Map<String, Dns.PodRun> resolveEverywhere(VerifyPlan plan, ExecutorService pool) {
        Map<String, List<String>> namesByPod = new LinkedHashMap<>();
        for (Check c : plan.checks()) {
            if (c.kind() != Check.Kind.DNS) continue;
            for (Trial p : c.probes()) {
                List<String> names = namesByPod.computeIfAbsent(p.source(), k -> new ArrayList<>());
                if (!names.contains(c.dns().name())) names.add(c.dns().name());
            }
        }
        List<String> pods = new ArrayList<>(namesByPod.keySet());
        List<Dns.PodRun> resolved = awaitAll(pods.stream().map(pod -> pool.submit(() -> resolve(pod, namesByPod.get(pod)))).toList());
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
