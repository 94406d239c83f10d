package io.kubenetlab.api.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * SPDY/3 name/value header blocks: a 32-bit count, then 32-bit-length-prefixed names and values, the whole block
 * zlib-compressed with {@link SpdyDictionary}. One {@link Compressor} and one {@link Decompressor} per connection
 * and direction: the zlib stream runs across all header blocks of the connection, each block ending in a sync
 * flush (spdy/write.go writeHeaderValueBlock + headerCompressor.Flush, spdy/read.go uncorkHeaderDecompressor).
 */
final class SpdyHeaderBlock {
    /** A bound on a decompressed block, so a small frame cannot inflate into unbounded memory. */
    static final int MAX_DECOMPRESSED = 1 << 20;

    private SpdyHeaderBlock() {}

    static byte[] encode(Map<String, String> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, headers.size());
        for (var e : headers.entrySet()) {
            // spdystream rejects upper-case names and duplicate names (spdy/read.go parseHeaderValueBlock);
            // Go's framer lower-cases on write, so do we; a map cannot hold duplicates.
            byte[] name = e.getKey().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
            writeInt(out, name.length);
            out.writeBytes(name);
            writeInt(out, value.length);
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    static Map<String, String> decode(byte[] block) throws SpdyProtocolException {
        ByteBuffer in = ByteBuffer.wrap(block);
        try {
            int count = in.getInt();
            if (count < 0) throw new SpdyProtocolException("negative header count");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = string(in).toLowerCase(Locale.ROOT);
                String value = string(in);
                // Go adds the values of a repeated name to one list; joining with NUL keeps the wire form.
                headers.merge(name, value, (a, b) -> a + "\0" + b);
            }
            return headers;
        } catch (BufferUnderflowException e) {
            throw new SpdyProtocolException("truncated header block");
        }
    }

    private static String string(ByteBuffer in) throws SpdyProtocolException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) throw new SpdyProtocolException("header string length " + length + " beyond block");
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    /** The sending side's zlib context: level 9 with the dictionary, as Go's zlib.NewWriterLevelDict(BestCompression). */
    static final class Compressor implements AutoCloseable {
        private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        private final byte[] buffer = new byte[4096];

        Compressor() {
            deflater.setDictionary(SpdyDictionary.bytes());
        }

        byte[] compress(Map<String, String> headers) {
            deflater.setInput(encode(headers));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int n;
            // SYNC_FLUSH ends the block on a byte boundary, so the peer can inflate it fully now.
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length || !deflater.needsInput());
            return out.toByteArray();
        }

        @Override
        public void close() {
            deflater.end();
        }
    }

    /** The receiving side's zlib context. */
    static final class Decompressor implements AutoCloseable {
        private final Inflater inflater = new Inflater();
        private final byte[] buffer = new byte[4096];

        Map<String, String> decompress(byte[] compressed) throws SpdyProtocolException {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                while (true) {
                    int n = inflater.inflate(buffer);
                    if (n > 0) {
                        out.write(buffer, 0, n);
                        if (out.size() > MAX_DECOMPRESSED) throw new SpdyProtocolException("header block over " + MAX_DECOMPRESSED + " bytes");
                    } else if (inflater.needsDictionary()) {
                        inflater.setDictionary(SpdyDictionary.bytes());
                    } else {
                        break; // needs input (the block is done) or finished; leftovers are caught below
                    }
                }
            } catch (DataFormatException | IllegalArgumentException e) {
                throw new SpdyProtocolException("bad compressed header block: " + e.getMessage());
            }
            if (inflater.getRemaining() != 0) {
                // spdystream fails the frame likewise (WrongCompressedPayloadSize).
                throw new SpdyProtocolException("compressed payload size was incorrect");
            }
            return decode(out.toByteArray());
        }

        @Override
        public void close() {
            inflater.end();
        }
    }

    /** A peer broke the protocol; the session ends. */
    static final class SpdyProtocolException extends IOException {
        SpdyProtocolException(String message) {
            super(message);
        }
    }
}
