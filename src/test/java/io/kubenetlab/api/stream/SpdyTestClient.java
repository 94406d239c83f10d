package io.kubenetlab.api.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SPDY client the way kubectl drives spdystream: odd stream ids, SYN_STREAM with headers, waits for SYN_REPLY,
 * DATA frames of at most 32 KiB, FIN by an empty DATA frame, RST_STREAM CANCEL on reset. Test code only.
 */
final class SpdyTestClient implements AutoCloseable {
    static final long WAIT_S = 20;

    private final Socket socket;
    private final SpdyFrameWriter writer;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, BlockingQueue<SpdyFrame>> byStream = new ConcurrentHashMap<>();
    final BlockingQueue<SpdyFrame> connectionFrames = new LinkedBlockingQueue<>();
    private final Thread reader;

    SpdyTestClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        writer = new SpdyFrameWriter(socket.getOutputStream());
        SpdyFrameReader frames = new SpdyFrameReader(socket.getInputStream());
        reader = new Thread(() -> {
            try {
                SpdyFrame f;
                while ((f = frames.read()) != null) route(f);
            } catch (IOException e) {
                // socket closed
            } finally {
                connectionFrames.add(new SpdyFrame.GoAway(-1, -1)); // marks EOF
            }
        }, "spdy-test-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void route(SpdyFrame f) {
        int id = f instanceof SpdyFrame.Data d ? d.streamId()
                : f instanceof SpdyFrame.SynReply r ? r.streamId()
                : f instanceof SpdyFrame.RstStream r ? r.streamId()
                : 0;
        if (id == 0) connectionFrames.add(f);
        else queue(id).add(f);
    }

    private BlockingQueue<SpdyFrame> queue(int id) {
        return byStream.computeIfAbsent(id, k -> new LinkedBlockingQueue<>());
    }

    void send(SpdyFrame f) throws IOException {
        writer.write(f);
    }

    /** SYN_STREAM; ids are taken and sent under one lock so they increase on the wire, as spdystream requires. */
    Stream open(Map<String, String> headers) throws IOException {
        synchronized (nextId) {
            int id = nextId.getAndAdd(2);
            queue(id);
            send(new SpdyFrame.SynStream(id, 0, 0, 0, 0, headers));
            return new Stream(id);
        }
    }

    /** kubectl's two streams for one forwarded connection, opened in its order: error (then FIN on it), then data. */
    Stream[] forward(int port, int requestId) throws IOException, InterruptedException {
        Stream error = open(Map.of("streamtype", "error", "port", Integer.toString(port), "requestid", Integer.toString(requestId)));
        error.awaitReply();
        error.fin();
        Stream data = open(Map.of("streamtype", "data", "port", Integer.toString(port), "requestid", Integer.toString(requestId)));
        data.awaitReply();
        return new Stream[] {error, data};
    }

    SpdyFrame nextConnectionFrame() throws InterruptedException {
        return connectionFrames.poll(WAIT_S, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    final class Stream {
        final int id;
        boolean reset;

        Stream(int id) {
            this.id = id;
        }

        SpdyFrame next() throws InterruptedException {
            SpdyFrame f = queue(id).poll(WAIT_S, TimeUnit.SECONDS);
            if (f == null) throw new AssertionError("no frame on stream " + id + " within " + WAIT_S + " s");
            return f;
        }

        void awaitReply() throws InterruptedException {
            SpdyFrame f = next();
            if (!(f instanceof SpdyFrame.SynReply)) throw new AssertionError("expected SYN_REPLY on " + id + ", got " + f);
        }

        void write(byte[] bytes) throws IOException {
            for (int off = 0; off < bytes.length; off += 32 * 1024) {
                send(new SpdyFrame.Data(id, 0, java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + 32 * 1024))));
            }
        }

        void fin() throws IOException {
            send(new SpdyFrame.Data(id, SpdyFrame.FLAG_FIN, new byte[0]));
        }

        void cancel() throws IOException {
            send(new SpdyFrame.RstStream(id, SpdyFrame.CANCEL));
        }

        /** DATA until FIN; stops early (with reset = true) at RST_STREAM. */
        byte[] readToEnd() throws InterruptedException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                SpdyFrame f = next();
                if (f instanceof SpdyFrame.RstStream) {
                    reset = true;
                    return out.toByteArray();
                }
                if (f instanceof SpdyFrame.Data d) {
                    out.writeBytes(d.data());
                    if (d.fin()) return out.toByteArray();
                }
            }
        }
    }
}
