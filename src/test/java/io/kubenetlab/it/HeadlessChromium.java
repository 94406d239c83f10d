package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.store.LabStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium driven over the DevTools protocol (java.net.http's WebSocket, no new
 * dependency): one page, navigated, its DOM read with JavaScript while it lives, a screenshot. Root
 * needs --no-sandbox; the profile lives in a temp directory deleted on close. Missing Chromium fails.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private HeadlessChromium(Process process, Path profile, String pageSocket) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener())
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    static HeadlessChromium start(int width, int height) throws IOException, InterruptedException {
        assertThat(Files.isExecutable(CHROMIUM)).as("the ui tests drive Debian's chromium (scripts/setup.sh installs it)").isTrue();
        Path profile = Files.createTempDirectory("knl-i14g-chromium");
        ProcessBuilder pb = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--ignore-certificate-errors", "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank");
        pb.redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile());
        Process p = pb.start();
        // Chromium writes the port it chose into the profile: "PORT\n/devtools/browser/ID".
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.isRegularFile(portFile) && Files.readString(portFile).contains("\n"))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String log = Files.exists(profile.resolve("chromium.log")) ? Files.readString(profile.resolve("chromium.log")) : "";
                p.destroyForcibly();
                LabStore.deleteTree(profile);
                throw new AssertionError("chromium did not open its DevTools port: " + log);
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readString(portFile).lines().findFirst().orElseThrow().strip());
        String list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String ws = null;
        for (JsonNode t : JSON.readTree(list)) if (t.path("type").asText().equals("page")) ws = t.path("webSocketDebuggerUrl").asText();
        assertThat(ws).as("chromium's page target in " + list).isNotNull();
        return new HeadlessChromium(p, profile, ws);
    }

    /** Sends one DevTools command; its result. */
    JsonNode send(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        socket.sendText(msg.toString(), true).join();
        JsonNode r = f.orTimeout(30, TimeUnit.SECONDS).join();
        if (r.has("error")) throw new AssertionError(method + ": " + r.get("error"));
        return r.path("result");
    }

    void navigate(String url) {
        send("Page.navigate", Map.of("url", url));
    }

    /** A JavaScript expression's value in the page (JSON-able), or null when it threw. */
    JsonNode eval(String expression) {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        return r.has("exceptionDetails") ? null : r.path("result").path("value");
    }

    /** The texts of the page's graph (each line of each vertex, edge label and box). */
    List<String> graphTexts() {
        JsonNode v = eval("Array.from(document.querySelectorAll('#graph svg text')).map(t => t.textContent)");
        if (v == null || !v.isArray()) return List.of();
        return java.util.stream.StreamSupport.stream(v.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** Waits until the graph's texts contain all of {@code expected}; how long it took. */
    Duration awaitTexts(List<String> expected, Duration max) throws InterruptedException {
        long t0 = System.nanoTime();
        List<String> texts = List.of();
        while (System.nanoTime() - t0 < max.toNanos()) {
            texts = graphTexts();
            if (texts.containsAll(expected)) return Duration.ofNanos(System.nanoTime() - t0);
            Thread.sleep(50);
        }
        throw new AssertionError("the page's graph did not show " + expected + " within " + max + "; it shows " + texts);
    }

    void screenshot(Path png) throws IOException {
        JsonNode r = send("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(r.path("data").asText()));
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
        } finally {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            children.forEach(ProcessHandle::destroyForcibly);
            LabStore.deleteTree(profile);
        }
    }

    /** Whole messages (DevTools answers come in parts when large: a screenshot), matched to their command by id. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(buffer.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) f.complete(msg);
                    }
                } catch (IOException e) {
                    // not ours to understand
                }
                buffer.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
