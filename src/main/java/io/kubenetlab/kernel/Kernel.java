package io.kubenetlab.kernel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * The one gateway to the kernel: every {@code ip}, {@code sysctl}, {@code nsenter} and process start
 * goes through here, as an argv list (never a shell string), batched where the tool allows.
 * {@code KUBENETLAB_DEBUG=1} prints each command on stderr.
 */
public final class Kernel {
    private static final boolean DEBUG = "1".equals(System.getenv("KUBENETLAB_DEBUG"));

    public record Result(int exit, String stdout, String stderr) {}

    /** Runs a command to completion; throws {@link KernelException} on a non-zero exit. */
    public Result run(List<String> argv) {
        return run(argv, null, true);
    }

    public Result run(List<String> argv, String stdin, boolean check) {
        return run(argv, stdin, check, null);
    }

    /** As {@link #run(List, String, boolean)}, with these variables added to the environment. */
    public Result run(List<String> argv, String stdin, boolean check, Map<String, String> extraEnv) {
        if (DEBUG) System.err.println("+ " + String.join(" ", argv) + (stdin == null ? "" : " <<<" + stdin.lines().count() + " lines"));
        Outcome o = execute(argv, stdin, extraEnv, null, false);
        Result r = new Result(o.exit(), o.stdout(), o.stderr());
        if (check && o.exit() != 0) throw new KernelException(argv, o.exit(), r.stderr().isBlank() ? r.stdout() : r.stderr());
        return r;
    }

    /**
     * Runs a command with a deadline (an exec probe): its result (stdout and stderr together), or
     * empty if it was killed at the deadline. Only the command itself is killed; processes it left
     * behind may live on (kubelet's exec probes have the same limit).
     */
    public java.util.Optional<Result> runWithTimeout(List<String> argv, java.time.Duration timeout) {
        if (DEBUG) System.err.println("+ " + String.join(" ", argv) + " (timeout " + timeout.toMillis() + " ms)");
        Outcome o = execute(argv, null, null, timeout, true);
        return o.killed() ? java.util.Optional.empty() : java.util.Optional.of(new Result(o.exit(), o.stdout(), ""));
    }

    private record Outcome(int exit, String stdout, String stderr, boolean killed) {}

    /** The one place a command is started and waited for: argv as given (never a shell string). */
    private static Outcome execute(List<String> argv, String stdin, Map<String, String> extraEnv, java.time.Duration timeout, boolean mergeStderr) {
        CommandLine cl = new CommandLine(argv.get(0));
        for (String a : argv.subList(1, argv.size())) cl.addArgument(a, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = mergeStderr ? out : new ByteArrayOutputStream();
        DefaultExecutor ex = DefaultExecutor.builder().get();
        ex.setStreamHandler(stdin == null ? new PumpStreamHandler(out, err)
                : new PumpStreamHandler(out, err, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        org.apache.commons.exec.ExecuteWatchdog watchdog = timeout == null ? null
                : org.apache.commons.exec.ExecuteWatchdog.builder().setTimeout(timeout).get();
        if (watchdog != null) ex.setWatchdog(watchdog);
        ex.setExitValues(null);
        int exit;
        try {
            if (extraEnv == null) {
                exit = ex.execute(cl);
            } else {
                Map<String, String> env = new java.util.HashMap<>(System.getenv());
                env.putAll(extraEnv);
                exit = ex.execute(cl, env);
            }
        } catch (ExecuteException e) {
            exit = e.getExitValue();
        } catch (IOException e) {
            throw new KernelException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), mergeStderr ? "" : err.toString(StandardCharsets.UTF_8),
                watchdog != null && watchdog.killedProcess());
    }

    /** {@code ip [-n NS] -batch -}: one process for many link, address and route changes; fails on the first error. */
    public void ipBatch(String netns, List<String> lines) {
        batch(netns, lines, false);
    }

    /**
     * {@code ip [-n NS] -force -batch -}: every line is tried even if some fail (a namespace or a
     * neighbour entry already gone); for cleanup, where "already gone" is success.
     */
    public void ipBatchBestEffort(String netns, List<String> lines) {
        batch(netns, lines, true);
    }

    private void batch(String netns, List<String> lines, boolean force) {
        if (lines.isEmpty()) return;
        List<String> argv = new ArrayList<>(List.of("ip"));
        if (netns != null) argv.addAll(List.of("-n", netns));
        if (force) argv.add("-force");
        argv.addAll(List.of("-batch", "-"));
        run(argv, String.join("\n", lines) + "\n", !force);
    }

    /** {@code ip [-n NS] ARGS...}, returning stdout. */
    public String ip(String netns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        if (netns != null) argv.addAll(List.of("-n", netns));
        argv.addAll(List.of(args));
        return run(argv).stdout();
    }

    /**
     * The iptables backend for lab namespaces: legacy. Measured here (bench/ProxyBench.java) a whole
     * kube-proxy ruleset loads 10x faster with iptables-legacy-restore at 1,000 Services (95 ms vs
     * 960 ms) and 100x faster at 10,000 (1.3 s vs 3 min); its host-wide xtables lock only queues
     * restores into different nodes. Never mix backends in one namespace: the first NAT chain wins.
     */
    public static final String IPTABLES_RESTORE = "iptables-legacy-restore";
    public static final String IPTABLES_SAVE = "iptables-legacy-save";
    /**
     * Wait for the host-wide xtables lock instead of failing at once: another lab (or a test run
     * beside this one) may be restoring at the same moment.
     */
    public static final String WAIT_FOR_LOCK = "--wait=10";

    /** One atomic {@code iptables-restore --noflush} inside a namespace. */
    public void iptablesRestore(String netns, String text) {
        iptablesRestore(netns, text, null);
    }

    /**
     * As above, taking the xtables lock at {@code lockFile} instead of the host-wide /run/xtables.lock:
     * the lock guards one namespace's tables, so nodes with their own lock files restore in parallel
     * (a lab's nodes at once, instead of one after the other).
     */
    public void iptablesRestore(String netns, String text, java.nio.file.Path lockFile) {
        run(List.of("nsenter", "--net=/run/netns/" + netns, IPTABLES_RESTORE, WAIT_FOR_LOCK, "--noflush"), text, true,
                lockFile == null ? null : Map.of("XTABLES_LOCKFILE", lockFile.toString()));
    }

    public String iptablesSave(String netns) {
        return run(List.of("ip", "netns", "exec", netns, IPTABLES_SAVE)).stdout();
    }

    /** The iptables backends a ruleset names, and the restore/save tools that load and read them. */
    private static String restoreTool(String backend) {
        if (backend.equals("iptables-legacy")) return IPTABLES_RESTORE;
        throw new IllegalArgumentException("no ruleset backend " + backend);
    }

    /**
     * Loads a ruleset into a namespace in one transaction: {@code flush} false keeps the tables' other
     * chains (iptables-restore --noflush), true replaces the tables the text names. {@code lockFile}:
     * the namespace's own xtables lock (null: the host-wide one).
     */
    public void loadRuleset(String netns, String backend, boolean flush, String text, java.nio.file.Path lockFile) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns, restoreTool(backend), WAIT_FOR_LOCK));
        if (!flush) argv.add("--noflush");
        run(argv, text, true, lockFile == null ? null : Map.of("XTABLES_LOCKFILE", lockFile.toString()));
    }

    /** What a namespace holds of a backend's tables, as its save tool prints them. */
    public String saveRuleset(String netns, String backend) {
        restoreTool(backend);
        return iptablesSave(netns);
    }

    /**
     * The text as the kernel would hold it, in the save tool's own words: loaded (with --noflush, in
     * order) into a fresh, anonymous network namespace that disappears with the process, then saved.
     * Comparing this with a namespace's save output compares rulesets, not spellings.
     */
    public String canonicalRuleset(String backend, String text, java.nio.file.Path lockFile) {
        // A fixed script: the tools come as arguments and the rules on stdin, nothing spliced into it.
        List<String> argv = List.of("unshare", "--net", "sh", "-c", "\"$1\" --wait=10 --noflush && exec \"$2\"", "sh",
                restoreTool(backend), IPTABLES_SAVE);
        return run(argv, text, true, lockFile == null ? null : Map.of("XTABLES_LOCKFILE", lockFile.toString())).stdout();
    }

    /** The current values of these sysctls inside a namespace (one process), by key; absent keys are missing. */
    public Map<String, String> readSysctls(String netns, java.util.Collection<String> keys) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (keys.isEmpty()) return out;
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns, "sysctl", "-e"));
        argv.addAll(keys);
        for (String line : run(argv, null, false).stdout().split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0) out.put(line.substring(0, eq).trim(), line.substring(eq + 3).trim());
        }
        return out;
    }

    /** Sets sysctls inside a namespace with one process: /proc/sys/net is per network namespace. */
    public void sysctl(String netns, Map<String, String> values) {
        if (values.isEmpty()) return;
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns, "sysctl", "-q", "-w"));
        values.forEach((k, v) -> argv.add(k + "=" + v));
        run(argv);
    }

    /**
     * Runs a launcher in a new session ({@code setsid}) that starts long-running processes in the
     * background and prints their pids, one a line; returns them. The processes outlive this JVM,
     * like containers outlive {@code docker run -d}.
     */
    public List<Long> spawnDetachedBatch(List<String> launcherArgv, Map<String, String> env) {
        List<String> full = new ArrayList<>(List.of("setsid"));
        full.addAll(launcherArgv);
        if (DEBUG) System.err.println("+ " + String.join(" ", full));
        ProcessBuilder pb = new ProcessBuilder(full);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process p = pb.start();
            List<Long> pids = new ArrayList<>();
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
                }
            }
            int exit = p.waitFor();
            if (exit != 0) throw new KernelException(launcherArgv.subList(0, Math.min(2, launcherArgv.size())), exit, "launcher failed");
            return pids;
        } catch (IOException e) {
            throw new KernelException("cannot start " + launcherArgv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted", e);
        }
    }

    /**
     * The argv that starts a sandbox inside a named network namespace: PID 1 of new UTS, IPC, PID and
     * mount namespaces ({@code --kill-child}: the sandbox dies with its starter's namespace holder).
     */
    public static List<String> sandboxArgv(String netns) {
        return new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns,
                "unshare", "--uts", "--ipc", "--pid", "--mount", "--fork", "--kill-child", "--mount-proc"));
    }

    /**
     * The argv that enters a running process's namespaces (net, UTS, IPC, mount, PID) to run a
     * command there; {@code wd} its working directory, or null with {@code root} true for the
     * target's own root and working directory (docker exec's view).
     */
    public static List<String> enterArgv(long pid, String wd, boolean root) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--target", Long.toString(pid), "--net", "--uts", "--ipc", "--mount", "--pid"));
        if (root) argv.add("--root");
        argv.add(wd == null ? "--wd" : "--wd=" + wd);
        return argv;
    }

    /** Loads a kernel module (best effort: the caller checks what it needs afterwards). */
    public void modprobe(String module) {
        run(List.of("modprobe", module), null, false);
    }

    /** Runs a command attached to our terminal (exec); returns its exit code. */
    public int interactive(List<String> argv, Map<String, String> env) {
        if (DEBUG) System.err.println("+ " + String.join(" ", argv));
        ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        try {
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new KernelException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
