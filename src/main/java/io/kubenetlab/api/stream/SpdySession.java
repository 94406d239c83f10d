package io.kubenetlab.api.stream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The server side of one SPDY/3.1 connection, as moby/spdystream's Connection with server=true serves kubectl
 * (connection.go): the client opens odd-numbered streams, this side only answers them. The byte stream may come
 * from an HTTP/1.1 {@code Upgrade: SPDY/3.1} connection or from the binary messages of a WebSocket tunnel.
 *
 * <p>{@link #run()} reads frames on the caller's thread until EOF or GOAWAY; it hands each new stream to
 * {@code onStream} on that thread, so the handler must not block. Frames go out through one lock, whole and in
 * order (the header compression context depends on that order).
 *
 * <p>No flow control: spdystream never sends WINDOW_UPDATE and ignores those it gets (Serve's default case), and
 * SETTINGS likewise; see {@link StreamInput} for how input stays bounded.
 */
public final class SpdySession implements Closeable {
    private static final long CLOSE_LOCK_WAIT_MS = 2000;

    private final InputStream in;
    private final OutputStream out;
    private final Consumer<SpdyStream> onStream;
    private final SpdyFrameWriter writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<Integer, SpdyStream> streams = new ConcurrentHashMap<>();

    // Set under writeLock; read anywhere.
    private volatile boolean closed;
    // Written by the reading thread only.
    private volatile boolean goneAway;
    private volatile int nextStreamId = 1; // spdystream's receivedStreamId for a server

    public SpdySession(InputStream in, OutputStream out, Consumer<SpdyStream> onStream) {
        this.in = in;
        this.out = out;
        this.onStream = onStream;
        this.writer = new SpdyFrameWriter(out);
    }

    /** Reads and dispatches frames until the client's EOF or GOAWAY; then every stream's input ends. */
    public void run() throws IOException {
        try (SpdyFrameReader reader = new SpdyFrameReader(in)) {
            SpdyFrame frame;
            while ((frame = reader.read()) != null) {
                if (frame instanceof SpdyFrame.GoAway) {
                    goneAway = true; // spdystream stops reading at GOAWAY too (connection.go Serve)
                    break;
                }
                dispatch(frame);
            }
        } catch (IOException e) {
            if (!isClosed()) throw e; // close() closed the input under us: a normal end
        } finally {
            for (SpdyStream s : List.copyOf(streams.values())) s.sessionEnded();
        }
    }

    private void dispatch(SpdyFrame frame) throws IOException {
        if (frame instanceof SpdyFrame.SynStream syn) {
            open(syn);
        } else if (frame instanceof SpdyFrame.Data data) {
            SpdyStream s = streams.get(data.streamId());
            if (s == null) return; // gone already: spdystream drops it too
            if (data.data().length > 0) s.receive(data.data());
            if (data.fin()) s.remoteFin();
        } else if (frame instanceof SpdyFrame.RstStream rst) {
            SpdyStream s = streams.get(rst.streamId());
            if (s != null) s.remoteReset();
        } else if (frame instanceof SpdyFrame.Ping ping) {
            // Echo the peer's pings; a ping with our own parity (even, from a server) would be a reply to one of
            // ours (connection.go handlePingFrame). kubectl pings every 5 s.
            if ((ping.id() & 1) == 1) send(ping);
        }
        // SYN_REPLY (we open no streams), HEADERS, SETTINGS and WINDOW_UPDATE: nothing port-forward needs.
    }

    private void open(SpdyFrame.SynStream syn) throws IOException {
        if (goneAway || isClosed()) return;
        int id = syn.streamId();
        if (id == 0 || id < nextStreamId) {
            // Ids must increase (connection.go validateStreamId); spdystream answers with PROTOCOL_ERROR.
            send(new SpdyFrame.RstStream(id, SpdyFrame.PROTOCOL_ERROR));
            return;
        }
        nextStreamId = id + 2;
        SpdyStream stream = new SpdyStream(this, id, syn.headers(), (syn.flags() & SpdyFrame.FLAG_UNIDIRECTIONAL) != 0);
        streams.put(id, stream);
        if ((syn.flags() & SpdyFrame.FLAG_FIN) != 0) stream.remoteFin();
        try {
            onStream.accept(stream);
        } catch (RuntimeException e) {
            stream.reset(SpdyFrame.INTERNAL_ERROR);
        }
    }

    /**
     * Resets the streams this side has not finished (as apimachinery's connection.Close does before closing),
     * sends GOAWAY unless either side already did, and closes both byte streams so {@link #run()} returns.
     */
    @Override
    public void close() {
        boolean locked = false;
        try {
            locked = writeLock.tryLock(CLOSE_LOCK_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Without the lock a writer is stuck on a peer that does not read: closing the stream frees it.
        try {
            if (locked && !closed) {
                for (SpdyStream s : List.copyOf(streams.values())) {
                    if (s.needsReset()) {
                        s.markReset();
                        writer.write(new SpdyFrame.RstStream(s.id(), SpdyFrame.CANCEL));
                    }
                }
                if (!goneAway) {
                    int next = nextStreamId;
                    writer.write(new SpdyFrame.GoAway(next > 2 ? next - 2 : 0, SpdyFrame.GOAWAY_OK));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer is gone; closing is all that is left
        } finally {
            closed = true;
            goneAway = true;
            if (locked) {
                writer.close();
                writeLock.unlock();
            }
            for (SpdyStream s : List.copyOf(streams.values())) s.sessionEnded();
            streams.clear();
            closeQuietly(out);
            closeQuietly(in);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** The number of streams not yet finished in both directions (for tests and diagnostics). */
    public int openStreams() {
        return streams.size();
    }

    void send(SpdyFrame frame) throws IOException {
        writeLock.lock();
        try {
            if (closed) throw new IOException("SPDY session closed");
            writer.write(frame);
        } finally {
            writeLock.unlock();
        }
    }

    void forget(SpdyStream stream) {
        streams.remove(stream.id(), stream);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
