package io.kubenetlab.api.stream;

import io.kubenetlab.api.stream.SpdyHeaderBlock.SpdyProtocolException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SPDY/3 frames off one connection, with the connection's header decompressor (spdy/read.go ReadFrame).
 * Not thread-safe: one reading thread per connection.
 */
public final class SpdyFrameReader implements AutoCloseable {
    private final DataInputStream in;
    private final SpdyHeaderBlock.Decompressor headers = new SpdyHeaderBlock.Decompressor();

    public SpdyFrameReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The next frame, or null at a clean end of stream (EOF between frames). */
    public SpdyFrame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) return null; // EOF between frames; EOF inside one throws EOFException
        int first = b0 << 24 | in.readUnsignedByte() << 16 | in.readUnsignedShort();
        int flagsAndLength = in.readInt();
        int flags = flagsAndLength >>> 24;
        int length = flagsAndLength & 0xffffff;
        if (first >= 0) {
            // Control bit clear: a DATA frame, the first word is the stream id.
            byte[] data = new byte[length];
            in.readFully(data);
            return new SpdyFrame.Data(first, flags, data);
        }
        // spdystream reads the version but never checks it; neither do we.
        int type = first & 0xffff;
        return switch (type) {
            case SpdyFrame.TYPE_SYN_STREAM -> {
                need(length, 10, type);
                int streamId = in.readInt() & 0x7fffffff;
                int associated = in.readInt() & 0x7fffffff;
                int priority = in.readUnsignedByte() >>> 5;
                int slot = in.readUnsignedByte();
                yield new SpdyFrame.SynStream(streamId, associated, priority, slot, flags, headerBlock(length - 10));
            }
            case SpdyFrame.TYPE_SYN_REPLY -> {
                need(length, 4, type);
                int streamId = in.readInt() & 0x7fffffff;
                yield new SpdyFrame.SynReply(streamId, flags, headerBlock(length - 4));
            }
            case SpdyFrame.TYPE_HEADERS -> {
                need(length, 4, type);
                int streamId = in.readInt() & 0x7fffffff;
                yield new SpdyFrame.Headers(streamId, flags, headerBlock(length - 4));
            }
            case SpdyFrame.TYPE_RST_STREAM -> {
                exactly(length, 8, type);
                yield new SpdyFrame.RstStream(in.readInt() & 0x7fffffff, in.readInt());
            }
            case SpdyFrame.TYPE_SETTINGS -> settings(flags, length);
            case SpdyFrame.TYPE_PING -> {
                exactly(length, 4, type);
                yield new SpdyFrame.Ping(in.readInt());
            }
            case SpdyFrame.TYPE_GOAWAY -> {
                exactly(length, 8, type);
                yield new SpdyFrame.GoAway(in.readInt() & 0x7fffffff, in.readInt());
            }
            case SpdyFrame.TYPE_WINDOW_UPDATE -> {
                exactly(length, 8, type);
                yield new SpdyFrame.WindowUpdate(in.readInt() & 0x7fffffff, in.readInt() & 0x7fffffff);
            }
            default -> {
                // SPDY/3 says to ignore unknown control frames (e.g. CREDENTIAL): skip the payload, read on.
                in.skipNBytes(length);
                yield read();
            }
        };
    }

    private SpdyFrame.Settings settings(int flags, int length) throws IOException {
        need(length, 4, SpdyFrame.TYPE_SETTINGS);
        int count = in.readInt();
        if (count < 0 || (long) count * 8 != length - 4) throw new SpdyProtocolException("SETTINGS count " + count + " does not fit length " + length);
        List<SpdyFrame.Setting> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int flagAndId = in.readInt();
            entries.add(new SpdyFrame.Setting(flagAndId >>> 24, flagAndId & 0xffffff, in.readInt()));
        }
        return new SpdyFrame.Settings(flags, entries);
    }

    private java.util.Map<String, String> headerBlock(int length) throws IOException {
        byte[] compressed = new byte[length];
        in.readFully(compressed);
        return headers.decompress(compressed);
    }

    private static void need(int length, int min, int type) throws SpdyProtocolException {
        if (length < min) throw new SpdyProtocolException("control frame type " + type + " too short: " + length);
    }

    private static void exactly(int length, int expected, int type) throws SpdyProtocolException {
        if (length != expected) throw new SpdyProtocolException("control frame type " + type + " has length " + length + ", not " + expected);
    }

    @Override
    public void close() {
        headers.close();
    }
}
