package io.kubenetlab.api.stream;

/**
 * The port-forward stream headers (k8s.io/api core/v1 types.go: StreamType, PortHeader, PortForwardRequestIDHeader),
 * as SPDY carries them: lower-case.
 */
final class StreamHeaders {
    static final String STREAM_TYPE = "streamtype";
    static final String PORT = "port";
    static final String REQUEST_ID = "requestid";
    static final String ERROR = "error";
    static final String DATA = "data";

    private StreamHeaders() {}
}
