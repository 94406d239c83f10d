package io.kubenetlab.api.stream;

import java.util.List;

/**
 * The Kubernetes WebSocket sub-protocols for exec, attach and port-forward: each binary message starts
 * with its channel's number (stdin 0, stdout 1, stderr 2, error 3, resize 4); v5 adds a close message
 * (channel 255, then the channel that closes: kubectl half-closes stdin with it).
 * Upstream: k8s.io/apimachinery/pkg/util/remotecommand/constants.go, httpstream/wsstream/conn.go.
 */
public final class ChannelProtocol {
    public static final String V5 = "v5.channel.k8s.io";
    public static final String V4 = "v4.channel.k8s.io";
    /** kubectl 1.31+'s port-forward: SPDY/3.1 carried in the WebSocket's binary messages. */
    public static final String SPDY_PORT_FORWARD = "SPDY/3.1+portforward.k8s.io";

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;
    static final int CLOSE = 255;

    private ChannelProtocol() {}

    /** The first of the client's protocols (its order of preference) that we speak, or null. */
    public static String choose(List<String> offered, List<String> spoken) {
        for (String p : offered) if (spoken.contains(p.trim())) return p.trim();
        return null;
    }
}
