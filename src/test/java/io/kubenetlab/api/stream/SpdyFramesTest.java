package io.kubenetlab.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;

class SpdyFramesTest {
    /**
     * Written by Go's framer (github.com/docker/spdystream/spdy, byte-identical to moby/spdystream's framer) in one
     * compression context: SYN_STREAM 1 {streamtype: error}, SYN_STREAM 3 {streamtype: data}, SYN_REPLY 1 {}, then
     * PING 1, DATA 3 "hi" with FIN, RST_STREAM 3 CANCEL, GOAWAY 3. One header each, since Go iterates a map in random
     * order.
     */
    static final String GO_SYN_STREAM_1 = "80030001000000290000000100000000000078f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ffff";
    static final String GO_SYN_STREAM_3 = "800300010000001600000003000000000000c22a052a651201000000ffff";
    static final String GO_SYN_REPLY_1 = "800300020000000e000000016260606000000000ffff";
    static final String GO_TAIL = "800300060000000400000001000000030100000268698003000300000008000000030000000580030007000000080000000300000000";

    @Test
    void theDictionaryIsSpdy3s() {
        byte[] dictionary = SpdyDictionary.bytes();
        Adler32 adler = new Adler32();
        adler.update(dictionary);
        assertThat(dictionary).hasSize(1423);
        assertThat((int) adler.getValue()).isEqualTo(SpdyDictionary.ADLER32).isEqualTo(0xe3c6a7c2);
    }

    @Test
    void everyFrameTypeRoundTrips() throws IOException {
        List<SpdyFrame> frames = List.of(
                new SpdyFrame.SynStream(1, 0, 3, 0, SpdyFrame.FLAG_FIN, Map.of("streamtype", "error", "port", "8080", "requestid", "0")),
                new SpdyFrame.SynStream(3, 1, 7, 2, SpdyFrame.FLAG_UNIDIRECTIONAL, Map.of()),
                new SpdyFrame.SynReply(1, 0, Map.of()),
                new SpdyFrame.SynReply(3, SpdyFrame.FLAG_FIN, Map.of("status", "200 OK")),
                new SpdyFrame.RstStream(5, SpdyFrame.CANCEL),
                new SpdyFrame.Settings(0, List.of(new SpdyFrame.Setting(1, 7, 65536), new SpdyFrame.Setting(0, 4, 100))),
                new SpdyFrame.Settings(0, List.of()),
                new SpdyFrame.Ping(1),
                new SpdyFrame.Ping(0x7fffffff),
                new SpdyFrame.GoAway(7, SpdyFrame.GOAWAY_OK),
                new SpdyFrame.Headers(1, SpdyFrame.FLAG_FIN, Map.of("x-multi", "a\0b")),
                new SpdyFrame.WindowUpdate(3, 65536),
                new SpdyFrame.Data(1, 0, "hello".getBytes()),
                new SpdyFrame.Data(3, SpdyFrame.FLAG_FIN, new byte[0]),
                new SpdyFrame.Data(0x7ffffffd, 0, new byte[100_000]));
        assertThat(roundTrip(frames)).isEqualTo(frames);
    }

    @Test
    void headerCompressionRunsAcrossBlocksInOneContext() throws IOException {
        Map<String, String> kubectl = Map.of("streamtype", "error", "port", "8080", "requestid", "0");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SpdyFrameWriter writer = new SpdyFrameWriter(wire);
        List<Integer> sizes = new ArrayList<>();
        List<SpdyFrame> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int before = wire.size();
            SpdyFrame f = new SpdyFrame.SynStream(2 * i + 1, 0, 0, 0, 0, i % 2 == 0 ? kubectl : Map.of("streamtype", "data", "port", "8080", "requestid", "" + i));
            writer.write(f);
            sent.add(f);
            sizes.add(wire.size() - before);
        }
        // Only the first block carries the zlib header and literal names; later ones refer back into the window.
        assertThat(sizes.get(2)).isLessThan(sizes.get(0));
        byte[] bytes = wire.toByteArray();
        assertThat(HexFormat.of().formatHex(bytes, 18, 24)).isEqualTo("78f9e3c6a7c2"); // zlib header: FDICT + dictionary id
        assertThat(readAll(bytes)).isEqualTo(sent);
        // A fresh reader cannot start in the middle of the context: the state is per connection.
        assertThatThrownBy(() -> readAll(java.util.Arrays.copyOfRange(bytes, sizes.get(0), bytes.length))).isInstanceOf(IOException.class);
    }

    @Test
    void readsWhatGosFramerWrites() throws IOException {
        byte[] wire = HexFormat.of().parseHex(GO_SYN_STREAM_1 + GO_SYN_STREAM_3 + GO_SYN_REPLY_1 + GO_TAIL);
        assertThat(readAll(wire)).containsExactly(
                new SpdyFrame.SynStream(1, 0, 0, 0, 0, Map.of("streamtype", "error")),
                new SpdyFrame.SynStream(3, 0, 0, 0, 0, Map.of("streamtype", "data")),
                new SpdyFrame.SynReply(1, 0, Map.of()),
                new SpdyFrame.Ping(1),
                new SpdyFrame.Data(3, SpdyFrame.FLAG_FIN, "hi".getBytes()),
                new SpdyFrame.RstStream(3, SpdyFrame.CANCEL),
                new SpdyFrame.GoAway(3, SpdyFrame.GOAWAY_OK));
    }

    @Test
    void writesTheControlFramesByteForByteAsGo() throws IOException {
        // Frames without header blocks have one encoding; zlib output may differ between Go and the JDK and need not match.
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SpdyFrameWriter writer = new SpdyFrameWriter(wire);
        writer.write(new SpdyFrame.Ping(1));
        writer.write(new SpdyFrame.Data(3, SpdyFrame.FLAG_FIN, "hi".getBytes()));
        writer.write(new SpdyFrame.RstStream(3, SpdyFrame.CANCEL));
        writer.write(new SpdyFrame.GoAway(3, SpdyFrame.GOAWAY_OK));
        assertThat(HexFormat.of().formatHex(wire.toByteArray())).isEqualTo(GO_TAIL);
    }

    @Test
    void aSynStreamIsLaidOutAsGosFramerDoes() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        new SpdyFrameWriter(wire).write(new SpdyFrame.SynStream(1, 0, 0, 0, 0, Map.of("streamType", "error")));
        String hex = HexFormat.of().formatHex(wire.toByteArray());
        // Same control header, ids, priority/slot and zlib header (level 9, FDICT, SPDY/3 dictionary id) as Go's;
        // the deflate bits differ (the JDK's zlib is not Go's compress/flate), the decoded block does not.
        assertThat(hex.substring(0, 8)).isEqualTo(GO_SYN_STREAM_1.substring(0, 8));
        assertThat(hex.substring(16, 48)).isEqualTo(GO_SYN_STREAM_1.substring(16, 48));
        assertThat(hex).endsWith("0000ffff"); // the sync flush that ends each block
        assertThat(readAll(wire.toByteArray())).containsExactly(new SpdyFrame.SynStream(1, 0, 0, 0, 0, Map.of("streamtype", "error")));
    }

    @Test
    void repeatedHeaderNamesJoinWithNul() throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.writeBytes(new byte[] {0, 0, 0, 2});
        for (String v : List.of("a", "b")) {
            block.writeBytes(new byte[] {0, 0, 0, 1, 'x', 0, 0, 0, 1});
            block.writeBytes(v.getBytes());
        }
        assertThat(SpdyHeaderBlock.decode(block.toByteArray())).containsExactly(Map.entry("x", "a\0b"));
    }

    @Test
    void unknownControlFramesAreSkipped() throws IOException {
        byte[] credential = HexFormat.of().parseHex("8003000a00000003abcdef");
        byte[] ping = HexFormat.of().parseHex("800300060000000400000005");
        byte[] wire = new byte[credential.length + ping.length];
        System.arraycopy(credential, 0, wire, 0, credential.length);
        System.arraycopy(ping, 0, wire, credential.length, ping.length);
        assertThat(readAll(wire)).containsExactly(new SpdyFrame.Ping(5));
    }

    @Test
    void aTruncatedFrameIsAnError() {
        assertThatThrownBy(() -> readAll(HexFormat.of().parseHex("0000000100000005abcd"))).isInstanceOf(java.io.EOFException.class);
        assertThatThrownBy(() -> readAll(HexFormat.of().parseHex("800300060000000400000005" + "00"))).isInstanceOf(java.io.EOFException.class);
    }

    private static List<SpdyFrame> roundTrip(List<SpdyFrame> frames) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SpdyFrameWriter writer = new SpdyFrameWriter(wire);
        for (SpdyFrame f : frames) writer.write(f);
        return readAll(wire.toByteArray());
    }

    private static List<SpdyFrame> readAll(byte[] wire) throws IOException {
        List<SpdyFrame> out = new ArrayList<>();
        try (SpdyFrameReader reader = new SpdyFrameReader(new ByteArrayInputStream(wire))) {
            SpdyFrame f;
            while ((f = reader.read()) != null) out.add(f);
        }
        return out;
    }
}
