package io.kubenetlab.kernel;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A command started for a client (kubectl exec) in a session of its own: its streams, its terminal's
 * size, its exit, and {@link #kill} for everything it started when the client goes away.
 */
public interface RunningCommand {
    OutputStream stdin();

    InputStream stdout();

    /** Its stderr; on a terminal, an empty stream (the terminal carries both). */
    InputStream stderr();

    boolean tty();

    /** The terminal's new size (kubectl's resize channel); nothing without a terminal. */
    void resize(int cols, int rows);

    /** Waits for the command's own exit and returns its code (128 + n for signal n, as a shell says). */
    int waitFor() throws InterruptedException;

    /** Kills every process of the command's session: the command and whatever it started. */
    void kill();

    /**
     * Releases its streams once it has exited and its output is read: a terminal is closed (its hangup
     * reaches what still runs on it, as closing a terminal window does); piped background jobs live on,
     * as they do after kubelet's exec.
     */
    void close();
}
