package io.kubenetlab.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one gateway to the kernel: every {@code ip}, {@code sysctl}, iptables, {@code nsenter} and
 * process start goes through here, as an argv list (never a shell string), batched where the tool
 * allows. {@link LinuxKernel} runs them ({@code KUBENETLAB_DEBUG=1} prints each on stderr); tests
 * use a fake that records them. The tools' spellings live here and nowhere else.
 */
public interface Kernel {

    record Result(int exit, String stdout, String stderr) {}

    /** The gateway on this machine: the only implementation that starts processes. */
    static Kernel linux() {
        return new LinuxKernel();
    }

    /** Runs a command to completion, with these variables added to the environment (null: none); throws {@link KernelException} on a non-zero exit if {@code check}. */
    Result run(List<String> argv, String stdin, boolean check, Map<String, String> extraEnv);

    /**
     * Runs a command with a deadline (an exec probe): its result (stdout and stderr together), or
     * empty if it was killed at the deadline.
     */
    java.util.Optional<Result> runWithTimeout(List<String> argv, java.time.Duration timeout);

    /**
     * Runs a launcher in a new session ({@code setsid}) that starts long-running processes in the
     * background and prints their pids, one a line; returns them.
     */
    List<Long> spawnDetachedBatch(List<String> launcherArgv, Map<String, String> env);

    /** Runs a command attached to our terminal (exec); returns its exit code. */
    int interactive(List<String> argv, Map<String, String> env);

    /**
     * Starts a command for a client (the API's exec) in a session of its own, with pipes, or with a new
     * pseudo-terminal of {@code cols} x {@code rows} as its controlling terminal when {@code tty}, made in
     * the devpts instance {@code terminalDir} (null: the host's).
     */
    default RunningCommand start(List<String> argv, Map<String, String> env, boolean tty, int cols, int rows, java.nio.file.Path terminalDir) {
        throw new UnsupportedOperationException("this kernel starts no commands for clients");
    }


    /** Runs a command to completion; throws {@link KernelException} on a non-zero exit. */
    default Result run(List<String> argv) {
        return run(argv, null, true);
    }

    default Result run(List<String> argv, String stdin, boolean check) {
        return run(argv, stdin, check, null);
    }

    /** {@code ip [-n NS] -batch -}: one process for many link, address and route changes; fails on the first error. */
    default void ipBatch(String netns, List<String> lines) {
        batch(netns, lines, false);
    }

    /**
     * {@code ip [-n NS] -force -batch -}: every line is tried even if some fail (a namespace or a
     * neighbour entry already gone); for cleanup, where "already gone" is success.
     */
    default void ipBatchBestEffort(String netns, List<String> lines) {
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

    /** {@code bridge -n NS -batch -}: forwarding database entries (VXLAN VTEPs), one process; fails on the first error. */
    default void bridgeBatch(String netns, List<String> lines) {
        if (lines.isEmpty()) return;
        run(List.of("bridge", "-n", netns, "-batch", "-"), String.join("\n", lines) + "\n", true);
    }

    /** {@code bridge -n NS -j fdb show}: the forwarding database as JSON. */
    default String fdbShow(String netns) {
        return run(List.of("bridge", "-n", netns, "-j", "fdb", "show")).stdout();
    }

    /** {@code ip [-n NS] OPTIONS -batch -} of read-only commands ("addr show", ...), one process; returns stdout. */
    default String ipShow(String netns, List<String> options, List<String> commands) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        if (netns != null) argv.addAll(List.of("-n", netns));
        argv.addAll(options);
        argv.addAll(List.of("-batch", "-"));
        return run(argv, String.join("\n", commands) + "\n", true).stdout();
    }

    /** {@code ip [-n NS] ARGS...}, returning stdout. */
    default String ip(String netns, String... args) {
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
    String IPTABLES_RESTORE = "iptables-legacy-restore";
    String IPTABLES_SAVE = "iptables-legacy-save";
    /**
     * Wait for the host-wide xtables lock instead of failing at once: another lab (or a test run
     * beside this one) may be restoring at the same moment.
     */
    String WAIT_FOR_LOCK = "--wait=10";

    default String iptablesSave(String netns) {
        return run(List.of("ip", "netns", "exec", netns, IPTABLES_SAVE)).stdout();
    }

    /** The iptables backends a ruleset names, and the restore/save tools that load and read them. */
    /** nftables' one tool: {@code nft -f -} loads a transaction, {@code nft list ruleset} reads it back. */
    String NFT = "nft";

    private static boolean nftables(String backend) {
        if (backend.equals("iptables-legacy")) return false;
        if (backend.equals("nftables")) return true;
        throw new IllegalArgumentException("no ruleset backend " + backend);
    }

    /**
     * Loads a ruleset into a namespace in one transaction. iptables: {@code flush} false keeps the
     * tables' other chains (iptables-restore --noflush), true replaces the tables the text names, and
     * {@code lockFile} is the namespace's own xtables lock (null: the host-wide one). nftables: the
     * text is one {@code nft -f} transaction that says itself what it flushes.
     */
    default void loadRuleset(String netns, String backend, boolean flush, String text, java.nio.file.Path lockFile) {
        if (nftables(backend)) {
            run(List.of("nsenter", "--net=/run/netns/" + netns, NFT, "-f", "-"), text, true);
            return;
        }
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns, IPTABLES_RESTORE, WAIT_FOR_LOCK));
        if (!flush) argv.add("--noflush");
        run(argv, text, true, lockFile == null ? null : Map.of("XTABLES_LOCKFILE", lockFile.toString()));
    }

    /** What a namespace holds of a backend's tables, as its save tool prints them. */
    default String saveRuleset(String netns, String backend) {
        if (nftables(backend)) return run(List.of("nsenter", "--net=/run/netns/" + netns, NFT, "list", "ruleset")).stdout();
        return iptablesSave(netns);
    }

    /**
     * The text as the kernel would hold it, in the save tool's own words: loaded (iptables: with
     * --noflush, in order) into a fresh, anonymous network namespace that disappears with the process,
     * then saved. Comparing this with a namespace's save output compares rulesets, not spellings.
     */
    default String canonicalRuleset(String backend, String text, java.nio.file.Path lockFile) {
        // A fixed script: the tools come as arguments and the rules on stdin, nothing spliced into it.
        if (nftables(backend)) {
            return run(List.of("unshare", "--net", "sh", "-c", "\"$1\" -f - && exec \"$1\" list ruleset", "sh", NFT), text, true).stdout();
        }
        List<String> argv = List.of("unshare", "--net", "sh", "-c", "\"$1\" --wait=10 --noflush && exec \"$2\"", "sh",
                IPTABLES_RESTORE, IPTABLES_SAVE);
        return run(argv, text, true, lockFile == null ? null : Map.of("XTABLES_LOCKFILE", lockFile.toString())).stdout();
    }

    /** The current values of these sysctls inside a namespace (one process), by key; absent keys are missing. */
    default Map<String, String> readSysctls(String netns, java.util.Collection<String> keys) {
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
    default void sysctl(String netns, Map<String, String> values) {
        if (values.isEmpty()) return;
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns, "sysctl", "-q", "-w"));
        values.forEach((k, v) -> argv.add(k + "=" + v));
        run(argv);
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

    /** Sends a signal ({@code STOP}, {@code CONT}, ...) to a process. */
    default void signal(long pid, String signal) {
        run(List.of("kill", "-" + signal, Long.toString(pid)));
    }

    /** A long-running command whose stdout is collected until it is stopped: a trace monitor. */
    interface Stream {
        /** Stops the command (SIGTERM, then SIGKILL) and returns everything it printed on stdout. */
        byte[] stop();
    }

    /**
     * Starts a long-running command; returns once it has printed {@code readyLine} on stderr (null: at
     * once), or after two seconds.
     */
    Stream stream(List<String> argv, String readyLine);

    /**
     * {@code nft monitor trace} inside a namespace: every rule an nftrace-marked packet meets, in any
     * nftables table (kube-proxy's nftables mode, the tracer's own table), one line each.
     * Line-buffered: nft's stdio would hold the lines in a pipe until it exits, and SIGTERM loses them.
     */
    default Stream nftTraceMonitor(String netns) {
        return stream(List.of("nsenter", "--net=/run/netns/" + netns, "stdbuf", "-oL", NFT, "monitor", "trace"), null);
    }

    /**
     * The packets of NFLOG group 0 inside a namespace as a pcap stream (tcpdump's nflog interface):
     * where iptables-legacy's TRACE records go once the namespace's nf_log for IPv4 is nfnetlink_log.
     */
    default Stream nflogMonitor(String netns) {
        return stream(List.of("nsenter", "--net=/run/netns/" + netns, "tcpdump", "-i", "nflog:0", "-U", "-w", "-"), "listening on");
    }

    /** Loads an nft transaction into a namespace (the tracer's own table). */
    default void nft(String netns, String transaction) {
        run(List.of("nsenter", "--net=/run/netns/" + netns, NFT, "-f", "-"), transaction, true);
    }

    /**
     * {@code nft list table FAMILY NAME} inside a namespace: the table as nft prints it, or empty when
     * the namespace holds no such table (the faults' own table before the first partition).
     */
    default java.util.Optional<String> nftListTable(String netns, String family, String table) {
        Result r = run(List.of("nsenter", "--net=/run/netns/" + netns, NFT, "list", "table", family, table), null, false);
        return r.exit() == 0 ? java.util.Optional.of(r.stdout()) : java.util.Optional.empty();
    }

    /** {@code tc -n NS -batch -}: qdisc changes ("qdisc replace dev eth0 root tbf ..."), one process; fails on the first error. */
    default void tcBatch(String netns, List<String> lines) {
        if (lines.isEmpty()) return;
        run(List.of("tc", "-n", netns, "-batch", "-"), String.join("\n", lines) + "\n", true);
    }

    /** {@code tc -n NS qdisc show dev DEV}: the device's qdiscs, one a line. */
    default String qdiscShow(String netns, String dev) {
        return run(List.of("tc", "-n", netns, "qdisc", "show", "dev", dev)).stdout();
    }

    /** The conntrack entries of a namespace for one protocol and original source port, in conntrack's own format. */
    default String conntrackBySourcePort(String netns, String protocol, int sourcePort) {
        return run(List.of("nsenter", "--net=/run/netns/" + netns, "conntrack", "-L", "-p", protocol, "--orig-port-src",
                Integer.toString(sourcePort)), null, false).stdout();
    }

    /** Deletes those entries (a trace's own connection), best effort. */
    default void conntrackDeleteBySourcePort(String netns, String protocol, int sourcePort) {
        run(List.of("nsenter", "--net=/run/netns/" + netns, "conntrack", "-D", "-p", protocol, "--orig-port-src",
                Integer.toString(sourcePort)), null, false);
    }

    /** {@code ip -j route get DST} inside a namespace: the route the kernel picks, as JSON (empty when none). */
    default String routeGet(String netns, String destination) {
        return run(List.of("ip", "-n", netns, "-j", "route", "get", destination), null, false).stdout();
    }

    /** Loads a kernel module (best effort: the caller checks what it needs afterwards). */
    default void modprobe(String module) {
        run(List.of("modprobe", module), null, false);
    }

}
