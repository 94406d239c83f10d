package io.kubenetlab.api;

import io.kubenetlab.output.Tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kubenetlab.api.patch.Patches;
import io.kubenetlab.api.stream.FollowedLog;
import io.kubenetlab.k8s.LabelSelector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes API on loopback (and, for pods, inside the lab: {@link #listenAlso}): HTTPS with a
 * bearer token (the controller's or the pods' service account's), the paths and shapes kubectl and
 * client libraries use (discovery, get, list, watch, create, update, patch, delete, pods/log,
 * deployments/scale), tables for kubectl get, errors as Status objects.
 */
public final class ApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** The apiserver's limit on a request body (its MaxRequestBodyBytes, 3 MiB): larger ones are 413. */
    public static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
    /**
     * What answers without a token: the discovery upstream's system:public-info-viewer role leaves open
     * to unauthenticated users (version and health). Everything else needs the bearer token.
     */
    public static final java.util.Set<String> PUBLIC_PATHS = java.util.Set.of("/version", "/healthz", "/livez", "/readyz");

    private final ApiBackend backend;
    /** The bearer tokens accepted, with the same rights: the controller's, and the pods' service account's. */
    private final List<byte[]> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HttpLayer http;
    private volatile boolean closing;

    public ApiServer(ApiBackend backend, String token, int port, javax.net.ssl.SSLContext tls) throws IOException {
        this.backend = backend;
        this.tokens.add(("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        this.http = new HttpLayer(tls, this::handle);
        http.upgrades(new PodStreams(http.server(), backend, this::authorized, HttpLayer.IDLE_TIMEOUT));
        http.start();
        try {
            http.listen(new InetSocketAddress("127.0.0.1", port), null);
        } catch (java.net.BindException e) {
            if (port == 0) throw e;
            http.listen(new InetSocketAddress("127.0.0.1", 0), null); // the old port is taken: any port
        }
    }

    /**
     * Starts and stops an HTTP server like the API's, listening on a loopback port of its own: its classes
     * are then loaded and initialised when the real one starts (deploy waits on that).
     */
    public static void warmUp(javax.net.ssl.SSLContext tls) {
        HttpLayer layer = new HttpLayer(tls, ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        try {
            layer.upgrades(new PodStreams(layer.server(), null, h -> false, HttpLayer.IDLE_TIMEOUT));
            layer.start();
            layer.listen(new InetSocketAddress("127.0.0.1", 0), null);
        } catch (IOException e) {
            // only a warm-up
        } finally {
            layer.close();
        }
    }

    public int port() {
        return http.port();
    }

    /** Accepts another bearer token with the same rights (the service account token pods present). */
    public void acceptToken(String token) {
        tokens.add(("Bearer " + token).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Serves the same API on {@code address} too, in the network namespace of {@code inNamespace}'s threads:
     * the socket is made (and stays) in the namespace of the thread that binds it, here one that joined a
     * lab machine's, so nothing listens in the host's namespace.
     */
    public void listenAlso(InetSocketAddress address, ExecutorService inNamespace) throws IOException {
        http.listen(address, inNamespace);
    }

    public String url() {
        return "https://127.0.0.1:" + port();
    }

    /** Serves {@code handler} under {@code path} beside the API (the ui): it authenticates its requests itself. */
    public void serve(String path, com.sun.net.httpserver.HttpHandler handler) {
        http.serve(path, handler);
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(HttpExchange ex) {
        Warnings.drain(); // nothing left over from this thread's last request
        try {
            try {
                if (!isPublic(ex) && !authorized(ex)) {
                    throw new ApiException(401, "Unauthorized", "Unauthorized", null, null, null, List.of());
                }
                route(ex);
            } catch (ApiException e) {
                sendStatus(ex, e);
            } catch (io.kubenetlab.api.patch.PatchException e) {
                try {
                    sendJson(ex, e.code(), e.toStatus());
                } catch (IOException ignored) {
                    // the client left
                }
            } catch (IOException e) {
                // the client went away
            } catch (IllegalArgumentException e) {
                // a query parameter that does not parse (a selector, a number, a %-escape): the client's mistake
                sendStatus(ex, ApiException.badRequest(e.getMessage() == null ? e.toString() : e.getMessage()));
            } catch (RuntimeException e) {
                if ("1".equals(System.getenv("KUBENETLAB_DEBUG"))) e.printStackTrace();
                sendStatus(ex, new ApiException(500, "InternalError", "Internal error occurred: " + e, null, null, null, List.of()));
            }
        } finally {
            ex.close();
        }
    }

    private static boolean isPublic(HttpExchange ex) {
        String path = ex.getRequestURI().getRawPath();
        while (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return ex.getRequestMethod().equals("GET") && PUBLIC_PATHS.contains(path);
    }

    private boolean authorized(HttpExchange ex) {
        return authorized(ex.getRequestHeaders().getFirst("Authorization"));
    }

    /** An Authorization header that carries one of the accepted bearer tokens (compared in constant time). */
    private boolean authorized(String h) {
        if (h == null) return false;
        byte[] given = h.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] t : tokens) ok |= MessageDigest.isEqual(given, t);
        return ok;
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        while (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String method = ex.getRequestMethod();
        switch (path) {
            case "/version" -> { sendJson(ex, 200, Discovery.version()); return; }
            case "/api" -> { sendJson(ex, 200, Discovery.apiVersions("127.0.0.1:" + port())); return; }
            case "/apis" -> { sendJson(ex, 200, Discovery.groups()); return; }
            case "/healthz", "/livez", "/readyz" -> { sendText(ex, 200, "ok"); return; }
            case "/metrics" -> {
                sendText(ex, 200, backend.metrics((int) number(q, "window", 0)));
                return;
            }
            case "/openapi/v3" -> { sendJson(ex, 200, OpenApi.root()); return; }
            default -> { }
        }
        if (path.startsWith("/openapi/v3/")) {
            sendJson(ex, 200, OpenApi.groupVersion(path.substring("/openapi/v3/".length())).orElseThrow(ApiServer::notFoundPath));
            return;
        }
        List<String> seg = new ArrayList<>(Arrays.asList(path.substring(1).split("/")));
        String group;
        String version;
        if (seg.get(0).equals("api") && seg.size() >= 2) {
            group = "";
            version = seg.get(1);
            seg = seg.subList(2, seg.size());
        } else if (seg.get(0).equals("apis") && seg.size() >= 2) {
            group = seg.get(1);
            if (seg.size() == 2) {
                if (!Resources.GROUPS.contains(group)) throw notFoundPath();
                sendJson(ex, 200, Discovery.group(group));
                return;
            }
            version = seg.get(2);
            seg = seg.subList(3, seg.size());
        } else {
            throw notFoundPath();
        }
        if (Resources.inGroupVersion(group, version).isEmpty()) throw notFoundPath();
        if (seg.isEmpty()) {
            sendJson(ex, 200, Discovery.resources(group, version));
            return;
        }
        String namespace = null;
        if (seg.get(0).equals("namespaces") && seg.size() >= 3
                && Resources.find(group, version, seg.get(2)).filter(ResourceType::namespaced).isPresent()) {
            namespace = decode(seg.get(1));
            seg = seg.subList(2, seg.size());
        }
        ResourceType t = Resources.find(group, version, seg.get(0)).orElseThrow(ApiServer::notFoundPath);
        String name = seg.size() >= 2 ? decode(seg.get(1)) : null;
        String sub = seg.size() >= 3 ? seg.get(2) : null;
        if (seg.size() > 3 || (sub != null && !t.subresources().contains(sub))) throw notFoundPath();
        if (t.namespaced() && namespace == null && name != null) throw notFoundPath();
        boolean dryRun = q.containsKey("dryRun");
        if (sub != null) {
            subresource(ex, method, t, namespace, name, sub, q, dryRun);
            return;
        }
        switch (method) {
            case "GET" -> {
                if (name == null) {
                    if (isTrue(q.get("watch")) && "websocket".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Upgrade"))) {
                        // No WebSocket here. A plain 200 (not 101) is what makes clients that try WebSocket first
                        // (fabric8) fall back to an HTTP watch at once; a 5xx would be retried for seconds.
                        ObjectNode st = F.objectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                                .put("message", "watches over WebSocket are not served: use a plain HTTP watch").put("code", 200);
                        sendJson(ex, 200, st);
                        return;
                    }
                    if (isTrue(q.get("watch"))) watch(ex, t, namespace, null, q);
                    else list(ex, t, namespace, q);
                } else {
                    sendObject(ex, 200, t, get(t, namespace, name));
                }
            }
            case "POST" -> {
                if (name != null) throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                verb(t, "create");
                ObjectNode created = backend.create(t, namespace == null ? "default" : namespace, readObject(ex), dryRun);
                sendObject(ex, 201, t, created);
            }
            case "PUT" -> {
                verb(t, "update");
                sendObject(ex, 200, t, backend.update(t, namespace, name, readObject(ex), dryRun));
            }
            case "PATCH" -> {
                verb(t, "patch");
                ObjectNode current = get(t, namespace, name);
                JsonNode patched = Patches.apply(contentType(ex), current, readBody(ex), t.apiVersion(), t.kind());
                if (!(patched instanceof ObjectNode o)) throw ApiException.badRequest("the patch did not produce an object");
                sendObject(ex, 200, t, backend.update(t, namespace, name, o, dryRun));
            }
            case "DELETE" -> {
                if (name == null) {
                    deleteCollection(ex, t, namespace, q, dryRun);
                    return;
                }
                verb(t, "delete");
                ObjectNode gone = backend.delete(t, namespace, name, DeleteOptions.parse(q, readOptionalBody(ex)), dryRun);
                // A graceful deletion under way answers with the object as it is now (deletionTimestamp set), as the apiserver does.
                if (gone.path("metadata").has("deletionTimestamp")) sendObject(ex, 200, t, gone);
                else sendJson(ex, 200, success(t, name, gone));
            }
            default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private static void verb(ResourceType t, String verb) {
        if (!t.verbs().contains(verb)) {
            throw new ApiException(405, "MethodNotAllowed", t.qualified() + " is read-only here: kubenetlab's controller owns them",
                    t.group(), t.resource(), null, List.of());
        }
    }

    private ObjectNode get(ResourceType t, String namespace, String name) {
        ObjectNode o = backend.cache().get(t, ObjectCache.key(t.namespaced() ? namespace : null, name));
        if (o == null) throw ApiException.notFound(t, name);
        return o;
    }

    private void subresource(HttpExchange ex, String method, ResourceType t, String ns, String name, String sub, Map<String, String> q,
                             boolean dryRun) throws IOException {
        switch (sub) {
            case "log" -> {
                if (!method.equals("GET")) throw ApiException.methodNotAllowed("only GET on pods/log");
                get(t, ns, name);
                logs(ex, ns, name, q);
            }
            case "scale" -> {
                ObjectNode d = get(t, ns, name);
                switch (method) {
                    case "GET" -> sendJson(ex, 200, Scale.of(d));
                    case "PUT", "PATCH" -> {
                        JsonNode scale = method.equals("PUT") ? readBody(ex)
                                : Patches.apply(contentType(ex), Scale.of(d), readBody(ex), "autoscaling/v1", "Scale");
                        int replicas = scale.path("spec").path("replicas").asInt(-1);
                        if (replicas < 0) {
                            throw ApiException.invalid(t, name, "spec.replicas", "Invalid value: " + scale.path("spec").path("replicas") + ": must be greater than or equal to 0");
                        }
                        ObjectNode updated = d.deepCopy();
                        ((ObjectNode) updated.get("spec")).put("replicas", replicas);
                        sendJson(ex, 200, Scale.of(backend.update(t, ns, name, updated, dryRun)));
                    }
                    default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                }
            }
            case "status" -> {
                ObjectNode current = get(t, ns, name);
                switch (method) {
                    case "GET" -> sendObject(ex, 200, t, current);
                    case "PUT" -> sendObject(ex, 200, t, backend.updateStatus(t, ns, name, readObject(ex), dryRun));
                    case "PATCH" -> {
                        JsonNode patched = Patches.apply(contentType(ex), current, readBody(ex), t.apiVersion(), t.kind());
                        if (!(patched instanceof ObjectNode o)) throw ApiException.badRequest("the patch did not produce an object");
                        sendObject(ex, 200, t, backend.updateStatus(t, ns, name, o, dryRun));
                    }
                    default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                }
            }
            default -> throw notFoundPath();
        }
    }

    // ------------------------------------------------------------------ list and watch

    private void list(HttpExchange ex, ResourceType t, String namespace, Map<String, String> q) throws IOException {
        long rv = backend.cache().resourceVersion();
        List<ObjectNode> items = filter(backend.cache().list(t), namespace, q);
        if (wantsTable(ex)) {
            sendJson(ex, 200, Tables.table(t.resource(), items, rv, Instant.now()));
            return;
        }
        ObjectNode list = F.objectNode().put("kind", t.listKind()).put("apiVersion", t.apiVersion());
        list.putObject("metadata").put("resourceVersion", Long.toString(rv));
        ArrayNode arr = list.putArray("items");
        items.forEach(arr::add);
        sendJson(ex, 200, list);
    }

    private void deleteCollection(HttpExchange ex, ResourceType t, String namespace, Map<String, String> q, boolean dryRun) throws IOException {
        verb(t, "deletecollection");
        DeleteOptions options = DeleteOptions.parse(q, readOptionalBody(ex));
        List<ObjectNode> items = filter(backend.cache().list(t), namespace, q);
        ObjectNode list = F.objectNode().put("kind", t.listKind()).put("apiVersion", t.apiVersion());
        ArrayNode arr = list.putArray("items");
        for (ObjectNode o : items) {
            try {
                arr.add(backend.delete(t, o.path("metadata").path("namespace").asText(null), o.path("metadata").path("name").asText(), options, dryRun));
            } catch (ApiException e) {
                if (e.code() != 404) throw e; // gone meanwhile (a Deployment took its pods along)
            }
        }
        list.putObject("metadata").put("resourceVersion", Long.toString(backend.cache().resourceVersion()));
        sendJson(ex, 200, list);
    }

    private List<ObjectNode> filter(List<ObjectNode> items, String namespace, Map<String, String> q) {
        LabelSelector labels = LabelSelector.parse(q.get("labelSelector"));
        FieldSelector fields = FieldSelector.parse(q.get("fieldSelector"));
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : items) if (matches(o, namespace, labels, fields)) out.add(o);
        return out;
    }

    private static boolean matches(JsonNode o, String namespace, LabelSelector labels, FieldSelector fields) {
        if (o == null) return false;
        JsonNode meta = o.path("metadata");
        if (namespace != null && !namespace.equals(meta.path("namespace").asText())) return false;
        Map<String, String> l = new HashMap<>();
        meta.path("labels").fields().forEachRemaining(e -> l.put(e.getKey(), e.getValue().asText()));
        return labels.matches(l) && fields.matches(o);
    }

    /**
     * A watch: newline-separated JSON events on a chunked response, until the client leaves or
     * timeoutSeconds pass. An object that stops (starts) matching the selectors is DELETED (ADDED),
     * as the apiserver's watch cache reports it.
     */
    private void watch(HttpExchange ex, ResourceType t, String namespace, String name, Map<String, String> q) throws IOException {
        LabelSelector labels = LabelSelector.parse(q.get("labelSelector"));
        FieldSelector fields = FieldSelector.parse(q.get("fieldSelector"));
        boolean table = wantsTable(ex);
        long timeout = number(q, "timeoutSeconds", 1800);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        try (ObjectCache.Subscription sub = backend.cache().watch(t, q.get("resourceVersion"))) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.flush();
            while (!closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                ObjectCache.Change c = sub.queue().poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (c == null) continue;
                boolean now = matches(c.object(), namespace, labels, fields);
                boolean before = c.previous() != null && matches(c.previous(), namespace, labels, fields);
                String type = c.type();
                if (type.equals("MODIFIED")) {
                    if (now && !before) type = "ADDED";
                    else if (!now && before) type = "DELETED";
                    else if (!now) continue;
                } else if (!now) {
                    continue;
                }
                JsonNode obj = table ? Tables.table(t.resource(), List.of(c.object()), c.rv(), Instant.now()) : c.object();
                ObjectNode event = F.objectNode().put("type", type);
                event.set("object", obj);
                out.write(JSON.writeValueAsBytes(event));
                out.write('\n');
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ logs

    /** pods/log: the whole log, its last lines, or followed until the client leaves or the pod goes. */
    private void logs(HttpExchange ex, String ns, String pod, Map<String, String> q) throws IOException {
        Path file = backend.logFile(ns, pod, q.get("container"));
        boolean follow = isTrue(q.get("follow"));
        byte[] all = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        byte[] first = q.containsKey("tailLines") ? tail(all, (int) number(q, "tailLines", -1)) : all;
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        if (!follow) {
            ex.sendResponseHeaders(200, first.length == 0 ? -1 : first.length);
            if (first.length > 0) ex.getResponseBody().write(first);
            return;
        }
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write(first);
        out.flush();
        byte[] buf = new byte[64 * 1024];
        try (FollowedLog more = new FollowedLog(() -> backend.logFile(ns, pod, q.get("container")), all.length,
                () -> !closing && backend.cache().get(Resources.PODS, ObjectCache.key(ns, pod)) != null)) {
            for (int n; (n = more.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        }
    }

    static byte[] tail(byte[] all, int lines) {
        if (lines < 0) return all;
        int count = 0;
        int i = all.length;
        if (i > 0 && all[i - 1] == '\n') i--;
        while (i > 0) {
            if (all[i - 1] == '\n' && ++count == lines) break;
            i--;
        }
        if (lines == 0) return new byte[0];
        return Arrays.copyOfRange(all, i, all.length);
    }

    // ------------------------------------------------------------------ encoding

    private static boolean wantsTable(HttpExchange ex) {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains("as=Table");
    }

    private static String contentType(HttpExchange ex) {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        return ct == null ? "application/json" : ct;
    }

    private static JsonNode readBody(HttpExchange ex) throws IOException {
        JsonNode n = readOptionalBody(ex);
        if (n == null) throw ApiException.badRequest("the request has no body");
        return n;
    }

    /** A body that may be absent (a DELETE's DeleteOptions): null when empty. */
    private static JsonNode readOptionalBody(HttpExchange ex) throws IOException {
        byte[] bytes = readLimited(ex);
        if (bytes.length == 0) return null;
        String type = contentType(ex);
        if (type.contains("protobuf") || type.contains("cbor")) {
            // The apiserver's answer to a body it cannot decode (apimachinery negotiation.NewUnsupportedMediaTypeError):
            // kubectl 1.32 sends protobuf first and, on 415, says JSON from then on (client-go's content fallback).
            throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json, application/yaml", null, null, null, List.of());
        }
        try {
            if (type.contains("yaml")) {
                String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                return JSON.valueToTree(new org.yaml.snakeyaml.Yaml().load(text));
            }
            return JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw ApiException.badRequest("the request body is not valid YAML: it is not UTF-8");
        } catch (org.yaml.snakeyaml.error.YAMLException | IllegalArgumentException e) {
            throw ApiException.badRequest("the request body is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The body, refused (413, as the apiserver) past {@link #MAX_BODY_BYTES}: said up front or found while reading. */
    private static byte[] readLimited(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        try {
            if (length != null) declared = Long.parseLong(length.trim());
        } catch (NumberFormatException ignored) {
            // the HTTP server itself refuses a Content-Length that is not a number
        }
        try (InputStream in = ex.getRequestBody()) {
            if (declared > MAX_BODY_BYTES) {
                drain(in, declared);
                throw tooLarge();
            }
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                drain(in, declared);
                throw tooLarge();
            }
            return bytes;
        }
    }

    /**
     * Reads and drops the rest of a refused body, up to a bound: a client still sending when the connection
     * closes gets a reset and never reads the 413. Past the bound the connection is closed all the same.
     */
    private static void drain(InputStream in, long declared) throws IOException {
        if (declared > 8L * MAX_BODY_BYTES) return;
        long left = 8L * MAX_BODY_BYTES;
        byte[] buf = new byte[64 * 1024];
        for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) left -= n;
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is " + MAX_BODY_BYTES, null, null, null, List.of());
    }

    /** An integer query parameter, or {@code fallback} when absent; 400 when it is not an integer. */
    private static long number(Map<String, String> q, String name, long fallback) {
        String v = q.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": invalid value \"" + v + "\": must be an integer");
        }
    }

    private static ObjectNode readObject(HttpExchange ex) throws IOException {
        JsonNode n = readBody(ex);
        if (!(n instanceof ObjectNode o)) throw ApiException.badRequest("the request body must be an object");
        return o;
    }

    private void sendObject(HttpExchange ex, int code, ResourceType t, ObjectNode o) throws IOException {
        if (wantsTable(ex)) sendJson(ex, code, Tables.table(t.resource(), List.of(o), backend.cache().resourceVersion(), Instant.now()));
        else sendJson(ex, code, o);
    }

    private static void sendJson(HttpExchange ex, int code, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        for (String w : Warnings.drain()) ex.getResponseHeaders().add("Warning", Warnings.header(w));
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void sendText(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void sendStatus(HttpExchange ex, ApiException e) {
        try {
            sendJson(ex, e.code(), status(e));
        } catch (IOException ignored) {
            // headers were already sent (a watch or a log stream): nothing more to say
        }
    }

    /** The Status object kubectl prints as "Error from server (Reason): message". */
    public static ObjectNode status(ApiException e) {
        ObjectNode s = F.objectNode().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", e.getMessage()).put("reason", e.reason());
        if (e.name() != null || e.kind() != null || !e.causes().isEmpty()) {
            ObjectNode d = s.putObject("details");
            if (e.name() != null) d.put("name", e.name());
            if (e.group() != null && !e.group().isEmpty()) d.put("group", e.group());
            if (e.kind() != null) d.put("kind", e.kind());
            if (!e.causes().isEmpty()) {
                ArrayNode causes = d.putArray("causes");
                for (ApiException.Cause c : e.causes()) causes.addObject().put("reason", c.reason()).put("message", c.message()).put("field", c.field());
            }
        }
        s.put("code", e.code());
        return s;
    }

    private static ObjectNode success(ResourceType t, String name, ObjectNode gone) {
        ObjectNode s = F.objectNode().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Success");
        ObjectNode d = s.putObject("details").put("name", name);
        if (!t.group().isEmpty()) d.put("group", t.group());
        d.put("kind", t.resource()).put("uid", gone.path("metadata").path("uid").asText());
        return s;
    }

    private static ApiException notFoundPath() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null, null, List.of());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            if (i < 0) q.put(decode(kv), "");
            else q.put(decode(kv.substring(0, i)), decode(kv.substring(i + 1)));
        }
        return q;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed %-escape in \"" + s + "\"");
        }
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equals("true") || v.equals("1"));
    }

    @Override
    public void close() {
        closing = true;
        http.close();
    }
}
