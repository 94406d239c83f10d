package io.kubenetlab.api.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * kubectl 1.31+'s port-forward: a SPDY/3.1 connection whose bytes ride in the WebSocket's binary
 * messages, with no framing of their own (client-go tools/portforward/tunneling_connection.go), served
 * by {@link PortForwardSession} as kubelet serves a SPDY port-forward.
 */
public final class SpdyTunnel implements Session.Listener.AutoDemanding {
    private static final byte[] END = new byte[0];

    /** Bounded: a client that sends faster than the pod reads waits in Jetty's read, not in our memory. */
    private final BlockingQueue<byte[]> incoming = new ArrayBlockingQueue<>(64);
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
                PortForwardSession.serve(new QueueInput(), out, connector, pod, "");
            } catch (IOException ignored) {
                // the client went away
            } finally {
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
            if (data.length > 0) incoming.put(data);
            callback.succeed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.fail(e);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        end();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        end();
    }

    private void end() {
        incoming.clear();
        incoming.offer(END);
    }

    /** The messages as one byte stream; end of file once the WebSocket closes. */
    private final class QueueInput extends InputStream {
        private byte[] current = new byte[0];
        private int pos;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (pos == current.length) {
                if (current == END) return -1;
                try {
                    current = incoming.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
                pos = 0;
                if (current == END) {
                    incoming.offer(END);
                    return -1;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
