package io.kubenetlab.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.model.LabException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Our own CLI's way into the lab's API (kubectl's role): JSON in and out, errors turned into kubectl's
 * words ("Error from server (NotFound): pods \"x\" not found").
 */
public final class ApiClient {
    public static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final String token;
    private final HttpClient http;

    public ApiClient(String url, String token, javax.net.ssl.SSLContext tls) {
        this.url = url;
        this.token = token;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
    }

    public String url() {
        return url;
    }

    public JsonNode get(String path) {
        return json(send("GET", path, null, null, "application/json"));
    }

    public JsonNode table(String path) {
        return json(send("GET", path, null, null, TABLE));
    }

    public String text(String path) {
        return send("GET", path, null, null, "*/*");
    }

    public JsonNode post(String path, JsonNode body) {
        return json(send("POST", path, "application/json", body.toString(), "application/json"));
    }

    public JsonNode put(String path, JsonNode body) {
        return json(send("PUT", path, "application/json", body.toString(), "application/json"));
    }

    public JsonNode patch(String path, String contentType, JsonNode body) {
        return json(send("PATCH", path, contentType, body.toString(), "application/json"));
    }

    public JsonNode delete(String path) {
        return json(send("DELETE", path, "application/json", "{\"propagationPolicy\":\"Background\"}", "application/json"));
    }

    /** A DELETE with these DeleteOptions as its body ({@code {"gracePeriodSeconds":0}}: a forced delete). */
    public JsonNode delete(String path, JsonNode options) {
        return json(send("DELETE", path, "application/json", options.toString(), "application/json"));
    }

    /**
     * Waits until GET {@code path} answers 404, as {@code kubectl delete} waits for a deleted object to be
     * gone (a pod terminates first); throws when it is still there after {@code timeout}.
     */
    public void awaitGone(String path, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                get(path);
            } catch (Error e) {
                if (e.code() == 404) return;
                throw e;
            }
            if (System.nanoTime() > deadline) throw new io.kubenetlab.model.LabException(path + " still there after " + timeout.toSeconds() + " s");
            io.kubenetlab.kernel.Procs.sleep(50);
        }
    }

    /** A streaming GET (logs -f, watch): the caller reads until it has enough, then closes. */
    public InputStream stream(String path) {
        return exchange(request("GET", path, null, null, "*/*").build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private String send(String method, String path, String contentType, String body, String accept) {
        InputStream in = exchange(request(method, path, contentType, body, accept).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (in) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot read the lab's API answer from " + url + ": " + e.getMessage());
        }
    }

    /** One request: the body of a 2xx answer, or the API's Status as kubectl words it. */
    private InputStream exchange(HttpRequest req, HttpResponse.BodyHandler<InputStream> handler) {
        try {
            HttpResponse<InputStream> r = http.send(req, handler);
            if (r.statusCode() >= 300) {
                try (InputStream in = r.body()) {
                    throw error(r.statusCode(), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return r.body();
        } catch (IOException e) {
            throw new LabException("cannot reach the lab's API at " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }

    private HttpRequest.Builder request(String method, String path, String contentType, String body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Accept", accept).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return b;
    }

    /** The API's Status as kubectl prints it. */
    public static final class Error extends LabException {
        private final int code;

        Error(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private static Error error(int code, String body) {
        try {
            JsonNode s = JSON.readTree(body);
            if (s.path("kind").asText().equals("Status")) {
                return new Error(code, "Error from server (" + s.path("reason").asText() + "): " + s.path("message").asText());
            }
        } catch (IOException ignored) {
            // not a Status: say what came back
        }
        return new Error(code, "the lab's API answered " + code + ": " + body);
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new LabException("the lab's API sent something that is not JSON: " + e.getMessage());
        }
    }
}
