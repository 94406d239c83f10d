package io.kubenetlab.kernel;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program whose stdin, stdout, stderr and controlling terminal are a new {@link Pty}: what
 * {@code kubectl exec -it} runs. The argv is prefixed with util-linux {@code setsid -w -c}: a new
 * session (so the terminal can be its controlling terminal, and Ctrl-C reaches its foreground job
 * as SIGINT) with fd 0 made the controlling terminal.
 */
public final class PtyProcess implements AutoCloseable {
    /**
     * -c: TIOCSCTTY on stdin. -w: should setsid fork (it does when it is a process group leader),
     * wait and return the program's exit code instead of 0 at once. A child of this JVM is not a
     * group leader, so setsid normally execs in place and the Java Process is the session leader.
     */
    static final List<String> SETSID = List.of("setsid", "-w", "-c");
    /** How long the session has after SIGHUP before SIGKILL. */
    private static final long GRACE_MILLIS = 500;

    private final Pty pty;
    private final Process process;

    private PtyProcess(Pty pty, Process process) {
        this.pty = pty;
        this.process = process;
    }

    /**
     * Starts {@code argv} on a new terminal of {@code cols} x {@code rows}, with this JVM's
     * environment plus {@code env}. Start reading {@link Pty#output()} only after this returns: until
     * a process holds the slave, a read of the master already says end of stream.
     */
    public static PtyProcess start(List<String> argv, Map<String, String> env, int cols, int rows) throws IOException {
        return start(argv, env, cols, rows, null);
    }

    /** The same, with the terminal made in the devpts instance {@code ptsDir} (null: the host's; see {@link Pty#openIn}). */
    public static PtyProcess start(List<String> argv, Map<String, String> env, int cols, int rows, java.nio.file.Path ptsDir) throws IOException {
        if (argv.isEmpty()) throw new IllegalArgumentException("empty argv");
        refuseToAcquireTheTerminal();
        Pty pty = ptsDir == null ? Pty.open() : Pty.openIn(ptsDir);
        try {
            pty.resize(cols, rows); // before the program starts, so its first look at the size is right
            List<String> full = new ArrayList<>(SETSID);
            full.addAll(argv);
            File slave = new File(pty.slavePath());
            ProcessBuilder pb = new ProcessBuilder(full);
            pb.environment().putAll(env);
            // Java opens these for the spawn and closes its copies once start() returns: the child
            // then holds the only slave fds, and the master sees EOF when the session is done.
            pb.redirectInput(slave).redirectOutput(slave).redirectErrorStream(true);
            return new PtyProcess(pty, pb.start());
        } catch (IOException | RuntimeException e) {
            pty.close();
            throw e;
        }
    }

    /**
     * Java opens the slave without O_NOCTTY. Were this JVM a session leader without a controlling
     * terminal (a systemd service, say), that open makes the pty the JVM's own controlling
     * terminal: setsid's TIOCSCTTY then fails with EPERM unless it may steal it (root), and a hangup
     * would send SIGHUP to this JVM.
     */
    private static void refuseToAcquireTheTerminal() throws IOException {
        long self = ProcessHandle.current().pid();
        String[] stat = Procs.statFields(self);
        boolean leaderWithoutTerminal = stat != null && Long.parseLong(stat[3]) == self && stat[4].equals("0");
        if (leaderWithoutTerminal && PtyLibc.C.geteuid() != 0) {
            throw new IOException("this JVM leads a session without a terminal and is not root: "
                    + "a pty it opens would become its own controlling terminal; run it as root or as another process's child in its session");
        }
    }

    public Pty pty() {
        return pty;
    }

    /** The session leader (the program itself, unless setsid had to fork). */
    public long pid() {
        return process.pid();
    }

    /** The program's exit code (128 + n if killed by signal n). */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    public int exitValue() {
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Ends the whole session: SIGHUP to each of its processes, SIGKILL after a grace period to
     * whatever is left, then waits for the leader. The terminal stays open, so output printed on
     * the way out can still be read; {@link #close()} also closes it.
     */
    public void destroy() {
        Sessions.end(process.toHandle(), GRACE_MILLIS);
        if (process.isAlive()) process.destroyForcibly(); // the leader, should setsid have forked
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a client disconnect calls: ends the session, then closes the terminal. */
    @Override
    public void close() {
        try {
            destroy();
        } finally {
            pty.close();
        }
    }
}
