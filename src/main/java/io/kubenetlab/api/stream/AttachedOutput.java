package io.kubenetlab.api.stream;

import io.kubenetlab.kernel.RunningCommand;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code kubectl attach} to a container: what its main process prints from now on (its log, read as it
 * grows), until the pod goes or the client leaves. The lab's containers are started without stdin
 * (as a pod spec's {@code stdin: false}, the default), so what the client types is dropped, as
 * kubelet drops it for such a container.
 */
public final class AttachedOutput implements RunningCommand {
    private final Supplier<Path> log;
    private final BooleanSupplier podExists;
    private volatile boolean closed;

    public AttachedOutput(Supplier<Path> log, BooleanSupplier podExists) {
        this.log = log;
        this.podExists = podExists;
    }

    @Override
    public OutputStream stdin() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream stdout() {
        return new FollowedLog(log, FollowedLog.size(log.get()), () -> !closed && podExists.getAsBoolean());
    }

    @Override
    public InputStream stderr() {
        return InputStream.nullInputStream(); // the log holds both streams, interleaved: it goes out as stdout
    }

    @Override
    public boolean tty() {
        return false;
    }

    @Override
    public void resize(int cols, int rows) {
        // no terminal
    }

    /** Until the pod is gone (or the client left): the status is then Success, as when an attached container ends. */
    @Override
    public int waitFor() throws InterruptedException {
        while (!closed && podExists.getAsBoolean()) Thread.sleep(100);
        return 0;
    }

    @Override
    public void kill() {
        closed = true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
