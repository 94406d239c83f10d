package io.kubenetlab.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A kubectl-like client against the SPDY port-forward server, all on loopback with ephemeral ports. */
@Timeout(60)
class SpdySessionTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private ServerSocket echo;
    private ServerSocket spdy;
    private Future<?> serving;
    private final List<Socket> serverSockets = new ArrayList<>();

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = loopbackServer();
        pool.execute(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    pool.execute(() -> echo(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Echoes until EOF, then half-closes: exercises both directions of the half-close. */
    private static void echo(Socket s) {
        try (s) {
            s.getInputStream().transferTo(s.getOutputStream());
            s.shutdownOutput();
        } catch (IOException e) {
            // test ended
        }
    }

    @AfterEach
    void stop() throws Exception {
        echo.close();
        if (spdy != null) spdy.close();
        for (Socket s : serverSockets) s.close();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Serves one SPDY connection with PortForwardSession.serve, as the API server would after the upgrade. */
    private int startServer(Duration pairTimeout) throws IOException {
        spdy = loopbackServer();
        serving = pool.submit(() -> {
            Socket s = spdy.accept();
            synchronized (serverSockets) {
                serverSockets.add(s);
            }
            PortForwardSession.Connector connector = port -> new Socket(InetAddress.getLoopbackAddress(), port);
            try (PortForwardSession forward = new PortForwardSession(connector, "mypod", "uid-1", pairTimeout);
                    SpdySession session = new SpdySession(s.getInputStream(), s.getOutputStream(), forward)) {
                session.run();
            }
            return null;
        });
        return spdy.getLocalPort();
    }

    @Test
    void forwardsOneMebibyteAndBackExactly() throws Exception {
        try (SpdyTestClient client = new SpdyTestClient(startServer(Duration.ofSeconds(30)))) {
            byte[] payload = new byte[1 << 20];
            new Random(7).nextBytes(payload);
            SpdyTestClient.Stream[] streams = client.forward(echo.getLocalPort(), 0);
            Future<byte[]> back = pool.submit(streams[1]::readToEnd);
            streams[1].write(payload);
            streams[1].fin();
            assertThat(back.get(20, TimeUnit.SECONDS)).isEqualTo(payload);
            streams[1].cancel(); // kubectl resets the data stream once the remote side is done
            assertThat(streams[0].readToEnd()).isEmpty(); // then waits for the error stream's FIN: no error
            assertThat(streams[0].reset).isFalse();
        }
    }

    @Test
    void pingsAreEchoed() throws Exception {
        try (SpdyTestClient client = new SpdyTestClient(startServer(Duration.ofSeconds(30)))) {
            client.send(new SpdyFrame.Ping(1));
            client.send(new SpdyFrame.Settings(0, List.of(new SpdyFrame.Setting(0, 7, 1 << 20))));
            client.send(new SpdyFrame.WindowUpdate(1, 1000));
            client.send(new SpdyFrame.Ping(3));
            assertThat(client.nextConnectionFrame()).isEqualTo(new SpdyFrame.Ping(1));
            assertThat(client.nextConnectionFrame()).isEqualTo(new SpdyFrame.Ping(3));
        }
    }

    @Test
    void aRefusedConnectionWritesKubeletsErrorOnTheErrorStream() throws Exception {
        int closedPort;
        try (ServerSocket s = loopbackServer()) {
            closedPort = s.getLocalPort();
        }
        try (SpdyTestClient client = new SpdyTestClient(startServer(Duration.ofSeconds(30)))) {
            SpdyTestClient.Stream[] streams = client.forward(closedPort, 0);
            String error = new String(streams[0].readToEnd(), StandardCharsets.UTF_8);
            assertThat(error).startsWith("error forwarding port " + closedPort + " to pod mypod, uid uid-1: ").containsIgnoringCase("refused");
            assertThat(streams[1].readToEnd()).isEmpty(); // data stream: FIN, after the error stream's
        }
    }

    @Test
    void concurrentForwardedConnectionsKeepTheirBytesApart() throws Exception {
        try (SpdyTestClient client = new SpdyTestClient(startServer(Duration.ofSeconds(30)))) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int requestId = i;
                results.add(pool.submit(() -> {
                    byte[] payload = new byte[200_000 + requestId];
                    new Random(requestId).nextBytes(payload);
                    SpdyTestClient.Stream[] streams = client.forward(echo.getLocalPort(), requestId);
                    Future<byte[]> back = pool.submit(streams[1]::readToEnd);
                    streams[1].write(payload);
                    streams[1].fin();
                    boolean same = java.util.Arrays.equals(back.get(20, TimeUnit.SECONDS), payload);
                    streams[1].cancel();
                    return same && streams[0].readToEnd().length == 0;
                }));
            }
            for (Future<Boolean> r : results) assertThat(r.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void halfCloseFromThePodReachesTheClientFirst() throws Exception {
        // A server that speaks first and closes: the client sees data then FIN without having sent anything.
        try (ServerSocket greeter = loopbackServer(); SpdyTestClient client = new SpdyTestClient(startServer(Duration.ofSeconds(30)))) {
            pool.execute(() -> {
                try (Socket s = greeter.accept()) {
                    s.getOutputStream().write("hello\n".getBytes());
                } catch (IOException e) {
                    // test ended
                }
            });
            SpdyTestClient.Stream[] streams = client.forward(greeter.getLocalPort(), 0);
            assertThat(new String(streams[1].readToEnd(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
            streams[1].cancel();
            assertThat(streams[0].readToEnd()).isEmpty();
        }
    }

    @Test
    void invalidStreamsAreResetWithoutReply() throws Exception {
        try (SpdyTestClient client = new SpdyTestClient(startServer(Duration.ofSeconds(30)))) {
            SpdyTestClient.Stream noPort = client.open(Map.of("streamtype", "data", "requestid", "0"));
            assertThat(noPort.next()).isEqualTo(new SpdyFrame.RstStream(noPort.id, SpdyFrame.CANCEL));
            SpdyTestClient.Stream badType = client.open(Map.of("streamtype", "stdin", "port", "80", "requestid", "0"));
            assertThat(badType.next()).isEqualTo(new SpdyFrame.RstStream(badType.id, SpdyFrame.CANCEL));
            // Stream ids must increase: an old id is refused with PROTOCOL_ERROR.
            client.send(new SpdyFrame.SynStream(noPort.id, 0, 0, 0, 0, Map.of("streamtype", "error", "port", "80", "requestid", "9")));
            assertThat(noPort.next()).isEqualTo(new SpdyFrame.RstStream(noPort.id, SpdyFrame.PROTOCOL_ERROR));
            // The session goes on: a valid pair still works.
            SpdyTestClient.Stream[] streams = client.forward(echo.getLocalPort(), 1);
            streams[1].write("x".getBytes());
            assertThat(streams[1].next()).isEqualTo(new SpdyFrame.Data(streams[1].id, 0, "x".getBytes()));
        }
    }

    @Test
    void aLonelyErrorStreamTimesOutAsInKubelet() throws Exception {
        try (SpdyTestClient client = new SpdyTestClient(startServer(Duration.ofMillis(200)))) {
            SpdyTestClient.Stream error = client.open(Map.of("streamtype", "error", "port", "80", "requestid", "7"));
            error.awaitReply();
            assertThat(new String(error.readToEnd(), StandardCharsets.UTF_8)).matches("\\(conn=portforward-\\d+, request=7\\) timed out waiting for streams");
        }
    }

    @Test
    void closingTheSessionSendsGoAwayAndEndsEveryThread() throws Exception {
        try (ServerSocket silent = loopbackServer()) {
            List<Socket> held = new ArrayList<>();
            pool.execute(() -> {
                try {
                    while (true) held.add(silent.accept()); // accepts and never answers nor closes
                } catch (IOException e) {
                    // closed
                }
            });
            SpdyTestClient client = new SpdyTestClient(startServer(Duration.ofSeconds(30)));
            SpdyTestClient.Stream[] a = client.forward(silent.getLocalPort(), 0);
            SpdyTestClient.Stream[] b = client.forward(echo.getLocalPort(), 1);
            b[1].write("ping".getBytes());
            assertThat(b[1].next()).isEqualTo(new SpdyFrame.Data(b[1].id, 0, "ping".getBytes()));
            assertThat(forwardingThreads()).isNotEmpty();

            client.send(new SpdyFrame.GoAway(0, SpdyFrame.GOAWAY_OK)); // the client goes away mid-connection
            serving.get(20, TimeUnit.SECONDS);
            // The server reset the unfinished streams on its way out.
            assertThat(a[1].readToEnd()).isEmpty();
            assertThat(a[1].reset).isTrue();
            client.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!forwardingThreads().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(forwardingThreads()).isEmpty();
            for (Socket s : held) s.close();
        }
    }

    @Test
    void closeSendsGoAwayWithTheLastStreamId() throws Exception {
        try (ServerSocket raw = loopbackServer(); Socket clientSide = new Socket(InetAddress.getLoopbackAddress(), raw.getLocalPort());
                Socket serverSide = raw.accept()) {
            List<SpdyStream> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            SpdySession session = new SpdySession(serverSide.getInputStream(), serverSide.getOutputStream(), seen::add);
            Future<?> running = pool.submit(() -> {
                session.run();
                return null;
            });
            SpdyFrameWriter writer = new SpdyFrameWriter(clientSide.getOutputStream());
            writer.write(new SpdyFrame.SynStream(1, 0, 0, 0, 0, Map.of("a", "b")));
            writer.write(new SpdyFrame.SynStream(3, 0, 0, 0, SpdyFrame.FLAG_FIN, Map.of()));
            SpdyFrameReader reader = new SpdyFrameReader(clientSide.getInputStream());
            while (seen.size() < 2) Thread.sleep(5);
            seen.get(0).reply();
            OutputStream out = seen.get(0).output();
            out.write(new byte[70_000]); // more than one frame
            assertThat(reader.read()).isEqualTo(new SpdyFrame.SynReply(1, 0, Map.of()));
            assertThat(reader.read()).isEqualTo(new SpdyFrame.Data(1, 0, new byte[SpdyStream.MAX_FRAME_PAYLOAD]));
            assertThat(reader.read()).isEqualTo(new SpdyFrame.Data(1, 0, new byte[SpdyStream.MAX_FRAME_PAYLOAD]));
            assertThat(reader.read()).isEqualTo(new SpdyFrame.Data(1, 0, new byte[70_000 - 2 * SpdyStream.MAX_FRAME_PAYLOAD]));
            InputStream in3 = seen.get(1).input();
            assertThat(in3.read()).isEqualTo(-1); // FIN on SYN_STREAM: no input
            session.close();
            assertThat(reader.read()).isEqualTo(new SpdyFrame.RstStream(1, SpdyFrame.CANCEL));
            assertThat(reader.read()).isEqualTo(new SpdyFrame.RstStream(3, SpdyFrame.CANCEL));
            assertThat(reader.read()).isEqualTo(new SpdyFrame.GoAway(3, SpdyFrame.GOAWAY_OK));
            assertThat(reader.read()).isNull();
            running.get(10, TimeUnit.SECONDS);
            assertThat(session.openStreams()).isZero();
        }
    }

    private static List<Thread> forwardingThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith(PortForwardSession.THREAD_PREFIX)).toList();
    }

    private static ServerSocket loopbackServer() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return s;
    }
}
