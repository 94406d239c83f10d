package io.kubenetlab.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The ui under {@code /ui/} of the API's server: the page, and {@code graph.json} (long-polled: it answers
 * when the drawing differs from {@code since}, or after {@link #LONG_POLL}). Its own token, not the API's
 * bearer token: given in the URL ({@code ?token=}), then kept in an HttpOnly cookie so the page can drop it
 * from the address bar.
 */
public final class UiHandler implements HttpHandler {
    public static final String PATH = "/ui";
    static final String COOKIE = "kubenetlab-ui";
    static final Duration LONG_POLL = Duration.ofSeconds(25);

    /** Runs a trace for the page's form: FROM, TO, protocol (null: the target's); answers the report. */
    public interface Traces {
        io.kubenetlab.trace.TraceReport trace(String from, String to, String protocol);
    }

    private final byte[] token;
    private final LiveGraph graph;
    private final Traces traces;
    /** The last trace the page asked for (JSON), shown again after a reload. */
    private volatile String lastTrace = "null";

    public UiHandler(String token, LiveGraph graph) {
        this(token, graph, null);
    }

    public UiHandler(String token, LiveGraph graph, Traces traces) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.graph = graph;
        this.traces = traces;
    }

    /** The URL {@code kubenetlab ui} prints for an API at {@code apiUrl}. */
    public static String url(String apiUrl, String token) {
        return apiUrl + PATH + "/?token=" + token;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            boolean post = ex.getRequestMethod().equals("POST") && path.equals("/ui/trace");
            if (!ex.getRequestMethod().equals("GET") && !post) {
                send(ex, 405, "text/plain", "only GET (and POST /ui/trace)");
                return;
            }
            String given = q.containsKey("token") ? q.get("token") : cookie(ex);
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
                send(ex, 401, "text/plain", "unauthorized: open the URL `kubenetlab ui` prints (it carries the ui's token)\n");
                return;
            }
            switch (path) {
                case "/ui", "/ui/" -> {
                    ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + given + "; Path=/ui; Secure; HttpOnly; SameSite=Strict");
                    send(ex, 200, "text/html; charset=utf-8", UiPage.live());
                }
                case "/ui/graph.json" -> {
                    String since = q.getOrDefault("since", "");
                    LiveGraph.View v = since.isEmpty() ? graph.current() : graph.await(since, LONG_POLL);
                    send(ex, 200, "application/json", UiPage.json(v).toString());
                }
                case "/ui/graph.svg" -> send(ex, 200, "image/svg+xml", graph.current().svg());
                case "/ui/trace" -> {
                    if (!post) {
                        send(ex, 200, "application/json", lastTrace);
                        return;
                    }
                    send(ex, 200, "application/json", trace(ex));
                }
                default -> send(ex, 404, "text/plain", "not found\n");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the browser went away
        } catch (RuntimeException e) {
            try {
                send(ex, 500, "text/plain", "cannot draw the lab: " + e.getMessage() + "\n");
            } catch (IOException | RuntimeException ignored) {
                // headers already sent, or the browser went away
            }
        }
    }

    /**
     * A trace from the page's form (a JSON body {from, to, protocol}): the report and its text, or the
     * error in words. The form's POST carries the SameSite=Strict cookie only from the ui's own page.
     */
    private String trace(HttpExchange ex) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode out = json.createObjectNode();
        if (traces == null) return out.put("error", "tracing is not available here").toString();
        com.fasterxml.jackson.databind.JsonNode in;
        try (var body = ex.getRequestBody()) {
            in = json.readTree(body.readNBytes(64 * 1024));
        } catch (IOException e) {
            return out.put("error", "the request is not JSON: " + e.getMessage()).toString();
        }
        String from = in == null ? "" : in.path("from").asText("").strip();
        String to = in == null ? "" : in.path("to").asText("").strip();
        String proto = in == null ? "" : in.path("protocol").asText("").strip();
        if (from.isEmpty() || to.isEmpty()) return out.put("error", "FROM and TO are both needed").toString();
        out.put("from", from).put("to", to);
        try {
            io.kubenetlab.trace.TraceReport r = traces.trace(from, to, proto.isEmpty() ? null : proto);
            out.set("report", json.valueToTree(r));
            out.put("text", r.text());
        } catch (RuntimeException e) {
            out.put("error", String.valueOf(e.getMessage()));
        }
        lastTrace = out.toString();
        return lastTrace;
    }

    private static String cookie(HttpExchange ex) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            if (i < 0) q.put(URLDecoder.decode(kv, StandardCharsets.UTF_8), "");
            else q.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer"); // the token is in the page's URL
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
