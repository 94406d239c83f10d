package io.kubenetlab.api.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * kubelet's port-forward server over one {@link SpdySession} (pkg/kubelet/cri/streaming/portforward/httpstream.go).
 * kubectl opens, per forwarded TCP connection, an "error" stream and then a "data" stream carrying the same
 * {@code port} and {@code requestID} headers (client-go tools/portforward/portforward.go handleConnection). Each
 * stream is answered at once, before its pair is complete: kubectl waits for the error stream's SYN_REPLY before
 * it opens the data stream. A complete pair connects to the port and copies both ways; a failed connection writes
 * kubelet's message on the error stream, which kubectl prints and then drops the whole port-forward.
 */
public final class PortForwardSession implements Consumer<SpdyStream>, AutoCloseable {
    /** Opens the TCP connection to a port of the pod, e.g. inside its network namespace. */
    @FunctionalInterface
    public interface Connector {
        Socket connect(int port) throws IOException;
    }

    /** kubelet's default stream creation timeout (streaming.DefaultConfig). */
    public static final Duration DEFAULT_STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

    static final String THREAD_PREFIX = "spdy-portforward-";
    private static final AtomicInteger SESSIONS = new AtomicInteger();
    private static final int COPY_BUFFER = 32 * 1024;

    private final Connector connector;
    private final String podName;
    private final String podUid;
    private final Duration streamCreationTimeout;
    private final String name = "portforward-" + SESSIONS.incrementAndGet();
    private final Map<String, Pair> pairs = new HashMap<>(); // guarded by itself
    private final Set<Pair> active = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    public PortForwardSession(Connector connector, String podName, String podUid) {
        this(connector, podName, podUid, DEFAULT_STREAM_CREATION_TIMEOUT);
    }

    public PortForwardSession(Connector connector, String podName, String podUid, Duration streamCreationTimeout) {
        this.connector = connector;
        this.podName = podName;
        this.podUid = podUid == null ? "" : podUid;
        this.streamCreationTimeout = streamCreationTimeout;
        this.workers = Executors.newCachedThreadPool(threads(name + "-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(threads(name + "-timer-"));
    }

    /**
     * Serves port-forward on one upgraded connection until the client goes away, then frees every stream, socket
     * and thread.
     */
    public static void serve(InputStream in, OutputStream out, Connector connector, String podName, String podUid) throws IOException {
        try (PortForwardSession forward = new PortForwardSession(connector, podName, podUid);
                SpdySession session = new SpdySession(in, out, forward)) {
            session.run();
        }
    }

    /** The stream handler: runs on the session's reading thread, so it only replies, pairs and hands off. */
    @Override
    public void accept(SpdyStream stream) {
        try {
            String rejected = validate(stream.headers());
            if (rejected != null || closed) {
                // kubelet rejects with stream.Reset(): RST_STREAM CANCEL and no reply; kubectl reports "Stream reset".
                stream.reset(SpdyFrame.CANCEL);
                return;
            }
            stream.reply();
            boolean error = StreamHeaders.ERROR.equals(stream.headers().get(StreamHeaders.STREAM_TYPE));
            if (error) stream.dropInput(); // kubectl never writes on it (it sends FIN at once); never read
            String requestId = requestId(stream);
            Pair pair;
            boolean created = false;
            synchronized (pairs) {
                pair = pairs.get(requestId);
                if (pair == null) {
                    pair = new Pair(requestId);
                    pairs.put(requestId, pair);
                    created = true;
                }
            }
            if (created) {
                Pair p = pair;
                timer.schedule(() -> timedOut(p), streamCreationTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            String problem = pair.add(stream, error);
            if (problem != null) {
                pair.printError("error processing stream for request " + requestId + ": " + problem);
            } else if (pair.complete()) {
                removePair(pair);
                Pair p = pair;
                active.add(p);
                workers.execute(() -> forward(p));
            }
        } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
            // The session is broken or closing; its close resets what is left.
        }
    }

    /** kubelet's httpStreamReceived checks; the message only goes to kubelet's log there. */
    static String validate(Map<String, String> headers) {
        String port = headers.get(StreamHeaders.PORT);
        if (port == null || port.isEmpty()) return "\"port\" header is required";
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return "unable to parse \"" + port + "\" as a port";
        }
        if (value < 1 || value > 65535) return "port \"" + port + "\" must be > 0 and fit 16 bits";
        String type = headers.get(StreamHeaders.STREAM_TYPE);
        if (type == null || type.isEmpty()) return "\"streamType\" header is required";
        if (!type.equals(StreamHeaders.ERROR) && !type.equals(StreamHeaders.DATA)) return "invalid stream type \"" + type + "\"";
        return null;
    }

    /** The requestID header; kubelet's fallback for clients without it: the error stream's id (data's id - 2). */
    static String requestId(SpdyStream stream) {
        String id = stream.headers().get(StreamHeaders.REQUEST_ID);
        if (id != null && !id.isEmpty()) return id;
        boolean data = StreamHeaders.DATA.equals(stream.headers().get(StreamHeaders.STREAM_TYPE));
        return Integer.toString(data ? stream.id() - 2 : stream.id());
    }

    /**
     * kubelet writes "(conn=%v, request=%s) timed out waiting for streams" on the error stream if it has one. We also
     * send FIN on it, so a client reading it to EOF is not left waiting.
     */
    private void timedOut(Pair pair) {
        boolean pending;
        synchronized (pairs) {
            pending = pairs.remove(pair.requestId, pair);
        }
        if (!pending) return;
        pair.printError("(conn=" + name + ", request=" + pair.requestId + ") timed out waiting for streams");
        pair.closeError();
    }

    private void removePair(Pair pair) {
        synchronized (pairs) {
            pairs.remove(pair.requestId, pair);
        }
    }

    /** kubelet's portForward: forward, then close the error stream and the data stream (in that order). */
    private void forward(Pair pair) {
        int port = Integer.parseInt(pair.data.headers().get(StreamHeaders.PORT));
        try {
            Socket socket;
            try {
                socket = connector.connect(port);
            } catch (IOException | RuntimeException e) {
                String detail = e.getMessage() == null ? e.toString() : e.getMessage();
                // httpstream.go portForward: fmt.Errorf("error forwarding port %d to pod %s, uid %v: %v", ...)
                pair.printError("error forwarding port " + port + " to pod " + podName + ", uid " + podUid + ": " + detail);
                return;
            }
            pair.socket = socket;
            if (closed) return;
            new Forwarding(pair.data, socket, workers).run();
        } finally {
            pair.closeSocket();
            pair.closeError();
            try {
                pair.data.output().close();
            } catch (IOException e) {
                // the session is gone
            }
            pair.data.dropInput();
            active.remove(pair);
        }
    }

    /** Stops every forwarded connection and the threads; the SPDY session is closed by its owner. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        for (Pair p : active) {
            p.closeSocket();
            p.data.dropInput();
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, THREAD_PREFIX + prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The error and data streams of one forwarded connection (httpstream.go httpStreamPair). */
    private static final class Pair {
        final String requestId;
        SpdyStream error; // guarded by this
        SpdyStream data; // guarded by this until complete; then read by the forwarding thread only
        volatile Socket socket;

        Pair(String requestId) {
            this.requestId = requestId;
        }

        /** An error text if that type is already assigned, else null. */
        synchronized String add(SpdyStream stream, boolean isError) {
            if (isError) {
                if (error != null) return "error stream already assigned";
                error = stream;
            } else {
                if (data != null) return "data stream already assigned";
                data = stream;
            }
            return null;
        }

        synchronized boolean complete() {
            return error != null && data != null;
        }

        /** kubelet's printError: fmt.Fprint(errorStream, s), one write, no newline. */
        void printError(String message) {
            SpdyStream e;
            synchronized (this) {
                e = error;
            }
            if (e == null) return;
            try {
                e.output().write(message.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the client is gone
            }
        }

        void closeError() {
            SpdyStream e;
            synchronized (this) {
                e = error;
            }
            if (e == null) return;
            try {
                e.output().close();
            } catch (IOException ignored) {
                // the client is gone
            }
        }

        void closeSocket() {
            Socket s = socket;
            if (s == null) return;
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * Copies one connection both ways with TCP half-close: the client's FIN on the data stream shuts the socket's
     * output; the socket's EOF sends FIN on the data stream (kubectl then resets the stream, which ends the other
     * direction). Returns when both directions are done. Unlike containerd's forwarder, a copy error is not written
     * on the error stream: kubectl would drop the whole port-forward for one reset connection.
     */
    private static final class Forwarding {
        private final SpdyStream data;
        private final Socket socket;
        private final ExecutorService workers;

        Forwarding(SpdyStream data, Socket socket, ExecutorService workers) {
            this.data = data;
            this.socket = socket;
            this.workers = workers;
        }

        void run() {
            java.util.concurrent.Future<?> toPod = workers.submit(this::clientToPod);
            podToClient();
            try {
                toPod.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // clientToPod handles its own errors
            }
        }

        private void clientToPod() {
            byte[] buffer = new byte[COPY_BUFFER];
            try {
                InputStream from = data.input();
                OutputStream to = socket.getOutputStream();
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    to.write(buffer, 0, n);
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                // The pod side closed (or the session ended): take no more from the client.
                data.dropInput();
            }
        }

        private void podToClient() {
            byte[] buffer = new byte[COPY_BUFFER];
            try {
                InputStream from = socket.getInputStream();
                OutputStream to = data.output();
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    to.write(buffer, 0, n);
                }
                to.close();
            } catch (IOException e) {
                // The client reset the stream or the socket failed: stop both directions.
                data.dropInput();
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
