import io.kubenetlab.kernel.NeighbourTable;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.lab.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * On-demand deploy benchmark (not part of the Maven test suite). Run from the repository root as root:
 *
 * <pre>
 *   java -cp target/kubenetlab.jar bench/DeployBench.java [options]     (or: bench/run.sh [options])
 * </pre>
 *
 * Sections:
 * <ul>
 *   <li>{@code api}: the article lab (topologies/service-network.yaml) deployed in-process with
 *       {@code Lab.deploy(...)}, then destroyed with {@code lab.close()};</li>
 *   <li>{@code cli}: the same lab with {@code scripts/kubenetlab deploy ... --name X} (wall time of the
 *       whole command, JVM start-up included), then {@code scripts/kubenetlab destroy --name X};</li>
 *   <li>{@code pods}: a generated 2-node lab (podCIDRSize 22) with a Deployment of N alpine replicas
 *       running {@code sleep infinity}; per-pod cost = (deploy - empty-lab deploy) / N.</li>
 *   <li>{@code runtimes} (only when asked for): the article lab in-process on the netns and the docker
 *       runtime, interleaved, {@code --reps} each (needs an engine and scripts/build-images.sh's images);</li>
 *   <li>{@code timeline} (only when asked for): one N-pod deploy and destroy through the CLI with
 *       {@code KUBENETLAB_DEBUG=1}, its kernel commands timestamped and folded into phases.</li>
 * </ul>
 *
 * Every lab is named {@code bench-<pid>-<n>}; only those are ever destroyed, in finally blocks and in a
 * shutdown hook (Ctrl-C).
 */
public final class DeployBench {
    static final long PID = ProcessHandle.current().pid();
    static int seq = 0;
    /** Labs this run created and has not destroyed yet. */
    static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
    /** Every lab name this run used: the shutdown hook sweeps their marked processes. */
    static final Set<String> CREATED = ConcurrentHashMap.newKeySet();
    static volatile boolean stopping;
    static Thread mainThread;

    static Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    /** The launcher the cli section runs (and cleanup falls back to); default REPO/scripts/kubenetlab. */
    static Path cli;
    static int reps = 5;
    /** --cni: the network plugin the article-lab sections deploy with (null: the lab file's). */
    static String cni;
    static int podReps = 3;
    static List<Integer> podCounts = List.of(500, 1000);
    static final List<String> SECTIONS = List.of("api", "cli", "pods", "floor", "programming", "scale", "timeline", "runtimes");
    /** The default run measures every target of issue 17 (about 15 minutes on 2 CPUs); --only picks sections. */
    static Set<String> sections = new LinkedHashSet<>(List.of("api", "cli", "pods", "programming", "scale"));
    /** --compare: run the shell floor (bench/floor/) interleaved with the cli and pods sections and print kubenetlab / floor. */
    static boolean compare = true;
    static double targetMsPerPod = 8.0;
    /** Issue 17's targets: the article lab through the CLI, and the per-pod ratio to the floor. */
    static final long TARGET_CLI_DEPLOY_MS = 1500, TARGET_CLI_DESTROY_MS = 300;
    static final double TARGET_FLOOR_RATIO = 1.0, TARGET_DESTROY_MS_PER_POD = 1.0;
    /** One line per target this run measured, printed last: "met" or "MISSED". */
    static final List<String> TARGETS = new ArrayList<>();
    /** Pods in the lab the timeline section deploys. */
    static int timelinePods = 500;
    static boolean phases = true;
    static int programmingRounds = 30, scaleNodes = 10, scalePods = 2000;

    public static void main(String[] args) throws Exception {
        parseArgs(args);
        mainThread = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(DeployBench::onShutdown, "bench-cleanup"));
        header();
        Path topo = repo.resolve("topologies/service-network.yaml");

        // One untimed in-process deploy so class loading and the JIT do not land in the first sample.
        if (sections.contains("api") || sections.contains("pods") || sections.contains("runtimes")) {
            Sample w = apiDeploy(topo, Duration.ofSeconds(60));
            System.out.printf("warm-up (cold JVM) article deploy: %d ms, destroy %d ms (not counted)%n%n", w.deployMs, w.destroyMs);
        }

        if (sections.contains("api")) {
            System.out.println("== article lab, in-process API (" + repo.relativize(topo) + ", " + reps + " reps)");
            List<Sample> s = new ArrayList<>();
            for (int i = 0; i < reps; i++) s.add(apiDeploy(topo, Duration.ofSeconds(60)));
            report("deploy  (Lab.deploy)", s, x -> x.deployMs);
            report("destroy (lab.close)", s, x -> x.destroyMs);
            if (phases) printPhases(s);
            System.out.println();
        }

        if (sections.contains("runtimes")) {
            // Interleaved (netns, docker, netns, ...) so both see the same machine load; one untimed
            // docker deploy first warms the engine's caches as the api warm-up does the JVM's.
            System.out.println("== article lab, netns vs docker runtime, in-process API (" + reps + " reps each, interleaved)");
            Sample w = apiDeploy(topo, Duration.ofSeconds(60), "docker");
            System.out.printf("warm-up docker deploy: %d ms, destroy %d ms (not counted)%n", w.deployMs, w.destroyMs);
            Map<String, List<Sample>> byRuntime = new LinkedHashMap<>();
            for (int i = 0; i < reps; i++) {
                for (String rt : List.of("netns", "docker")) byRuntime.computeIfAbsent(rt, k -> new ArrayList<>()).add(apiDeploy(topo, Duration.ofSeconds(60), rt));
            }
            byRuntime.forEach((rt, s) -> {
                report("deploy  " + rt, s, x -> x.deployMs);
                report("destroy " + rt, s, x -> x.destroyMs);
            });
            if (phases) byRuntime.forEach((rt, s) -> {
                System.out.println("-- " + rt);
                printPhases(s);
            });
            System.out.println();
        }

        if (sections.contains("cli")) {
            System.out.println("== article lab, CLI (" + cli + " deploy -t " + repo.relativize(topo) + " --name NAME; " + reps + " reps)");
            if (compare) System.out.println("   interleaved with the shell floor: bench/floor/article-lab.sh up|down (--compare)");
            List<Sample> s = new ArrayList<>();
            List<Sample> floor = new ArrayList<>();
            for (int i = 0; i < reps; i++) {
                if (compare) floor.add(floorRun("article-lab.sh", -1));
                s.add(cliDeploy(topo));
            }
            report("deploy  wall time of the command", s, x -> x.deployMs);
            report("deploy  as reported ('is up in')", s, x -> x.reportedMs);
            report("destroy wall time of the command", s, x -> x.destroyMs);
            report("controller resident memory", s, x -> x.controllerRssKiB / 1024, "MiB");
            long deploy = median(s, x -> x.deployMs), destroy = median(s, x -> x.destroyMs);
            if (compare) {
                report("floor: article-lab.sh up", floor, x -> x.deployMs);
                report("floor: article-lab.sh down", floor, x -> x.destroyMs);
                long fUp = median(floor, x -> x.deployMs), fDown = median(floor, x -> x.destroyMs);
                System.out.printf(Locale.ROOT, "   kubenetlab / floor (medians): deploy %.1fx, destroy %.1fx, deploy + destroy %.1fx%n",
                        deploy / (double) Math.max(1, fUp), destroy / (double) Math.max(1, fDown), (deploy + destroy) / (double) Math.max(1, fUp + fDown));
            }
            target("article lab, CLI deploy (wall, median)", deploy + " ms", deploy <= TARGET_CLI_DEPLOY_MS, "<= " + TARGET_CLI_DEPLOY_MS + " ms");
            target("article lab, CLI destroy (wall, median)", destroy + " ms", destroy <= TARGET_CLI_DESTROY_MS, "<= " + TARGET_CLI_DESTROY_MS + " ms");
            System.out.println();
        }

        if (sections.contains("floor") && !compare) {
            // The floor on its own (with --compare it runs inside the cli and pods sections instead).
            System.out.println("== the shell floor (bench/floor/): ip -batch and iptables-restore only, no process in any pod");
            List<Sample> a = new ArrayList<>();
            for (int i = 0; i < reps; i++) a.add(floorRun("article-lab.sh", -1));
            report("article-lab.sh up", a, x -> x.deployMs);
            report("article-lab.sh down", a, x -> x.destroyMs);
            List<Sample> zero = new ArrayList<>();
            for (int i = 0; i < Math.max(3, podReps); i++) zero.add(floorRun("pods.sh", 0));
            long zeroMs = median(zero, x -> x.deployMs);
            for (int n : podCounts) {
                List<Sample> p = new ArrayList<>();
                for (int i = 0; i < podReps; i++) p.add(floorRun("pods.sh", n));
                report("pods.sh up, N=" + n, p, x -> x.deployMs);
                System.out.printf(Locale.ROOT, "   per pod: (up - 0 pods %d ms) / %d = %.2f ms/pod; down %.2f ms/pod%n", zeroMs, n,
                        (median(p, x -> x.deployMs) - zeroMs) / (double) n, median(p, x -> x.destroyMs) / (double) n);
            }
            System.out.println();
        }

        if (sections.contains("pods") || sections.contains("timeline")) {
            Path dir = Files.createTempDirectory("kubenetlab-bench-");
            try {
                if (sections.contains("pods")) podBench(dir);
                if (sections.contains("timeline")) timeline(dir, timelinePods);
            } finally {
                deleteTree(dir);
            }
        }

        if (sections.contains("programming")) programming();
        if (sections.contains("scale")) scale();

        if (!TARGETS.isEmpty()) {
            System.out.println("== targets (" + gitDescribe() + ")");
            TARGETS.forEach(l -> System.out.println("   " + l));
        }
    }

    // ------------------------------------------------------------------ measurements

    static final class Sample {
        long deployMs, destroyMs, reportedMs = -1;
        /** Resident memory right after deploy: the controller's, the lab's other processes' together, and MemAvailable's drop. */
        long controllerRssKiB, podsRssKiB, memUsedKiB;
        Map<String, Long> phases = new LinkedHashMap<>();
    }

    /** A fresh name; a name whose state already exists (not made by this run) is skipped, never touched. */
    static String newName() {
        if (stopping) throw new IllegalStateException("bench: stopping (signal): no new lab");
        LabStore store = LabStore.fromEnvironment();
        while (true) {
            String n = "bench-" + PID + "-" + (++seq);
            if (!store.exists(n)) {
                CREATED.add(n);
                return n;
            }
        }
    }

    /** A Progress that records each deploy step's time. */
    static Progress recorder(Map<String, Long> into) {
        return new Progress() {
            public void start(String step) {}

            public void done(String step, long millis) {
                into.merge(step, millis, Long::sum);
            }

            public void failed(String step, String reason) {
                System.err.println("  step failed: " + step + ": " + reason);
            }
        };
    }

    static Sample apiDeploy(Path topo, Duration readyTimeout) {
        return apiDeploy(topo, readyTimeout, null);
    }

    /** runtime: netns or docker (null: the lab file's). */
    static Sample apiDeploy(Path topo, Duration readyTimeout, String runtime) {
        String name = newName();
        Sample s = new Sample();
        Lab.Options o = Lab.Options.defaults().withName(name).withReadyTimeout(readyTimeout).withProgress(recorder(s.phases))
                .withRuntime(runtime).withCni(cni);
        LIVE.add(name);
        Lab lab;
        long availableBefore = memAvailableKiB();
        try {
            long t0 = System.nanoTime();
            lab = Lab.deploy(topo, o);
            s.deployMs = ms(t0);
            measureMemory(name, s, availableBefore);
        } catch (RuntimeException e) {
            // Lab.deploy has rolled back already; make sure nothing is left if that rollback failed.
            destroyQuietly(name);
            throw e;
        }
        try {
            long t1 = System.nanoTime();
            lab.close();
            s.destroyMs = ms(t1);
            LIVE.remove(name);
        } catch (RuntimeException e) {
            destroyQuietly(name); // still in LIVE if this fails too: the shutdown hook tries again
            throw e;
        }
        return s;
    }

    static final Pattern UP_IN = Pattern.compile("is up in (\\d+) ms");

    static Sample cliDeploy(Path topo) throws IOException, InterruptedException {
        String name = newName();
        Sample s = new Sample();
        LIVE.add(name);
        boolean destroyed = false;
        try {
            long t0 = System.nanoTime();
            Out r = exec(List.of(cli.toString(), "deploy", "-t", topo.toString(), "--name", name));
            s.deployMs = ms(t0);
            if (r.exit != 0) throw new IllegalStateException("deploy of " + name + " failed (exit " + r.exit + "):\n" + r.text);
            Matcher m = UP_IN.matcher(r.text);
            if (m.find()) s.reportedMs = Long.parseLong(m.group(1));
            measureMemory(name, s, -1);
            long t1 = System.nanoTime();
            Out d = exec(List.of(cli.toString(), "destroy", "--name", name));
            s.destroyMs = ms(t1);
            if (d.exit != 0) throw new IllegalStateException("destroy of " + name + " failed (exit " + d.exit + "):\n" + d.text);
            destroyed = true;
            LIVE.remove(name);
        } finally {
            if (!destroyed) destroyQuietly(name);
        }
        return s;
    }

    /**
     * Resident memory of a lab's processes right after its deploy (found by their KUBENETLAB_LAB mark):
     * the controller's (the JVM running {@code controller --lab NAME}) and all the others' together
     * (sandboxes, containers, DNS, database); with availableBefore >= 0 also how much MemAvailable
     * dropped, which counts the kernel's share (namespaces, links, rules) too.
     */
    static void measureMemory(String lab, Sample s, long availableBefore) {
        for (long pid : markedProcesses(Set.of(lab))) {
            long rss = rssKiB(pid);
            if (cmdline(pid).contains("\0controller\0")) s.controllerRssKiB += rss;
            else s.podsRssKiB += rss;
        }
        if (availableBefore >= 0) s.memUsedKiB = availableBefore - memAvailableKiB();
    }

    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException ignored) {
            // gone meanwhile
        }
        return 0;
    }

    static String cmdline(long pid) {
        try {
            return "\0" + new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static long memAvailableKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return 0;
    }

    /** A target's line for the summary printed last. */
    static void target(String what, String measured, boolean met, String goal) {
        TARGETS.add(String.format(Locale.ROOT, "%-58s %-22s target %-16s %s", what, measured, goal, met ? "met" : "MISSED"));
    }

    /** Prefixes of floor namespaces this run made and has not removed yet (the shutdown hook removes them). */
    static final Set<String> LIVE_FLOORS = ConcurrentHashMap.newKeySet();

    /**
     * One up and down of a floor script (bench/floor/SCRIPT; n pods for pods.sh, -1 for the article
     * lab), timed as wall time of each command. Namespaces are named knlfloor-PID-SEQ-*; a failed up
     * is followed by a down, which removes exactly those names.
     */
    static Sample floorRun(String script, int n) throws IOException, InterruptedException {
        String prefix = "knlfloor-" + PID + "-" + (++seq);
        Path sh = repo.resolve("bench/floor").resolve(script);
        List<String> args = n < 0 ? List.of(prefix) : List.of(prefix, Integer.toString(n));
        Sample s = new Sample();
        LIVE_FLOORS.add(script + " " + String.join(" ", args));
        try {
            long t0 = System.nanoTime();
            Out up = exec(concat(List.of("sh", sh.toString(), "up"), args));
            s.deployMs = ms(t0);
            if (up.exit != 0) throw new IllegalStateException(script + " up " + args + " failed (exit " + up.exit + "):\n" + up.text);
        } finally {
            long t1 = System.nanoTime();
            Out down = exec(concat(List.of("sh", sh.toString(), "down"), args));
            s.destroyMs = ms(t1);
            if (down.exit != 0) System.err.println("bench: " + script + " down " + args + " failed: " + down.text);
            else LIVE_FLOORS.remove(script + " " + String.join(" ", args));
        }
        return s;
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    record Out(int exit, String text) {}

    static Out exec(List<String> argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(repo.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + argv);
        }
        return new Out(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static void podBench(Path dir) throws IOException, InterruptedException {
        Path empty = writeLab(dir, "empty", 0);
        System.out.println("== pods: 2 nodes, podCIDRSize 22, Deployment of N x alpine `sleep infinity` (in-process API)");
        System.out.println("   lab files in " + dir + " (removed afterwards)"
                + (compare ? "; interleaved with the shell floor bench/floor/pods.sh up|down PREFIX N (--compare)" : ""));
        List<Sample> base = new ArrayList<>();
        List<Sample> floorBase = new ArrayList<>();
        for (int i = 0; i < Math.max(3, podReps); i++) {
            if (compare) floorBase.add(floorRun("pods.sh", 0));
            base.add(apiDeploy(empty, Duration.ofSeconds(60)));
        }
        long baseMs = median(base, x -> x.deployMs);
        report("empty lab (0 pods) deploy", base, x -> x.deployMs);
        report("empty lab (0 pods) destroy", base, x -> x.destroyMs);
        long floorBaseMs = compare ? median(floorBase, x -> x.deployMs) : 0;
        if (compare) report("floor, 0 pods (2 nodes) up", floorBase, x -> x.deployMs);
        System.out.println();

        List<String> summary = new ArrayList<>();
        for (int n : podCounts) {
            Path topo = writeLab(dir, "pods" + n, n);
            List<Sample> s = new ArrayList<>();
            List<Sample> floor = new ArrayList<>();
            for (int i = 0; i < podReps; i++) {
                if (compare) {
                    Sample f = floorRun("pods.sh", n);
                    floor.add(f);
                    System.out.printf(Locale.ROOT, "   N=%d rep %d: floor up %d ms (%.2f ms/pod), down %d ms%n", n, i + 1, f.deployMs,
                            (f.deployMs - floorBaseMs) / (double) n, f.destroyMs);
                }
                Sample x = apiDeploy(topo, Duration.ofMinutes(10));
                s.add(x);
                System.out.printf(Locale.ROOT, "   N=%d rep %d: deploy %d ms (%.2f ms/pod), destroy %d ms (%.2f ms/pod); memory: controller %d MiB,"
                        + " the pods' processes %.0f KiB/pod, MemAvailable -%d MiB%n", n, i + 1, x.deployMs, (x.deployMs - baseMs) / (double) n,
                        x.destroyMs, x.destroyMs / (double) n, x.controllerRssKiB / 1024, x.podsRssKiB / (double) n, x.memUsedKiB / 1024);
            }
            System.out.println("-- N = " + n + " pods");
            report("deploy", s, x -> x.deployMs);
            report("destroy", s, x -> x.destroyMs);
            report("memory: MemAvailable drop", s, x -> x.memUsedKiB / 1024, "MiB");
            report("memory: controller resident", s, x -> x.controllerRssKiB / 1024, "MiB");
            long minDeploy = min(s, x -> x.deployMs), medDeploy = median(s, x -> x.deployMs);
            double perPodMin = (minDeploy - baseMs) / (double) n, perPodMed = (medDeploy - baseMs) / (double) n;
            double destroyPerPod = median(s, x -> x.destroyMs) / (double) n;
            System.out.printf(Locale.ROOT, "   per pod: (deploy - empty %d ms) / %d = min %.2f ms/pod, median %.2f ms/pod; destroy median %.2f ms/pod%n",
                    baseMs, n, perPodMin, perPodMed, destroyPerPod);
            if (phases) printPhases(s);
            summary.add(String.format(Locale.ROOT, "N=%-4d deploy median %6d ms  per pod min %5.2f / median %5.2f ms   destroy median %6d ms (%.2f ms/pod)",
                    n, medDeploy, perPodMin, perPodMed, median(s, x -> x.destroyMs), destroyPerPod));
            if (compare) {
                report("floor: pods.sh up", floor, x -> x.deployMs);
                report("floor: pods.sh down", floor, x -> x.destroyMs);
                double floorPerPod = (median(floor, x -> x.deployMs) - floorBaseMs) / (double) n;
                double ratio = perPodMed / floorPerPod;
                System.out.printf(Locale.ROOT, "   kubenetlab / floor per pod: %.2f / %.2f ms = %.2fx%n", perPodMed, floorPerPod, ratio);
                summary.add(String.format(Locale.ROOT, "N=%-4d floor per pod %5.2f ms, kubenetlab / floor %.2fx", n, floorPerPod, ratio));
                target("pods, deploy per pod / floor per pod, N=" + n, String.format(Locale.ROOT, "%.2f / %.2f ms = %.2fx", perPodMed, floorPerPod, ratio),
                        ratio <= TARGET_FLOOR_RATIO, "<= " + TARGET_FLOOR_RATIO + "x");
            } else {
                target("pods, deploy per pod, N=" + n, String.format(Locale.ROOT, "%.2f ms", perPodMed), perPodMed <= targetMsPerPod,
                        "<= " + targetMsPerPod + " ms");
            }
            target("pods, destroy per pod, N=" + n, String.format(Locale.ROOT, "%.2f ms", destroyPerPod), destroyPerPod <= TARGET_DESTROY_MS_PER_POD,
                    "<= " + TARGET_DESTROY_MS_PER_POD + " ms");
            System.out.println();
        }
        System.out.println("== summary (pods)");
        summary.forEach(l -> System.out.println("   " + l));
        System.out.println();
    }

    /** A 2-node lab file (podCIDRSize 22: up to 1021 pods a node) and, for n > 0, a Deployment of n sleepers. */
    static Path writeLab(Path dir, String name, int n) throws IOException {
        StringBuilder lab = new StringBuilder();
        lab.append("name: bench-").append(name).append('\n')
                .append("runtime: netns\n")
                .append("nodeNetwork:\n  cidr: 10.100.0.0/24\n  gateway: 10.100.0.1\n")
                .append("clusterCIDR: 10.0.0.0/14\n")
                .append("podCIDRSize: 22\n")
                .append("serviceCIDR: 10.3.240.0/20\n")
                .append("nodes:\n")
                .append("  - name: node1\n    address: 10.100.0.2\n")
                .append("  - name: node2\n    address: 10.100.0.3\n");
        if (n > 0) {
            Path manifest = dir.resolve(name + "-deployment.yaml");
            Files.writeString(manifest, """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: sleepers
                    spec:
                      replicas: %d
                      selector:
                        matchLabels:
                          app: sleepers
                      template:
                        metadata:
                          labels:
                            app: sleepers
                        spec:
                          containers:
                            - name: sleep
                              image: alpine
                              command: ["sleep", "infinity"]
                    """.formatted(n));
            lab.append("manifests:\n  - ").append(manifest.getFileName()).append('\n');
        }
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, lab.toString());
        return f;
    }

    // ------------------------------------------------------------------ network programming, scale

    static final Pattern CONTROLLER_P99 = Pattern.compile("controller: .* p50 ([0-9.]+) ms, p99 ([0-9.]+) ms");

    /**
     * Network programming latency in the worst case (1,000 Services over the same 5 pods: every pod
     * change rewrites every Service), in both proxy modes: bench/ProgrammingBench.java in a JVM of its
     * own per mode (it deploys and destroys its own lab), its controller p50 and p99 read from its output.
     */
    static void programming() throws IOException, InterruptedException {
        System.out.println("== network programming, worst case: bench/ProgrammingBench.java --services 1000 --groups 1 --replicas 5 --rounds "
                + programmingRounds + " --proxy-mode MODE");
        double best = Double.NaN;
        String bestMode = null;
        for (String mode : List.of("iptables", "nftables")) {
            Out r = exec(List.of(javaBin(), "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), repo.resolve("bench/ProgrammingBench.java").toString(),
                    "--services", "1000", "--groups", "1", "--replicas", "5", "--rounds", Integer.toString(programmingRounds), "--proxy-mode", mode));
            r.text.lines().filter(l -> !l.isBlank()).forEach(l -> System.out.println("   " + mode + ": " + l));
            Matcher m = CONTROLLER_P99.matcher(r.text);
            if (r.exit != 0 || !m.find()) {
                System.out.println("   " + mode + ": FAILED (exit " + r.exit + ")");
                continue;
            }
            double p99 = Double.parseDouble(m.group(2));
            if (Double.isNaN(best) || p99 < best) {
                best = p99;
                bestMode = mode;
            }
        }
        target("network programming p99, 1,000 Services x 5 pods" + (bestMode == null ? "" : " (" + bestMode + ")"),
                Double.isNaN(best) ? "failed" : String.format(Locale.ROOT, "%.0f ms", best), best <= 200, "<= 200 ms");
        System.out.println();
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A big lab through the CLI, as a user would run it: --scale-nodes nodes (default 10) and
     * --scale-pods pods (default 2,000): a Deployment of 10 http servers behind a ClusterIP Service and
     * the rest alpine sleepers; `kubenetlab deploy`, `kubenetlab verify -n 1` (one request per client
     * pod: every sleeper is a client) and `kubenetlab destroy`, each timed.
     */
    static void scale() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kubenetlab-bench-scale-");
        String name = newName();
        System.out.printf("== scale: %d nodes, %d pods (10 http servers behind a Service, the rest sleepers), CLI (lab %s)%n", scaleNodes, scalePods, name);
        LIVE.add(name);
        boolean destroyed = false;
        try {
            StringBuilder lab = new StringBuilder("name: bench-scale\nruntime: netns\nnodeNetwork:\n  cidr: 10.100.0.0/24\n  gateway: 10.100.0.1\n"
                    + "clusterCIDR: 10.0.0.0/14\npodCIDRSize: 22\nserviceCIDR: 10.3.240.0/20\nnodes:\n");
            for (int i = 1; i <= scaleNodes; i++) lab.append("  - name: node").append(i).append("\n    address: 10.100.0.").append(i + 1).append('\n');
            lab.append("manifests:\n  - workloads.yaml\n");
            Files.writeString(dir.resolve("lab.yaml"), lab);
            Files.writeString(dir.resolve("workloads.yaml"), """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web}
                    spec:
                      replicas: 10
                      selector: {matchLabels: {app: web}}
                      template:
                        metadata: {labels: {app: web}}
                        spec:
                          containers:
                          - name: web
                            image: python:2.7
                            command: ["python", "-m", "SimpleHTTPServer", "8080"]
                            ports: [{containerPort: 8080}]
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: web}
                    spec:
                      selector: {app: web}
                      ports: [{port: 80, targetPort: 8080}]
                    ---
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: sleepers}
                    spec:
                      replicas: %d
                      selector: {matchLabels: {app: sleepers}}
                      template:
                        metadata: {labels: {app: sleepers}}
                        spec:
                          containers:
                          - name: sleep
                            image: alpine
                            command: ["sleep", "infinity"]
                    """.formatted(scalePods - 10));
            long available = memAvailableKiB();
            long t0 = System.nanoTime();
            Out d = exec(List.of(cli.toString(), "deploy", "-t", dir.resolve("lab.yaml").toString(), "--name", name, "--timeout", "900"));
            long deployMs = ms(t0);
            if (d.exit != 0) throw new IllegalStateException("deploy of " + name + " failed (exit " + d.exit + "):\n" + d.text);
            Sample mem = new Sample();
            measureMemory(name, mem, available);
            long fullsBefore = NeighbourTable.usage().map(NeighbourTable.Usage::timesFull).orElse(0L);
            long t1 = System.nanoTime();
            Out v = exec(List.of(cli.toString(), "verify", "--lab", name, "-n", "1"));
            long verifyMs = ms(t1);
            NeighbourTable.Usage table = NeighbourTable.usage().orElse(new NeighbourTable.Usage(-1, fullsBefore));
            long t2 = System.nanoTime();
            Out x = exec(List.of(cli.toString(), "destroy", "--name", name));
            long destroyMs = ms(t2);
            if (x.exit != 0) throw new IllegalStateException("destroy of " + name + " failed (exit " + x.exit + "):\n" + x.text);
            destroyed = true;
            LIVE.remove(name);
            if (v.exit != 0) System.out.println(v.text.lines().filter(l -> l.contains("FAIL")).limit(10).map(l -> "   " + l).reduce("", (a, b) -> a + b + "\n"));
            System.out.printf(Locale.ROOT, "   deploy %.1f s (%.2f ms/pod), verify -n 1 %.1f s (%s), destroy %.1f s (%.2f ms/pod)%n", deployMs / 1e3,
                    deployMs / (double) scalePods, verifyMs / 1e3, v.exit == 0 ? "passed" : "FAILED", destroyMs / 1e3, destroyMs / (double) scalePods);
            System.out.printf(Locale.ROOT, "   memory after deploy: controller %d MiB, the pods' processes %.0f KiB/pod, MemAvailable -%d MiB%n",
                    mem.controllerRssKiB / 1024, mem.podsRssKiB / (double) scalePods, mem.memUsedKiB / 1024);
            // One neighbour table for every namespace (see README, Known limits): how full verify left it.
            System.out.printf(Locale.ROOT, "   neighbour (ARP) table after verify: %d entries, limit %s (gc_thresh3); full %d times during verify%n",
                    table.entries(), NeighbourTable.limit().stream().mapToObj(Integer::toString).findFirst().orElse("?"), table.timesFull() - fullsBefore);
            target(scaleNodes + " nodes, " + scalePods + " pods: deploy, verify, destroy", String.format(Locale.ROOT, "%.0f / %.0f / %.0f s",
                    deployMs / 1e3, verifyMs / 1e3, destroyMs / 1e3), v.exit == 0, "all succeed");
        } finally {
            if (!destroyed) destroyQuietly(name);
            deleteTree(dir);
        }
        System.out.println();
    }

    // ------------------------------------------------------------------ timeline (profile)

    /**
     * Deploys and destroys an n-pod lab with the CLI and KUBENETLAB_DEBUG=1, timestamps each kernel
     * command the engine prints on stderr, and folds consecutive commands of one kind into phases: where
     * a deploy's time goes, without touching the engine.
     */
    static void timeline(Path dir, int n) throws IOException, InterruptedException {
        Path topo = writeLab(dir, "pods" + n, n);
        String name = newName();
        System.out.println("== timeline: " + n + " pods, CLI with KUBENETLAB_DEBUG=1 (lab " + name + ")");
        LIVE.add(name);
        boolean destroyed = false;
        try {
            List<Phase> deploy = traced(List.of(cli.toString(), "deploy", "-t", topo.toString(), "--name", name, "--timeout", "600"), name,
                    "JVM start-up, validation, planning");
            printTimeline("deploy", deploy, n);
            List<Phase> destroy = traced(List.of(cli.toString(), "destroy", "--name", name), name,
                    "JVM start-up, load state, find and kill the lab's processes (/proc)");
            destroyed = true;
            LIVE.remove(name);
            printTimeline("destroy", destroy, n);
        } finally {
            if (!destroyed) destroyQuietly(name);
        }
        System.out.println();
    }

    static final class Phase {
        final String kind;
        final double startMs;
        double endMs;
        int commands;

        Phase(String kind, double startMs) {
            this.kind = kind;
            this.startMs = startMs;
            this.endMs = startMs;
        }
    }

    /** Runs argv with KUBENETLAB_DEBUG=1; returns phases (a phase ends when the next one starts, or at exit). */
    static List<Phase> traced(List<String> argv, String lab, String first) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().put("KUBENETLAB_DEBUG", "1");
        long t0 = System.nanoTime();
        Process p = pb.start();
        List<Phase> phases = new ArrayList<>();
        Phase cur = new Phase(first, 0);
        phases.add(cur);
        StringBuilder other = new StringBuilder();
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                double t = (System.nanoTime() - t0) / 1e6;
                String kind;
                if (line.startsWith("+ ")) {
                    kind = classify(line.substring(2), lab);
                } else if (line.startsWith(" \u2713 ")) {
                    // A step is done: what follows until the next kernel command is the engine's own work.
                    String step = line.substring(3).replaceAll("\\s+\\d+ ms$", "").trim();
                    kind = "no kernel command: after '" + step + "'";
                } else {
                    other.append(line).append('\n');
                    continue;
                }
                if (!kind.equals(cur.kind)) {
                    cur.endMs = t;
                    cur = new Phase(kind, t);
                    phases.add(cur);
                }
                if (line.startsWith("+ ")) cur.commands++;
            }
        }
        int exit = p.waitFor();
        cur.endMs = (System.nanoTime() - t0) / 1e6;
        if (exit != 0) throw new IllegalStateException(String.join(" ", argv) + " failed (exit " + exit + "):\n" + other);
        return phases;
    }

    static String classify(String cmd, String lab) {
        String ns = "knl-" + lab + "-";
        if (cmd.startsWith("ip -batch - ")) return "ip -batch: netns add";
        if (cmd.startsWith("ip -force -batch")) return "ip -force -batch: netns del";
        if (cmd.startsWith("setsid ")) return cmd.contains("/pods/") ? "spawn pod sandboxes (setsid nsenter unshare sandbox.sh)"
                : "spawn machine sandboxes";
        if (cmd.startsWith("ip netns exec ") && cmd.contains(" sysctl ")) return "sysctl (ip netns exec)";
        if (cmd.startsWith("ip -n " + ns)) {
            String target = cmd.substring(("ip -n " + ns).length()).split(" ")[0];
            boolean machine = target.equals("router") || target.matches("node\\d+");
            if (cmd.contains(" -o link show")) return "wait for links up";
            return machine ? "ip -n MACHINE -batch (links, bridges, routes)" : "ip -n POD -batch (one process per pod)";
        }
        return cmd.split(" ")[0];
    }

    static void printTimeline(String what, List<Phase> phases, int n) {
        double total = phases.get(phases.size() - 1).endMs;
        System.out.printf(Locale.ROOT, "   %s: %.0f ms wall (%.2f ms/pod)%n", what, total, total / n);
        // Merge repeated kinds (a phase may be interrupted, e.g. by a save) for the summary lines.
        Map<String, double[]> sum = new LinkedHashMap<>();
        for (Phase ph : phases) {
            double[] a = sum.computeIfAbsent(ph.kind, k -> new double[3]);
            a[0] += ph.endMs - ph.startMs;
            a[1] += ph.commands;
            a[2] = a[2] == 0 ? ph.startMs + 1e-9 : a[2];
        }
        System.out.println("      first at    total   share    per pod   cmds  phase");
        sum.forEach((kind, a) -> System.out.printf(Locale.ROOT, "     %7.0f ms %6.0f ms %6.1f%% %6.2f ms %6d  %s%n",
                a[2], a[0], 100 * a[0] / total, a[0] / n, (int) a[1], kind));
    }

    // ------------------------------------------------------------------ cleanup

    /**
     * Ctrl-C / SIGTERM: let the main thread finish (or fail) the lab it is on and clean it up in its
     * finally blocks (newName() refuses new labs now), then destroy whatever is left. A deploy
     * interrupted while it starts sandboxes can leave processes behind in namespaces that are already
     * gone (Lab's own rollback hook runs while the deploy threads still spawn), so finally kill every
     * process that carries one of this run's lab names in its environment (KUBENETLAB_LAB=name, which
     * the engine sets on every sandbox): by pid, never by pattern.
     */
    static void onShutdown() {
        stopping = true;
        if (mainThread != null && mainThread.isAlive() && mainThread != Thread.currentThread()) {
            System.err.println("bench: stopping: up to 20 s for the current lab, then destroying what is left");
            try {
                // Not longer: a deploy whose lab Lab's own rollback hook removed under it waits for its
                // ready timeout; the sweep below cleans up after it.
                mainThread.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String name : new ArrayList<>(LIVE)) destroyQuietly(name);
        for (String floor : new ArrayList<>(LIVE_FLOORS)) {
            String[] f = floor.split(" ");
            try {
                exec(concat(List.of("sh", repo.resolve("bench/floor").resolve(f[0]).toString(), "down"), Arrays.asList(f).subList(1, f.length)));
            } catch (Exception e) {
                System.err.println("bench: could not remove the floor's namespaces " + floor + ": " + e);
            }
        }
        for (int round = 0; round < 5; round++) {
            List<Long> marked = markedProcesses(CREATED);
            if (marked.isEmpty()) break;
            System.err.println("bench: killing " + marked.size() + " leftover process(es) of this run's labs");
            for (long pid : marked) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** Pids whose environment holds KUBENETLAB_LAB=<one of names>. */
    static List<Long> markedProcesses(Set<String> names) {
        Set<String> wanted = new java.util.HashSet<>();
        for (String n : names) wanted.add("KUBENETLAB_LAB=" + n);
        List<Long> out = new ArrayList<>();
        if (wanted.isEmpty()) return out;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.toList()) {
                String f = d.getFileName().toString();
                if (!f.chars().allMatch(Character::isDigit)) continue;
                try {
                    for (String kv : new String(Files.readAllBytes(d.resolve("environ")), StandardCharsets.UTF_8).split("\0")) {
                        if (wanted.contains(kv)) {
                            out.add(Long.parseLong(f));
                            break;
                        }
                    }
                } catch (IOException ignored) {
                    // gone, or a kernel thread
                }
            }
        } catch (IOException e) {
            System.err.println("bench: cannot list /proc: " + e);
        }
        return out;
    }

    /**
     * Destroys one lab this run created (by its exact name, from its saved state). Falls back to the CLI
     * if the in-process engine cannot (e.g. the jar was rebuilt under this JVM: NoClassDefFoundError).
     */
    static void destroyQuietly(String name) {
        try {
            Lab.destroy(name, LabStore.fromEnvironment());
            LIVE.remove(name);
            return;
        } catch (Throwable e) {
            System.err.println("bench: in-process destroy of " + name + " failed (" + e + "); trying " + cli);
        }
        try {
            Out r = exec(List.of(cli.toString(), "destroy", "--name", name));
            if (r.exit == 0) {
                LIVE.remove(name);
                return;
            }
            System.err.println(r.text);
        } catch (Throwable e) {
            System.err.println("bench: " + e);
        }
        System.err.println("bench: could not destroy " + name + "; run: scripts/kubenetlab destroy --name " + name);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Collections.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    // ------------------------------------------------------------------ output

    interface Metric {
        long of(Sample s);
    }

    static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static long[] sorted(List<Sample> s, Metric m) {
        long[] v = s.stream().mapToLong(m::of).toArray();
        Arrays.sort(v);
        return v;
    }

    static long min(List<Sample> s, Metric m) {
        return sorted(s, m)[0];
    }

    /** The median (the lower of the two middle values for an even count). */
    static long median(List<Sample> s, Metric m) {
        long[] v = sorted(s, m);
        return v[(v.length - 1) / 2];
    }

    static void report(String what, List<Sample> s, Metric m) {
        report(what, s, m, "ms");
    }

    static void report(String what, List<Sample> s, Metric m, String unit) {
        long[] v = sorted(s, m);
        String all = String.join(" ", s.stream().map(x -> Long.toString(m.of(x))).toList());
        System.out.printf("   %-36s min %6d %-3s median %6d %-3s max %6d %-3s [%s]%n", what, v[0], unit, v[(v.length - 1) / 2], unit,
                v[v.length - 1], unit, all);
    }

    /** Median time of each deploy step, as Lab reports it through Progress. */
    static void printPhases(List<Sample> s) {
        Map<String, List<Long>> by = new LinkedHashMap<>();
        for (Sample x : s) x.phases.forEach((k, v) -> by.computeIfAbsent(k, q -> new ArrayList<>()).add(v));
        by.forEach((step, v) -> {
            List<Long> c = new ArrayList<>(v);
            Collections.sort(c);
            System.out.printf("     step %-58s median %6d ms%n", step, c.get((c.size() - 1) / 2));
        });
    }

    static void header() {
        System.out.println("kubenetlab deploy benchmark  (pid " + PID + ", labs named bench-" + PID + "-N)");
        System.out.println("   repo " + repo + " (" + gitDescribe() + "), jar " + System.getProperty("java.class.path") + ", cli " + cli);
        System.out.println("   " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version")
                + ", kernel " + System.getProperty("os.version") + ", sections " + sections + ", reps " + reps + ", pod reps " + podReps
                + ", pods " + podCounts);
        Path state = LabStore.fromEnvironment().root();
        System.out.println("   lab state in " + state + " (" + fsType(state) + "), /run/netns (" + fsType(Path.of("/run/netns"))
                + ")  [per-pod cost depends on it: see bench/README.md]");
        System.out.println();
    }

    /** The file system type of a path: the last mount in /proc/self/mounts whose mount point is its longest prefix. */
    static String fsType(Path p) {
        String path = p.toAbsolutePath().normalize().toString();
        String best = "?";
        int bestLen = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length < 3) continue;
                String mp = f[1].replace("\\040", " ");
                boolean prefix = path.equals(mp) || mp.equals("/") || path.startsWith(mp + "/");
                if (prefix && mp.length() >= bestLen) {
                    best = f[2];
                    bestLen = mp.length();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return best;
    }

    /** HEAD's commit, and whether the engine's sources differ from it (others may be editing them). */
    static String gitDescribe() {
        try {
            Out rev = exec(List.of("git", "-C", repo.toString(), "rev-parse", "--short", "HEAD"));
            if (rev.exit != 0) return "not a git checkout";
            String head = rev.text.trim();
            String dirty = exec(List.of("git", "-C", repo.toString(), "status", "--porcelain", "--", "src/main")).text.trim();
            return "HEAD " + head + (dirty.isEmpty() ? "" : ", src/main modified");
        } catch (Exception e) {
            return "not a git checkout";
        }
    }

    static void parseArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--cni" -> cni = args[++i];
                case "--pod-reps" -> podReps = Integer.parseInt(args[++i]);
                case "--pods" -> podCounts = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::parseInt).toList();
                case "--only" -> sections = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
                case "--cli" -> cli = Path.of(args[++i]).toAbsolutePath();
                case "--target" -> targetMsPerPod = Double.parseDouble(args[++i]);
                case "--timeline-pods" -> timelinePods = Integer.parseInt(args[++i]);
                case "--no-phases" -> phases = false;
                case "--compare" -> compare = true;
                case "--no-compare" -> compare = false;
                case "--rounds" -> programmingRounds = Integer.parseInt(args[++i]);
                case "--scale-nodes" -> scaleNodes = Integer.parseInt(args[++i]);
                case "--scale-pods" -> scalePods = Integer.parseInt(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("""
                            usage: java -cp target/kubenetlab.jar bench/DeployBench.java [options]   (run as root, from the repo root)
                              --reps N          article-lab repetitions, API and CLI each (default 5)
                              --pod-reps N      repetitions per pod count (default 3)
                              --pods A,B        pod counts (default 500,1000)
                              --only S,...      sections: api, cli, pods, floor, programming, scale, timeline, runtimes
                                                (default api,cli,pods,programming,scale)
                              --cni PLUGIN      the network plugin of the api and runtimes sections (default: the lab file's)
                              --timeline-pods N pods in the timeline section's lab (default 500)
                              --target MS       per-pod target at the largest N (default 8.0)
                              --repo DIR        repository root, for topologies/ (default: the current directory)
                              --cli FILE        the launcher to time (default: REPO/scripts/kubenetlab)
                              --compare         run the shell floor (bench/floor/*.sh) interleaved with the cli and pods
                                                sections and print kubenetlab / floor per figure (the default)
                              --no-compare      do not run the floor
                              --rounds N        network programming: measured rounds per proxy mode (default 30)
                              --scale-nodes N   scale section: nodes (default 10)
                              --scale-pods N    scale section: pods (default 2000)
                              --no-phases       do not print per-step medians""");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
        }
        if (cli == null) cli = repo.resolve("scripts/kubenetlab");
        for (String sec : sections) {
            if (!SECTIONS.contains(sec)) throw new IllegalArgumentException("unknown section " + sec + " " + SECTIONS);
        }
        if (reps < 1 || podReps < 1 || podCounts.isEmpty()) throw new IllegalArgumentException("reps and pod counts must be positive");
    }
}
