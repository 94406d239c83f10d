package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.kernel.Procs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Kill at every step (issue 16): {@code kubenetlab deploy} of the article's lab is SIGKILLed at each of
 * its named steps in turn, then {@code kubenetlab destroy} must leave nothing of the lab (namespaces,
 * processes, state) and the root namespace as it was. Each step is hit exactly before it (the Deployer's
 * test hook {@code KUBENETLAB_TEST_STOP_AT_STEP=N} blocks there), and each step of 250 ms or more also
 * inside it, half its usual time after it started (timed from the step before's progress line and a
 * full deploy's times).
 * SIGKILL, not SIGTERM: no shutdown hook rolls anything back, destroy works from the saved state alone.
 */
class DeployKilledIT {
    private static final Pattern DONE = Pattern.compile("^ \\S+ (.*?)\\s+(\\d+) ms$");
    private static final Pattern STOPPED = Pattern.compile("^kubenetlab: test hook: stopped before step (\\d+) of (\\d+): (.*)$");
    private static final long LINE_TIMEOUT_MS = 120_000;
    /**
     * Steps shorter than this in the whole deploy are killed before, not inside (see the loop): hitting a
     * 100 ms step halfway is a matter of luck, and the suite's time goes to the steps that do real work
     * (machines, the DNS pod, the outside hosts, the rules, the controller).
     */
    private static final long INSTANT_MS = 250;

    record Step(String name, long millis) {}

    /** A running {@code kubenetlab deploy}: the launcher exec's java, so this process is the deploying JVM itself. */
    private record Deploy(Process process, BlockingQueue<String> lines, StringBuilder seen) {
        /** The next line it printed, or null once it exited (every wait bounded). */
        String next() throws InterruptedException {
            String l = lines.poll(LINE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (l == null) throw new AssertionError("no output from deploy within " + LINE_TIMEOUT_MS + " ms; so far:\n" + seen);
            if (l.equals(EOF)) return null;
            seen.append(l).append('\n');
            return l;
        }

        /** SIGKILL to the JVM; returns once it is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("deploy gone after SIGKILL").isTrue();
        }
    }

    private static final String EOF = "\0EOF";

    /** Every deploy and lab this test started, so a failing assertion leaves none running. */
    private final List<Process> started = new ArrayList<>();
    private final List<String> labs = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void leaveNothing() {
        for (Process p : started) p.destroyForcibly();
        for (String lab : labs) if (Files.exists(ItSupport.stateDir(lab)) || !ItSupport.netnsOf(lab).isEmpty()) ItSupport.cli("destroy", "--name", lab);
    }

    @Test
    void destroyLeavesNothingAfterADeployKilledAtEachStep() throws Exception {
        ItSupport.requireRoot();
        long t0 = System.nanoTime();
        String rootBefore = ItSupport.rootNamespaceSnapshot();

        // A whole deploy first: the step list and each step's usual time, and a clean destroy of a whole lab.
        String full = ItSupport.uniqueLab("kst");
        Deploy d = start(full, 0);
        String first = d.next();
        // The JVM printed: the launcher has exec'd it by now, so destroyForcibly is SIGKILL to the deploying JVM itself.
        assertThat(d.process().toHandle().info().command().orElse("")).as("the launcher exec's java: its process is the JVM")
                .endsWith("/java");
        List<Step> steps = new ArrayList<>();
        for (String l = first; l != null; l = d.next()) {
            Matcher m = DONE.matcher(l);
            if (m.matches()) steps.add(new Step(m.group(1), Long.parseLong(m.group(2))));
        }
        assertThat(d.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(d.process().exitValue()).as(d.seen().toString()).isZero();
        assertThat(steps).as("deploy's named steps").hasSizeGreaterThanOrEqualTo(10);
        List<String> failures = new ArrayList<>();
        destroyAndCheck(full, "after a whole deploy", rootBefore, failures);
        System.out.printf("DeployKilledIT: %d steps: %s%n", steps.size(), steps);

        int landed = 0;
        int instant = 0;
        for (int n = 1; n <= steps.size(); n++) {
            Step step = steps.get(n - 1);
            // 1. Exactly before step n: the hook holds the deploy there and says so.
            String name = ItSupport.uniqueLab("kst");
            Deploy before = start(name, n);
            String l = before.next();
            while (l != null && !STOPPED.matcher(l).matches()) l = before.next();
            assertThat(l).as("deploy stopped before step " + n + "; its output:\n" + before.seen()).isNotNull();
            Matcher m = STOPPED.matcher(l);
            assertThat(m.matches()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(n);
            assertThat(Integer.parseInt(m.group(2))).as("the same steps as the whole deploy's").isEqualTo(steps.size());
            assertThat(m.group(3)).isEqualTo(step.name());
            before.kill();
            landed++;
            destroyAndCheck(name, "killed before step " + n + " (" + step.name() + ")", rootBefore, failures);

            // 2. Inside step n: half its usual time after the step before reported done (step 1: after the first save).
            // A short step (recording a Service, starting a pod) is not hit inside: the kill would land after it,
            // which is "before step n+1" again, or at a point of luck.
            if (step.millis() < INSTANT_MS) {
                instant++;
                continue;
            }
            name = ItSupport.uniqueLab("kst");
            Deploy inside = start(name, 0);
            if (n == 1) {
                var state = ItSupport.stateDir(name).resolve("state.json");
                long deadline = System.currentTimeMillis() + 60_000;
                while (!Files.exists(state) && System.currentTimeMillis() < deadline) Procs.sleep(2);
            } else {
                String previous = steps.get(n - 2).name();
                for (l = inside.next(); l != null; l = inside.next()) {
                    Matcher dm = DONE.matcher(l);
                    if (dm.matches() && dm.group(1).equals(previous)) break;
                }
            }
            if (step.millis() > 1) Thread.sleep(step.millis() / 2);
            boolean alive = inside.process().isAlive();
            inside.kill();
            if (alive) landed++;
            // Where it was: the last step it reported done.
            String last = "none";
            for (String rest : drain(inside)) {
                Matcher dm = DONE.matcher(rest);
                if (dm.matches()) last = dm.group(1);
            }
            if (!alive) failures.add("step " + n + ": deploy finished before the kill meant for inside it");
            destroyAndCheck(name, "killed inside step " + n + " (" + step.name() + "; last done: " + last + ")", rootBefore, failures);
        }
        System.out.printf("DeployKilledIT: %d kills landed in %d steps (before each, inside the %d not instant), %d failures, %d s%n",
                landed, steps.size(), steps.size() - instant, failures.size(), (System.nanoTime() - t0) / 1_000_000_000L);
        assertThat(failures).as("what a kill at some step left behind after destroy").isEmpty();
        assertThat(landed).isEqualTo(2 * steps.size() - instant);
    }

    /** Starts {@code kubenetlab deploy} of the article's lab; {@code stopAt} > 0 sets the Deployer's test hook. */
    private Deploy start(String name, int stopAt) throws IOException {
        labs.add(name);
        ProcessBuilder pb = new ProcessBuilder(ItSupport.REPO.resolve("scripts/kubenetlab").toString(), "deploy",
                "-t", ItSupport.ARTICLE.toString(), "--name", name).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.remove("KUBENETLAB_TEST_STOP_AT_STEP");
        if (stopAt > 0) env.put("KUBENETLAB_TEST_STOP_AT_STEP", Integer.toString(stopAt));
        Process p = pb.start();
        started.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) lines.add(l);
            } catch (IOException ignored) {
                // killed: the pipe closed
            } finally {
                lines.add(EOF);
            }
        }, "deploy-output-" + name);
        reader.setDaemon(true);
        reader.start();
        return new Deploy(p, lines, new StringBuilder());
    }

    /** What a killed deploy printed after the point the test read to. */
    private static List<String> drain(Deploy d) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (String l = d.next(); l != null; l = d.next()) out.add(l);
        return out;
    }

    /** {@code kubenetlab destroy --name}, then nothing of the lab and the root namespace as before; failures are collected. */
    private static void destroyAndCheck(String name, String when, String rootBefore, List<String> failures) {
        int before = failures.size();
        ItSupport.CliResult r = ItSupport.cli("destroy", "--name", name);
        if (r.exit() != 0) failures.add(when + ": destroy exited " + r.exit() + ": " + r.out() + r.err());
        try {
            ItSupport.assertGone(name);
        } catch (AssertionError e) {
            failures.add(when + ": " + e.getMessage());
        }
        String root = ItSupport.rootNamespaceSnapshot();
        if (!root.equals(rootBefore)) failures.add(when + ": the root namespace changed:\n" + root);
        // Whatever failed, leave nothing for the next round or the next test.
        if (!ItSupport.netnsOf(name).isEmpty() || Files.exists(ItSupport.stateDir(name))) ItSupport.cli("destroy", "--name", name);
        System.out.println("DeployKilledIT: " + when + ": " + (failures.size() == before ? "nothing left" : String.join("\n", failures.subList(before, failures.size()))));
    }
}
