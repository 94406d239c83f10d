package io.kubenetlab.kernel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * The kernel gateway on this machine: the one class that starts processes (through Apache Commons
 * Exec, or a ProcessBuilder for a terminal or a detached launcher). {@code KUBENETLAB_DEBUG=1}
 * prints each command on stderr.
 */
public final class LinuxKernel implements Kernel {
    private static final boolean DEBUG = "1".equals(System.getenv("KUBENETLAB_DEBUG"));

    /** As {@link #run(List, String, boolean)}, with these variables added to the environment. */
    @Override
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
    @Override
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

    /**
     * Runs a launcher in a new session ({@code setsid}) that starts long-running processes in the
     * background and prints their pids, one a line; returns them. The processes outlive this JVM,
     * like containers outlive {@code docker run -d}.
     */
    /** How long a launcher may run after printing its pids (it only starts processes in the background). */
    private static final long LAUNCHER_TIMEOUT_SECONDS = 120;

    @Override
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
            // The launcher exits once it printed the pids (its stdout is closed); bounded all the same,
            // so a launcher that hangs fails the deploy instead of hanging it.
            if (!p.waitFor(LAUNCHER_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new KernelException(launcherArgv.subList(0, Math.min(2, launcherArgv.size())), -1,
                        "launcher did not exit within " + LAUNCHER_TIMEOUT_SECONDS + " s");
            }
            int exit = p.exitValue();
            if (exit != 0) throw new KernelException(launcherArgv.subList(0, Math.min(2, launcherArgv.size())), exit, "launcher failed");
            return pids;
        } catch (IOException e) {
            throw new KernelException("cannot start " + launcherArgv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted", e);
        }
    }

    @Override
    public Stream stream(List<String> argv, String readyLine) {
        if (DEBUG) System.err.println("+ " + String.join(" ", argv) + " &");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new KernelException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = pump(p.getInputStream(), out, null, null);
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(readyLine == null ? 0 : 1);
        Thread errors = pump(p.getErrorStream(), new ByteArrayOutputStream(), readyLine, ready);
        try {
            ready.await(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return () -> {
            p.destroy();
            try {
                if (!p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
                }
                reader.join(2000);
                errors.join(2000);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            synchronized (out) {
                return out.toByteArray();
            }
        };
    }

    /** Copies a stream into {@code sink} on a daemon thread; counts {@code ready} down once a line contains {@code readyLine}. */
    private static Thread pump(java.io.InputStream in, ByteArrayOutputStream sink, String readyLine, java.util.concurrent.CountDownLatch ready) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            StringBuilder seen = new StringBuilder();
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                    if (readyLine != null && ready.getCount() > 0) {
                        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        if (seen.indexOf(readyLine) >= 0) ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            if (ready != null) ready.countDown();
        }, "kubenetlab-stream");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Runs a command attached to our terminal (exec); returns its exit code. */
    @Override
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

    @Override
    public RunningCommand start(List<String> argv, Map<String, String> env, boolean tty, int cols, int rows, java.nio.file.Path terminalDir) {
        // Signals the controller ignores (it runs detached: SIGINT is ignored) would stay ignored in the
        // client's command, and a shell keeps what it was started ignoring: Ctrl-C reached nothing.
        List<String> full = new java.util.ArrayList<>(List.of("env", "--default-signal"));
        full.addAll(argv);
        if (DEBUG) System.err.println("+ " + String.join(" ", full));
        return tty ? PtyCommand.start(full, env, cols, rows, terminalDir) : PipedCommand.start(full, env);
    }
}
