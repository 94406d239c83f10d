package io.kubenetlab.lab;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kernel.KernelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A kernel that runs nothing: it records every command (argv, stdin, extra environment) in the
 * order they arrive (several threads may call it: plans are applied to machines in parallel) and
 * answers queries with canned outputs: {@code ip -j ... show} prints "[]", every other command
 * prints nothing and exits 0 (so {@code ip -o link show type veth} ends the wait for links at once,
 * and {@code iptables-legacy-save} reports an empty ruleset).
 */
public final class FakeKernel implements Kernel {

    /** One command as the gateway was asked to run it. */
    public record Command(List<String> argv, String stdin, Map<String, String> env) {
        /** The network namespace it runs in: {@code ip -n NS}, {@code ip netns exec NS}, {@code nsenter --net=/run/netns/NS}; null for the host's. */
        public String netns() {
            if (argv.size() > 2 && argv.get(0).equals("ip") && argv.get(1).equals("-n")) return argv.get(2);
            if (argv.size() > 3 && argv.get(0).equals("ip") && argv.get(1).equals("netns") && argv.get(2).equals("exec")) return argv.get(3);
            if (argv.size() > 1 && argv.get(0).equals("nsenter") && argv.get(1).startsWith("--net=/run/netns/")) {
                return argv.get(1).substring("--net=/run/netns/".length());
            }
            return null;
        }

        /** An {@code iptables-legacy-restore} (entered with nsenter). */
        public boolean isRestore() {
            return argv.contains(IPTABLES_RESTORE);
        }

        /** A restore that keeps what else the tables hold ({@code --noflush}): kube-proxy's partial sync. */
        public boolean noflush() {
            return argv.contains("--noflush");
        }

        /** The lines of an {@code ip -batch -} (empty for other commands). */
        public List<String> batchLines() {
            if (!argv.contains("-batch") || stdin == null) return List.of();
            return stdin.lines().toList();
        }

        @Override
        public String toString() {
            return String.join(" ", argv) + (stdin == null ? "" : " <<<" + stdin.length() + " bytes");
        }
    }

    private final List<Command> commands = new ArrayList<>();
    private Predicate<Command> refuse = c -> false;

    @Override
    public Result run(List<String> argv, String stdin, boolean check, Map<String, String> extraEnv) {
        Command c = record(argv, stdin, extraEnv);
        if (refused(c)) {
            if (check) throw new KernelException(argv, 1, "refused by the test");
            return new Result(1, "", "refused by the test");
        }
        return new Result(0, output(argv), "");
    }

    /** The next command that matches fails (exit 1), as a kernel refusing a transaction would; it is still recorded. */
    public synchronized void refuseNext(Predicate<Command> which) {
        Predicate<Command> before = refuse;
        boolean[] used = {false};
        refuse = c -> {
            if (!used[0] && which.test(c)) return used[0] = true;
            return before.test(c);
        };
    }

    private synchronized boolean refused(Command c) {
        return refuse.test(c);
    }

    @Override
    public Optional<Result> runWithTimeout(List<String> argv, Duration timeout) {
        record(argv, null, null);
        return Optional.of(new Result(0, output(argv), ""));
    }

    @Override
    public List<Long> spawnDetachedBatch(List<String> launcherArgv, Map<String, String> env) {
        record(launcherArgv, null, env);
        return List.of();
    }

    @Override
    public Stream stream(List<String> argv, String readyLine) {
        record(argv, null, null);
        return () -> new byte[0];
    }

    @Override
    public int interactive(List<String> argv, Map<String, String> env) {
        record(argv, null, env);
        return 0;
    }

    private synchronized Command record(List<String> argv, String stdin, Map<String, String> env) {
        Command c = new Command(List.copyOf(argv), stdin, env == null ? Map.of() : Map.copyOf(env));
        commands.add(c);
        return c;
    }

    private static String output(List<String> argv) {
        if (argv.get(0).equals("ip") && argv.contains("-j") && argv.get(argv.size() - 1).equals("show")) return "[]";
        return "";
    }

    // ------------------------------------------------------------------ what was run

    /** Every command so far, in order. */
    public synchronized List<Command> commands() {
        return List.copyOf(commands);
    }

    /** The commands run inside one network namespace, in order. */
    public synchronized List<Command> commandsIn(String netns) {
        return commands.stream().filter(c -> netns.equals(c.netns())).toList();
    }

    /** The restores into one namespace (iptables-legacy-restore via nsenter), in order. */
    public synchronized List<Command> restoresInto(String netns) {
        return commandsIn(netns).stream().filter(Command::isRestore).toList();
    }

    /** Every {@code ip -batch} line run in one namespace, in order. */
    public synchronized List<String> ipLinesIn(String netns) {
        return commandsIn(netns).stream().flatMap(c -> c.batchLines().stream()).toList();
    }

    /** Forgets the commands recorded so far. */
    public synchronized void clear() {
        commands.clear();
    }
}
