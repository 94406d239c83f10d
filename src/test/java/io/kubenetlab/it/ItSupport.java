package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.kernel.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** Shared helpers for integration tests: they build real namespaces, so they run as root. */
final class ItSupport {
    static final Path REPO = Path.of(System.getProperty("user.dir"));
    static final Path ARTICLE = REPO.resolve("topologies/service-network.yaml");
    static final Kernel KERNEL = Kernel.linux();

    private ItSupport() {}

    /** Integration tests need root; say so plainly instead of failing deep inside ip(8). */
    static void requireRoot() {
        assertThat(System.getProperty("user.name"))
                .as("integration tests build network namespaces and must run as root (sudo scripts/test.sh), or skip them with -DskipITs")
                .isEqualTo("root");
    }

    /** The real kubectl (the machine's image carries it; no Debian package does). */
    static final Path KUBECTL = java.util.stream.Stream.of("/usr/bin/kubectl", "/usr/local/bin/kubectl").map(Path::of)
            .filter(java.nio.file.Files::isExecutable).findFirst().orElse(null);

    /** Tests that drive the real kubectl fail without it instead of skipping: a green run must have run them. */
    static Path requireKubectl() {
        assertThat(KUBECTL).as("these tests drive the real kubectl, which is not installed here (/usr/bin or /usr/local/bin)").isNotNull();
        return KUBECTL;
    }

    /**
     * kubectl 1.32, the streams' kubectl of issue 19 (exec, attach and port-forward all over WebSockets):
     * the machine's versioned binary, or the kubectl on PATH when it is 1.32 (install-kubectl.sh's).
     * Fails, never skips, without one.
     */
    static Path requireKubectl132() {
        Path found = java.util.stream.Stream.of(Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.32"), requireKubectl())
                .filter(java.nio.file.Files::isExecutable)
                .filter(k -> KERNEL.run(List.of(k.toString(), "version", "--client"), null, false).stdout().contains("v1.32."))
                .findFirst().orElse(null);
        assertThat(found).as("kubectl 1.32 (the streams' tests drive it): neither " + KUBECTL + " nor the machine's kubectl.1.32 is").isNotNull();
        return found;
    }

    /** A lab name no other test (or a second test run) uses at the same time. */
    static String uniqueLab(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    }

    static Lab deployArticle(String name) {
        requireRoot();
        return Lab.deploy(ARTICLE, Lab.Options.defaults().withName(name));
    }

    /** The article's lab on a given runtime (netns or docker). */
    static Lab deployArticle(String name, String runtime) {
        requireRoot();
        if (runtime.equals("docker")) DockerSupport.requireEngineAndImages();
        return Lab.deploy(ARTICLE, Lab.Options.defaults().withName(name).withRuntime(runtime));
    }

    /** The article's lab file plus more manifests, written into {@code dir}: a lab file of its own. */
    static Path articleWith(Path dir, String extraManifests) {
        try {
            Path extra = dir.resolve("extra.yaml");
            Files.writeString(extra, extraManifests);
            String topo = Files.readString(ARTICLE).replace("manifests/", ARTICLE.getParent().resolve("manifests") + "/")
                    + "  - " + extra + "\n";
            Path lab = dir.resolve("lab.yaml");
            Files.writeString(lab, topo);
            return lab;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record CliResult(int exit, String out, String err) {}

    /** The longest a CLI command of a test may take (a deploy of the article's lab takes seconds). */
    static final long CLI_TIMEOUT_SECONDS = 300;

    /**
     * The exit code of a process that must end within {@code seconds}; one that does not is killed
     * (SIGKILL) and fails the test, so a hung child never hangs the suite.
     */
    static int exitWithin(Process p, long seconds, String what) {
        try {
            if (!p.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                throw new AssertionError(what + " did not end within " + seconds + " s (killed)");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the launcher exactly as a user would. */
    static CliResult cli(String... args) {
        List<String> argv = new ArrayList<>(List.of(REPO.resolve("scripts/kubenetlab").toString()));
        argv.addAll(List.of(args));
        return run(argv, java.util.Map.of());
    }

    /** Runs a command with {@code env} added, stdin from /dev/null, within {@link #CLI_TIMEOUT_SECONDS}; its exit and output. */
    static CliResult run(List<String> argv, java.util.Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        Path out = null, err = null;
        try {
            out = Files.createTempFile("knl-cli", ".out");
            err = Files.createTempFile("knl-cli", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            int exit = exitWithin(pb.start(), CLI_TIMEOUT_SECONDS, String.join(" ", argv));
            return new CliResult(exit, Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            // Even when the command timed out: a test leaves nothing in /tmp either.
            for (Path f : java.util.Arrays.asList(out, err)) {
                try {
                    if (f != null) Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** The HTTP body an article-style client gets from ip:port, asked from inside {@code from}. */
    static String httpGet(Lab lab, String from, String host, int port) {
        Kernel.Result r = lab.execCapture(from, List.of("sh", "-c", "echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 5 " + host + " " + port));
        return r.stdout();
    }

    /**
     * What n article-style requests sent from one place got: answers counted by the pod that answered,
     * and the requests that got none (refused, timed out, or an answer without the pod's greeting).
     */
    record Spread(java.util.Map<String, Integer> byPod, int failures) {
        /** Requests answered by some pod. */
        int answered() {
            return answers(byPod);
        }

        /** The pods that answered. */
        java.util.Set<String> pods() {
            return byPod.keySet();
        }

        /** Answers by pod, after asserting that every request was answered. */
        java.util.Map<String, Integer> allAnswered() {
            return atMostFailed(0);
        }

        /** Answers by pod, after asserting that at most {@code allowed} requests failed. */
        java.util.Map<String, Integer> atMostFailed(int allowed) {
            assertThat(failures).as("failed requests (answers by pod: " + byPod + ")").isLessThanOrEqualTo(allowed);
            return byPod;
        }

        /** Asserts that no request was answered (a Service that must reject), and returns the failures. */
        int noneAnswered() {
            assertThat(byPod).as("answers where every request must fail").isEmpty();
            return failures;
        }
    }

    /**
     * Sends n article-style requests from one place and counts what each got: one line per request,
     * the answering pod's name or FAILED, so a dropped request is counted, never lost.
     */
    static Spread spread(Lab lab, String from, String host, int port, int n) {
        String script = "i=0; while [ $i -lt " + n + " ]; do a=$(echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 2 " + host + " " + port
                + " | grep -o -m 1 'Hello from [a-z0-9-]*'); echo \"${a:-FAILED}\"; i=$((i+1)); done";
        Kernel.Result r = lab.execCapture(from, List.of("sh", "-c", script));
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        int failures = 0;
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).as("one line per request from " + from + " to " + host + ":" + port + " (stderr: " + r.stderr() + ")").hasSize(n);
        for (String l : lines) {
            if (l.startsWith("Hello from ")) counts.merge(l.substring("Hello from ".length()), 1, Integer::sum);
            else failures++;
        }
        return new Spread(counts, failures);
    }

    static int answers(java.util.Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The root namespace's links, addresses, routes and netfilter rules, which a lab must never change. */
    static String rootNamespaceSnapshot() {
        StringBuilder sb = new StringBuilder();
        sb.append(KERNEL.run(List.of("ip", "-o", "link", "show")).stdout().replaceAll("\\s+link/\\S+ \\S+ brd \\S+", ""));
        sb.append(KERNEL.run(List.of("ip", "-o", "addr", "show")).stdout());
        sb.append(KERNEL.run(List.of("ip", "route", "show", "table", "all")).stdout());
        sb.append(KERNEL.run(List.of("ip", "-6", "route", "show", "table", "all")).stdout());
        for (String tool : List.of("iptables-legacy-save", "iptables-nft-save")) {
            Kernel.Result r = KERNEL.run(List.of(tool), null, false);
            if (r.exit() == 0) r.stdout().lines().filter(l -> !l.startsWith("#")).forEach(l -> sb.append(l).append('\n'));
        }
        Kernel.Result nft = KERNEL.run(List.of("nft", "list", "ruleset"), null, false);
        if (nft.exit() == 0) sb.append(nft.stdout());
        return sb.toString();
    }

    /** Namespaces of a lab still on the machine: must be none after destroy. */
    static List<String> netnsOf(String lab) {
        List<String> out = new ArrayList<>();
        Path dir = Path.of("/run/netns");
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("knl-" + lab + "-")).forEach(out::add);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Processes that carry the lab's mark in their environment: must be none after destroy. */
    static List<Long> processesOf(String lab) {
        String mark = "KUBENETLAB_LAB=" + lab;
        List<Long> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String env = new String(Files.readAllBytes(p.resolve("environ")));
                    String stat = Files.readString(p.resolve("stat"));
                    boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                    if (!zombie && List.of(env.split("\0")).contains(mark)) out.add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException ignored) {
                    // exited meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Live processes whose command line names a path under {@code dir} (a BIRD's config, a sandbox's script). */
    static List<String> processesRunningFrom(Path dir) {
        List<String> out = new ArrayList<>();
        String prefix = dir.toString() + "/";
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    String stat = Files.readString(p.resolve("stat"));
                    boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                    if (!zombie && cmd.contains(prefix)) out.add(p.getFileName() + " " + cmd.trim());
                } catch (IOException ignored) {
                    // exited meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static Path stateDir(String lab) {
        return LabStore.fromEnvironment().labDir(lab);
    }

    /**
     * Asserts that nothing of the lab is left: namespaces, processes, state files, and everything else
     * that carries its name ({@link LeakCheck#namedFor}: links, mounts, files under /run, /etc/netns,
     * /dev/shm and /tmp, cgroups, BPF objects, sockets, open files and locks, trace tables).
     */
    static void assertGone(String lab) {
        assertThat(netnsOf(lab)).as("namespaces of lab " + lab).isEmpty();
        assertThat(processesOf(lab)).as("processes of lab " + lab).isEmpty();
        assertThat(processesRunningFrom(stateDir(lab))).as("processes started from the state directory of lab " + lab + " (daemons, sandboxes)").isEmpty();
        assertThat(stateDir(lab)).as("state directory of lab " + lab).doesNotExist();
        assertThat(LeakCheck.namedFor(lab, stateDir(lab))).as("what remains of lab " + lab + " after destroy").isEmpty();
    }

    /**
     * Destroys a lab deployed on {@code runtime} and proves nothing of it remains: no namespace,
     * process or state, no container (docker), and the root namespace's links, routes and rules as
     * {@code rootBefore} recorded them.
     */
    static void destroyLeavesNothing(Lab lab, String name, String runtime, String rootBefore) {
        lab.close();
        assertGone(name);
        if (runtime.equals("docker")) org.assertj.core.api.Assertions.assertThat(DockerSupport.containersOf(name)).as("containers of lab " + name).isEmpty();
        org.assertj.core.api.Assertions.assertThat(rootNamespaceSnapshot()).as("root namespace after destroy").isEqualTo(rootBefore);
    }

    /** Whether a node's live rules DNAT Service traffic to {@code ipPort}: iptables' or nftables' spelling. */
    static boolean dnatsTo(String liveRules, String ipPort) {
        return liveRules.contains("--to-destination " + ipPort) || liveRules.contains("dnat to " + ipPort);
    }
}
