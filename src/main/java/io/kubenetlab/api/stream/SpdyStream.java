package io.kubenetlab.api.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * One stream a client opened on a {@link SpdySession}. Its input is what the client sends (EOF at the client's FIN or
 * RST); its output sends DATA frames, and closing it sends FIN. Like spdystream, the first write replies if
 * {@link #reply()} was not called yet: a client drops DATA on a stream it has no SYN_REPLY for (connection.go
 * handleDataFrame).
 */
public final class SpdyStream {
    /** Go's io.Copy buffer, so one frame here is about one frame from a Go peer. */
    static final int MAX_FRAME_PAYLOAD = 32 * 1024;

    private final SpdySession session;
    private final int id;
    private final Map<String, String> headers;
    private final StreamInput input = new StreamInput();
    private final Output output = new Output();

    // Guarded by this.
    private boolean replied;
    private boolean localDone; // FIN or RST sent (or the client made the stream unidirectional)
    private boolean remoteDone; // FIN or RST received
    private boolean peerReset;
    private boolean resetSent;

    SpdyStream(SpdySession session, int id, Map<String, String> headers, boolean unidirectional) {
        this.session = session;
        this.id = id;
        this.headers = headers;
        this.localDone = unidirectional;
    }

    public int id() {
        return id;
    }

    /** The SYN_STREAM headers, names lower-case as SPDY sends them (kubectl: streamtype, port, requestid). */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Accepts the stream: SYN_REPLY with an empty header block, as apimachinery's server does
     * (httpstream/spdy/connection.go newSpdyStream: stream.SendReply(http.Header{}, false)). Idempotent.
     */
    public synchronized void reply() throws IOException {
        if (replied || resetSent || peerReset) return;
        replied = true;
        session.send(new SpdyFrame.SynReply(id, 0, Map.of()));
    }

    public InputStream input() {
        return input;
    }

    public OutputStream output() {
        return output;
    }

    /** Stops reading: queued and later input is discarded, readers see EOF (input().close() without the checked exception). */
    void dropInput() {
        input.drop();
    }

    /**
     * RST_STREAM with the status (e.g. {@link SpdyFrame#CANCEL}); the input ends. Like spdystream's Reset, nothing is
     * sent once this side has finished (stream.go resetStream).
     */
    public void reset(int status) throws IOException {
        input.drop();
        boolean send;
        synchronized (this) {
            send = !localDone;
            resetSent |= send;
            localDone = true;
            remoteDone = true;
        }
        session.forget(this);
        if (send) session.send(new SpdyFrame.RstStream(id, status));
    }

    @Override
    public String toString() {
        return "stream:" + id;
    }

    // Called by the session's reading thread.

    void receive(byte[] data) throws IOException {
        input.offer(data);
    }

    void remoteFin() {
        input.finish();
        synchronized (this) {
            remoteDone = true;
            if (!localDone) return;
        }
        session.forget(this);
    }

    void remoteReset() {
        input.drop();
        synchronized (this) {
            remoteDone = true;
            peerReset = true;
        }
        session.forget(this);
    }

    /** The session ended: no more input, no more output. */
    void sessionEnded() {
        input.finish();
    }

    synchronized boolean needsReset() {
        return !localDone;
    }

    synchronized void markReset() {
        resetSent = true;
        localDone = true;
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            reply();
            while (len > 0) {
                int n = Math.min(len, MAX_FRAME_PAYLOAD);
                checkWritable();
                session.send(new SpdyFrame.Data(id, 0, java.util.Arrays.copyOfRange(b, off, off + n)));
                off += n;
                len -= n;
            }
        }

        /** Sends FIN (an empty DATA frame with FLAG_FIN, stream.go Close); a no-op once finished or reset. */
        @Override
        public void close() throws IOException {
            synchronized (SpdyStream.this) {
                if (localDone || peerReset) {
                    localDone = true;
                    return;
                }
            }
            reply();
            synchronized (SpdyStream.this) {
                if (localDone) return;
                localDone = true;
            }
            session.send(new SpdyFrame.Data(id, SpdyFrame.FLAG_FIN, new byte[0]));
            synchronized (SpdyStream.this) {
                if (!remoteDone) return;
            }
            session.forget(SpdyStream.this);
        }

        private void checkWritable() throws IOException {
            synchronized (SpdyStream.this) {
                if (peerReset) throw new IOException("SPDY stream " + id + " was reset by the peer");
                if (localDone) throw new IOException("SPDY stream " + id + " is closed");
            }
        }
    }
}
