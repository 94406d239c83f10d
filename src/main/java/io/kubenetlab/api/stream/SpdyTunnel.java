package io.kubenetlab.api.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * kubectl 1.31+'s port-forward: a SPDY/3.1 connection whose bytes ride in the WebSocket's binary
 * messages, with no framing of their own (client-go tools/portforward/tunneling_connection.go), served
 * by {@link PortForwardSession} as kubelet serves a SPDY port-forward.
 */
public final class SpdyTunnel implements Session.Listener.AutoDemanding {
    /**
     * The messages as one byte stream, bounded as a SPDY stream's input is: a client that sends faster than
     * the pod reads waits in Jetty's read, not in our memory.
     */
    private final StreamInput incoming = new StreamInput();
    private final PortForwardSession.Connector connector;
    private final String pod;

    public SpdyTunnel(PortForwardSession.Connector connector, String pod) {
        this.connector = connector;
        this.pod = pod;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        WsSender sender = new WsSender(session);
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) sender.send(-1, b, off, len);
            }
        };
        Thread t = new Thread(() -> {
            try {
                PortForwardSession.serve(incoming, out, connector, pod, "");
            } catch (IOException ignored) {
                // the client went away
            } finally {
                incoming.close(); // nobody reads any more: a message still arriving must not wait
                sender.close("");
            }
        }, "kubenetlab-spdy-tunnel");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            byte[] data = new byte[payload.remaining()];
            payload.get(data);
            incoming.offer(data);
            callback.succeed();
        } catch (java.io.InterruptedIOException e) {
            callback.fail(e);
        }
    }

    /** The client closed: what it sent is still read, then end of file. */
    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        incoming.finish();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        incoming.close();
    }
}
