package io.kubenetlab.healthcheck;

import io.kubenetlab.kubelet.NetnsExecutors;
import io.kubenetlab.proxy.HealthCheckResponse;
import io.kubenetlab.proxy.ServiceHealth;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * kube-proxy's service health server on every node: for each Service with a health check node port, a
 * listening socket on 0.0.0.0:PORT opened inside the node's network namespace (by a thread that joined
 * it, so on both runtimes and without a process), answering as upstream does. The sockets belong to the
 * controller process: they go when it stops, which destroy does first.
 */
public final class ServiceHealthServers implements AutoCloseable {
    private record Key(String node, int port) {}

    /** One node's listener for one Service; the health it answers with is swapped in place on every sync. */
    private final class Listener {
        final ServerSocket socket;
        volatile ServiceHealth health;

        Listener(ServerSocket socket, ServiceHealth health, String name) {
            this.socket = socket;
            this.health = health;
            Thread t = new Thread(this::accept, name);
            t.setDaemon(true);
            t.start();
        }

        void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket c = socket.accept();
                    connections.execute(() -> answer(c, health));
                } catch (IOException e) {
                    if (!socket.isClosed()) log("health check accept: " + e.getMessage());
                }
            }
        }
    }

    /** Go's http.TimeFormat. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

    private final String lab;
    private final NetnsExecutors netns = new NetnsExecutors();
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kubenetlab-health-conn");
        t.setDaemon(true);
        return t;
    });
    private final Map<Key, Listener> listeners = new HashMap<>();

    public ServiceHealthServers(String lab) {
        this.lab = lab;
    }

    /**
     * Every node serves exactly {@code wanted} (by node: its Services' health); new ports are opened,
     * ports no longer wanted closed, counts updated at once. A port that cannot be opened (taken inside
     * the node) is logged and tried again at the next sync, as kube-proxy retries.
     */
    public synchronized void sync(Map<String, Path> nodeNetns, Map<String, List<ServiceHealth>> wanted) {
        Map<Key, ServiceHealth> want = new HashMap<>();
        wanted.forEach((node, list) -> list.forEach(h -> want.put(new Key(node, h.port()), h)));
        listeners.entrySet().removeIf(e -> {
            ServiceHealth w = want.get(e.getKey());
            boolean keep = w != null && sameService(w, e.getValue().health);
            if (!keep) closeQuietly(e.getValue().socket);
            return !keep;
        });
        want.forEach((key, h) -> {
            Listener l = listeners.get(key);
            if (l != null) {
                l.health = h;
                return;
            }
            Path ns = nodeNetns.get(key.node());
            if (ns == null) return;
            try {
                ServerSocket s = netns.of(ns).submit(() -> open(ns, key.port())).get(5, TimeUnit.SECONDS);
                listeners.put(key, new Listener(s, h, "kubenetlab-health-" + lab + "-" + key.node() + "-" + key.port()));
            } catch (Exception e) {
                log("node " + key.node() + " failed to start healthcheck \"" + h.namespace() + "/" + h.name() + "\" on port " + key.port()
                        + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            }
        });
    }

    /** The ports now open, by node (for tests and logs). */
    public synchronized Map<String, List<Integer>> open() {
        Map<String, List<Integer>> out = new HashMap<>();
        listeners.keySet().forEach(k -> out.computeIfAbsent(k.node(), n -> new java.util.ArrayList<>()).add(k.port()));
        return out;
    }

    private static boolean sameService(ServiceHealth a, ServiceHealth b) {
        return a.namespace().equals(b.namespace()) && a.name().equals(b.name());
    }

    /** Runs on a thread inside the node's namespace: the socket is created (and stays) there. */
    private static ServerSocket open(Path ns, int port) throws IOException {
        NetnsCheck.require(ns);
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(port), 64);
        return s;
    }

    /** Any method, any path: upstream's handler does not look at the request. HEAD gets the headers only. */
    static void answer(Socket c, ServiceHealth health) {
        try (c) {
            c.setSoTimeout(2000);
            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
            String requestLine = in.readLine();
            if (requestLine == null) return;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                // headers are read and ignored
            }
            OutputStream out = c.getOutputStream();
            out.write(render(HealthCheckResponse.of(health, true), requestLine.startsWith("HEAD ")).getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // a client that went away: nothing to answer
        }
    }

    /** The HTTP/1.1 response as Go's net/http writes it (plus Connection: close: one answer per connection). */
    static String render(HealthCheckResponse r, boolean head) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ').append(r.reason()).append("\r\n");
        r.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        sb.append("Content-Length: ").append(r.body().getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        sb.append("Connection: close\r\n\r\n");
        if (!head) sb.append(r.body());
        return sb.toString();
    }

    private void log(String message) {
        System.err.println(java.time.Instant.now() + " kube-proxy health check: " + message);
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing: nothing more to do
        }
    }

    @Override
    public synchronized void close() {
        listeners.values().forEach(l -> closeQuietly(l.socket));
        listeners.clear();
        connections.shutdownNow();
        netns.close();
    }
}
