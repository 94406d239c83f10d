package io.kubenetlab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A client's command on pipes, started under {@code setsid}: the Java child is not a process-group
 * leader, so setsid execs in place and the child leads a session, by which {@link #kill} finds
 * everything the command started (nsenter's child in the pod's PID namespace included).
 */
final class PipedCommand implements RunningCommand {
    private final Process process;

    private PipedCommand(Process process) {
        this.process = process;
    }

    static PipedCommand start(List<String> argv, Map<String, String> env) {
        List<String> full = new ArrayList<>(List.of("setsid"));
        full.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(full);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return new PipedCommand(pb.start());
        } catch (IOException e) {
            throw new KernelException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public boolean tty() {
        return false;
    }

    @Override
    public void resize(int cols, int rows) {
        // no terminal
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void kill() {
        Sessions.end(process.toHandle(), 500);
    }

    @Override
    public void close() {
        for (java.io.Closeable c : List.<java.io.Closeable>of(process.getOutputStream(), process.getInputStream(), process.getErrorStream())) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
