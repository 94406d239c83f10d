package io.kubenetlab.api.stream;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One SPDY/3 frame, unpacked (moby/spdystream {@code spdy/types.go}). Header maps keep SPDY's lower-case names;
 * a value holding several values joins them with NUL, as on the wire.
 */
public sealed interface SpdyFrame {
    int VERSION = 3;

    int TYPE_SYN_STREAM = 1;
    int TYPE_SYN_REPLY = 2;
    int TYPE_RST_STREAM = 3;
    int TYPE_SETTINGS = 4;
    int TYPE_PING = 6;
    int TYPE_GOAWAY = 7;
    int TYPE_HEADERS = 8;
    int TYPE_WINDOW_UPDATE = 9;

    /** FLAG_FIN on control and data frames. */
    int FLAG_FIN = 0x01;
    /** FLAG_UNIDIRECTIONAL on SYN_STREAM: the sender will not read, so the receiver may not write. */
    int FLAG_UNIDIRECTIONAL = 0x02;

    /** RST_STREAM status codes (spdy/types.go RstStreamStatus). */
    int PROTOCOL_ERROR = 1;
    int INVALID_STREAM = 2;
    int REFUSED_STREAM = 3;
    int UNSUPPORTED_VERSION = 4;
    int CANCEL = 5;
    int INTERNAL_ERROR = 6;
    int FLOW_CONTROL_ERROR = 7;

    /** GOAWAY status codes. */
    int GOAWAY_OK = 0;
    int GOAWAY_PROTOCOL_ERROR = 1;
    int GOAWAY_INTERNAL_ERROR = 2;

    /** The largest DATA payload the 24-bit length field can carry. */
    int MAX_DATA_LENGTH = (1 << 24) - 1;

    record Data(int streamId, int flags, byte[] data) implements SpdyFrame {
        public boolean fin() {
            return (flags & FLAG_FIN) != 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.streamId == streamId && d.flags == flags && Arrays.equals(d.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * streamId + flags) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Data[streamId=" + streamId + ", flags=" + flags + ", length=" + data.length + "]";
        }
    }

    record SynStream(int streamId, int associatedToStreamId, int priority, int slot, int flags, Map<String, String> headers)
            implements SpdyFrame {
        public SynStream {
            headers = copy(headers);
        }
    }

    record SynReply(int streamId, int flags, Map<String, String> headers) implements SpdyFrame {
        public SynReply {
            headers = copy(headers);
        }
    }

    record RstStream(int streamId, int status) implements SpdyFrame {}

    /** One SETTINGS entry: the flag byte and the 24-bit id share a word on the wire. */
    record Setting(int flags, int id, int value) {}

    record Settings(int flags, java.util.List<Setting> entries) implements SpdyFrame {
        public Settings {
            entries = java.util.List.copyOf(entries);
        }
    }

    record Ping(int id) implements SpdyFrame {}

    record GoAway(int lastGoodStreamId, int status) implements SpdyFrame {}

    record Headers(int streamId, int flags, Map<String, String> headers) implements SpdyFrame {
        public Headers {
            headers = copy(headers);
        }
    }

    record WindowUpdate(int streamId, int deltaWindowSize) implements SpdyFrame {}

    private static Map<String, String> copy(Map<String, String> headers) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
}
