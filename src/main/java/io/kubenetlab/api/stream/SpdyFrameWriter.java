package io.kubenetlab.api.stream;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes SPDY/3 frames onto one connection, with the connection's header compressor (spdy/write.go). All methods
 * are synchronized on this writer: frames from several threads never interleave, and the compression context
 * advances in the order the frames go out. Each frame is flushed whole (a WebSocket tunnel sends one message per
 * flush).
 */
public final class SpdyFrameWriter implements AutoCloseable {
    private final DataOutputStream out;
    private final SpdyHeaderBlock.Compressor headers = new SpdyHeaderBlock.Compressor();

    public SpdyFrameWriter(OutputStream out) {
        this.out = new DataOutputStream(new BufferedOutputStream(out, 64 * 1024));
    }

    public synchronized void write(SpdyFrame frame) throws IOException {
        if (frame instanceof SpdyFrame.Data d) {
            data(d);
        } else if (frame instanceof SpdyFrame.SynStream s) {
            byte[] block = headers.compress(s.headers());
            control(SpdyFrame.TYPE_SYN_STREAM, s.flags(), 10 + block.length);
            out.writeInt(s.streamId());
            out.writeInt(s.associatedToStreamId());
            out.writeByte(s.priority() << 5);
            out.writeByte(s.slot());
            out.write(block);
        } else if (frame instanceof SpdyFrame.SynReply r) {
            headed(SpdyFrame.TYPE_SYN_REPLY, r.flags(), r.streamId(), headers.compress(r.headers()));
        } else if (frame instanceof SpdyFrame.Headers h) {
            headed(SpdyFrame.TYPE_HEADERS, h.flags(), h.streamId(), headers.compress(h.headers()));
        } else if (frame instanceof SpdyFrame.RstStream r) {
            control(SpdyFrame.TYPE_RST_STREAM, 0, 8);
            out.writeInt(r.streamId());
            out.writeInt(r.status());
        } else if (frame instanceof SpdyFrame.Settings s) {
            control(SpdyFrame.TYPE_SETTINGS, s.flags(), 4 + 8 * s.entries().size());
            out.writeInt(s.entries().size());
            for (var e : s.entries()) {
                out.writeInt(e.flags() << 24 | e.id() & 0xffffff);
                out.writeInt(e.value());
            }
        } else if (frame instanceof SpdyFrame.Ping p) {
            control(SpdyFrame.TYPE_PING, 0, 4);
            out.writeInt(p.id());
        } else if (frame instanceof SpdyFrame.GoAway g) {
            control(SpdyFrame.TYPE_GOAWAY, 0, 8);
            out.writeInt(g.lastGoodStreamId());
            out.writeInt(g.status());
        } else if (frame instanceof SpdyFrame.WindowUpdate w) {
            control(SpdyFrame.TYPE_WINDOW_UPDATE, 0, 8);
            out.writeInt(w.streamId());
            out.writeInt(w.deltaWindowSize());
        }
        out.flush();
    }

    private void data(SpdyFrame.Data d) throws IOException {
        if (d.data().length > SpdyFrame.MAX_DATA_LENGTH) throw new IllegalArgumentException("DATA payload over 2^24-1 bytes");
        out.writeInt(d.streamId() & 0x7fffffff);
        out.writeInt(d.flags() << 24 | d.data().length);
        out.write(d.data());
    }

    private void headed(int type, int flags, int streamId, byte[] block) throws IOException {
        control(type, flags, 4 + block.length);
        out.writeInt(streamId);
        out.write(block);
    }

    private void control(int type, int flags, int length) throws IOException {
        out.writeShort(0x8000 | SpdyFrame.VERSION);
        out.writeShort(type);
        out.writeInt(flags << 24 | length);
    }

    /** Frees the compressor; does not close the underlying stream (the session owns it). */
    @Override
    public synchronized void close() {
        headers.close();
    }
}
