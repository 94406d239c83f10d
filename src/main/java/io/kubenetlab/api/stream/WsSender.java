package io.kubenetlab.api.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Blocking, one-at-a-time sends on a WebSocket: several pumps share a session, and waiting for each
 * frame to leave is the back-pressure that keeps a fast process from filling the controller's memory.
 */
final class WsSender {
    private final Session session;

    WsSender(Session session) {
        this.session = session;
    }

    /** One binary message: {@code channel} (when not negative) and then {@code len} bytes of {@code data}. */
    synchronized void send(int channel, byte[] data, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len + (channel < 0 ? 0 : 1));
        if (channel >= 0) b.put((byte) channel);
        b.put(data, off, len).flip();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.sendBinary(b, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted sending");
        }
    }

    void send(int channel, byte[] data) throws IOException {
        send(channel, data, 0, data.length);
    }

    /** A normal close (1000), after every frame sent before it. */
    synchronized void close(String reason) {
        if (session.isOpen()) session.close(1000, reason, Callback.NOOP);
    }
}
