package io.kubenetlab.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kubenetlab.graph.GraphBuilderTest;
import io.kubenetlab.graph.GraphInputs;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ui's server side on plain HTTP (the controller serves it on its HTTPS API server): token, page, long-poll. */
class UiHandlerTest {
    static final String TOKEN = "0123abcd";
    final AtomicLong rv = new AtomicLong(1);
    final AtomicReference<GraphInputs> inputs = new AtomicReference<>(GraphBuilderTest.article(Map.of()));
    final HttpClient client = HttpClient.newHttpClient();
    HttpServer server;
    String base;

    @BeforeEach
    void start() throws Exception {
        // A stand-in for Graphviz: the page only needs the vertices' ids in an <svg>.
        LiveGraph live = new LiveGraph(inputs::get, rv::get, dot -> "<?xml version=\"1.0\"?>\n<svg><text>" + dot.length() + "</text></svg>");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext(UiHandler.PATH, new UiHandler(TOKEN, live));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (cookie != null) b.header("Cookie", cookie);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutTheUiTokenNothingIsServed() throws Exception {
        assertThat(get("/ui/", null).statusCode()).isEqualTo(401);
        assertThat(get("/ui/?token=wrong", null).statusCode()).isEqualTo(401);
        assertThat(get("/ui/graph.json", "kubenetlab-ui=wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void thePageSetsAnHttpOnlyCookieThatThenStandsForTheToken() throws Exception {
        HttpResponse<String> page = get("/ui/?token=" + TOKEN, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Set-Cookie")).hasValue("kubenetlab-ui=" + TOKEN + "; Path=/ui; Secure; HttpOnly; SameSite=Strict");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.body()).contains("window.KNL_DATA = null;", "function render(view)", "#panels", "panel-details")
                .doesNotContain("/*KNL_JS*/", "/*KNL_CSS*/");
        HttpResponse<String> json = get("/ui/graph.json", "kubenetlab-ui=" + TOKEN);
        assertThat(json.statusCode()).isEqualTo(200);
        JsonNode view = new ObjectMapper().readTree(json.body());
        assertThat(view.path("svg").asText()).startsWith("<svg>");
        assertThat(view.path("graph").path("lab").asText()).isEqualTo("i14g-unit");
        assertThat(view.path("graph").path("vertices").findValuesAsText("name")).contains("node1", "node2", "service-test", "lb");
        assertThat(get("/ui/nothing?token=" + TOKEN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theLongPollAnswersAsSoonAsTheDrawingChanges() throws Exception {
        String first = new ObjectMapper().readTree(get("/ui/graph.json?token=" + TOKEN, null).body()).path("version").asText();
        // The API's resourceVersion moves without a visible change (an event): the poll keeps waiting.
        var pending = client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/ui/graph.json?token=" + TOKEN + "&since=" + first)).build(),
                HttpResponse.BodyHandlers.ofString());
        rv.incrementAndGet();
        Thread.sleep(400);
        assertThat(pending).isNotDone();
        // A pod goes: the drawing changes, the poll answers within a check or two.
        GraphInputs in = inputs.get();
        long t0 = System.nanoTime();
        inputs.set(new GraphInputs(in.lab(), in.topology(), in.pods().subList(1, in.pods().size()), in.services(), in.endpoints(), Map.of()));
        rv.incrementAndGet();
        JsonNode view = new ObjectMapper().readTree(pending.get(5, java.util.concurrent.TimeUnit.SECONDS).body());
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
        assertThat(view.path("version").asText()).isNotEqualTo(first);
        assertThat(view.path("graph").path("vertices").size()).isEqualTo(GraphBuilderTest.G.vertices().size() - 1);
    }

    @Test
    void aSnapshotPageCarriesItsDrawingSafelyInsideItsScript() {
        String page = UiPage.snapshot(new LiveGraph.View("v1", "<svg><text>a</text></svg>",
                io.kubenetlab.graph.GraphJson.tree(GraphBuilderTest.G)));
        assertThat(page).contains("window.KNL_DATA = {\"version\":\"v1\",\"svg\":\"<svg><text>a<\\/text><\\/svg>\"");
        assertThat(page.indexOf("</script>")).isGreaterThan(page.indexOf("window.KNL_DATA"));
    }
}
