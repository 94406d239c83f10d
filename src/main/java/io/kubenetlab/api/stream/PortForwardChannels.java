package io.kubenetlab.api.stream;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Port-forward over the channel protocol (what fabric8's portForward speaks): for the i-th port of
 * {@code ?ports=}, data on channel 2i and errors on 2i+1; each channel's first message is its port, two
 * bytes little-endian. One TCP connection into the pod per port, for the WebSocket's life; when the
 * pod's side closes, so does the WebSocket. Upstream: pkg/kubelet/cri/streaming/portforward/websocket.go.
 */
public final class PortForwardChannels implements Session.Listener.AutoDemanding {
    private final List<Integer> ports;
    private final PortForwardSession.Connector connector;
    private final String pod;
    private final Map<Integer, Socket> sockets = new ConcurrentHashMap<>();
    private final Map<Integer, String> errors = new java.util.TreeMap<>();
    private volatile WsSender out;

    public PortForwardChannels(List<Integer> ports, PortForwardSession.Connector connector, String pod) {
        this.ports = ports;
        this.connector = connector;
        this.pod = pod;
        connect();
    }

    @Override
    public void onWebSocketOpen(Session session) {
        out = new WsSender(session);
        Thread t = new Thread(this::forward, "kubenetlab-port-forward");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The connections, made before the upgrade completes: fabric8 sends what its local socket reads as soon
     * as the WebSocket opens, before the port headers, and that must have somewhere to go.
     */
    private void connect() {
        for (int i = 0; i < ports.size(); i++) {
            try {
                sockets.put(i, connector.connect(ports.get(i)));
            } catch (IOException e) {
                // kubelet's wording (portforward/websocket.go, portForward): the client shows it
                errors.put(i, "error forwarding port " + ports.get(i) + " to pod " + pod + ": " + e.getMessage());
            }
        }
    }

    private void forward() {
        try {
            for (int i = 0; i < ports.size(); i++) {
                byte[] port = {(byte) (ports.get(i) & 0xff), (byte) (ports.get(i) >> 8)};
                out.send(2 * i, port);
                out.send(2 * i + 1, port);
            }
            for (var e : errors.entrySet()) out.send(2 * e.getKey() + 1, e.getValue().getBytes(StandardCharsets.UTF_8));
            for (var e : sockets.entrySet()) {
                Thread t = new Thread(() -> copyFromPod(e.getKey(), e.getValue()), "kubenetlab-port-forward-" + ports.get(e.getKey()));
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            closeAll(); // the client left
        }
    }

    private void copyFromPod(int index, Socket s) {
        byte[] buf = new byte[32 * 1024];
        try (InputStream in = s.getInputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (n > 0) out.send(2 * index, buf, 0, n);
            }
        } catch (IOException ignored) {
            // either side went away
        }
        out.close("");
        closeAll();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            if (!payload.hasRemaining()) return;
            int channel = payload.get() & 0xff;
            Socket s = channel % 2 == 0 ? sockets.get(channel / 2) : null;
            if (s == null || !payload.hasRemaining()) return;
            byte[] data = new byte[payload.remaining()];
            payload.get(data);
            s.getOutputStream().write(data);
        } catch (IOException e) {
            closeAll();
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closeAll();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closeAll();
    }

    private void closeAll() {
        for (Socket s : sockets.values()) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }
}
