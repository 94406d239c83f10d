package io.kubenetlab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kubenetlab.k8s.Probe.HttpHeader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket checks against local servers (this thread's namespace: no root needed). */
class NetChecksTest {
    HttpServer server;
    final AtomicReference<String> agent = new AtomicReference<>();
    final AtomicReference<String> custom = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            agent.set(ex.getRequestHeaders().getFirst("User-Agent"));
            custom.set(ex.getRequestHeaders().getFirst("X-Probe"));
            int code = switch (ex.getRequestURI().getPath()) {
                case "/healthz" -> 200;
                case "/moved" -> 302;
                case "/slow" -> {
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    yield 200;
                }
                default -> 404;
            };
            ex.sendResponseHeaders(code, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Test
    void httpSucceedsFrom200To399WithKubeletsHeaders() {
        Duration t = Duration.ofSeconds(1);
        assertThat(NetChecks.http("127.0.0.1", port(), "/healthz", List.of(new HttpHeader("X-Probe", "yes")), t)).isEqualTo(ProbeOutcome.ok());
        assertThat(agent.get()).isEqualTo("kube-probe/1.31");
        assertThat(custom.get()).isEqualTo("yes");
        assertThat(NetChecks.http("127.0.0.1", port(), "/moved", List.of(), t).success()).isTrue();
        assertThat(NetChecks.http("127.0.0.1", port(), "/gone", List.of(), t))
                .isEqualTo(ProbeOutcome.failed("HTTP probe failed with statuscode: 404"));
    }

    @Test
    void httpTimesOutAtTheProbesTimeout() {
        long t0 = System.nanoTime();
        ProbeOutcome o = NetChecks.http("127.0.0.1", port(), "/slow", List.of(), Duration.ofMillis(300));
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_500);
        assertThat(o.output()).isEqualTo("Get \"http://127.0.0.1:" + port() + "/slow\": context deadline exceeded "
                + "(Client.Timeout exceeded while awaiting headers)");
    }

    @Test
    void refusedConnectionsAreWordedLikeGo() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(NetChecks.tcp("127.0.0.1", closed, Duration.ofSeconds(1)))
                .isEqualTo(ProbeOutcome.failed("dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
        assertThat(NetChecks.http("127.0.0.1", closed, "/", List.of(), Duration.ofSeconds(1)).output())
                .isEqualTo("Get \"http://127.0.0.1:" + closed + "/\": dial tcp 127.0.0.1:" + closed + ": connect: connection refused");
        assertThat(NetChecks.tcp("127.0.0.1", port(), Duration.ofSeconds(1))).isEqualTo(ProbeOutcome.ok());
    }
}
