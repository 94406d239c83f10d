package io.kubenetlab.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** kubelet's stream checks and pairing keys (httpstream.go httpStreamReceived, requestID); the wire is in SpdySessionTest. */
class PortForwardSessionTest {
    @Test
    void streamsNeedAPortAndAKnownType() {
        assertThat(PortForwardSession.validate(Map.of("streamtype", "data", "port", "8080"))).isNull();
        assertThat(PortForwardSession.validate(Map.of("streamtype", "error", "port", "1"))).isNull();
        assertThat(PortForwardSession.validate(Map.of("streamtype", "data"))).isEqualTo("\"port\" header is required");
        assertThat(PortForwardSession.validate(Map.of("streamtype", "data", "port", "http"))).startsWith("unable to parse \"http\" as a port");
        assertThat(PortForwardSession.validate(Map.of("streamtype", "data", "port", "0"))).startsWith("port \"0\" must be > 0");
        assertThat(PortForwardSession.validate(Map.of("streamtype", "data", "port", "65536"))).isNotNull();
        assertThat(PortForwardSession.validate(Map.of("port", "80"))).isEqualTo("\"streamType\" header is required");
        assertThat(PortForwardSession.validate(Map.of("streamtype", "stdin", "port", "80"))).isEqualTo("invalid stream type \"stdin\"");
    }

    @Test
    void pairsByRequestIdOrByStreamIdForOldClients() {
        assertThat(PortForwardSession.requestId(stream(5, Map.of("streamtype", "data", "requestid", "12")))).isEqualTo("12");
        // Old clients send no requestID: kubelet pairs error stream n with data stream n + 2.
        assertThat(PortForwardSession.requestId(stream(1, Map.of("streamtype", "error")))).isEqualTo("1");
        assertThat(PortForwardSession.requestId(stream(3, Map.of("streamtype", "data")))).isEqualTo("1");
    }

    private static SpdyStream stream(int id, Map<String, String> headers) {
        return new SpdyStream(null, id, headers, false);
    }
}
