package io.kubenetlab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** A client's command on a pseudo-terminal of its own ({@code kubectl exec -t}). */
final class PtyCommand implements RunningCommand {
    private final PtyProcess process;

    private PtyCommand(PtyProcess process) {
        this.process = process;
    }

    static PtyCommand start(List<String> argv, Map<String, String> env, int cols, int rows, java.nio.file.Path terminalDir) {
        try {
            return new PtyCommand(PtyProcess.start(argv, env, cols, rows, terminalDir));
        } catch (IOException e) {
            throw new KernelException("cannot run " + argv.get(0) + " on a terminal: " + e.getMessage(), e);
        }
    }

    @Override
    public OutputStream stdin() {
        return process.pty().input();
    }

    @Override
    public InputStream stdout() {
        return process.pty().output();
    }

    @Override
    public InputStream stderr() {
        return InputStream.nullInputStream();
    }

    @Override
    public boolean tty() {
        return true;
    }

    @Override
    public void resize(int cols, int rows) {
        try {
            process.pty().resize(cols, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Ends the session; the terminal goes with it (what a client that went away leaves behind). */
    @Override
    public void kill() {
        process.close();
    }

    @Override
    public void close() {
        process.pty().close();
    }
}
