package io.kubenetlab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.controller.Controller;
import io.kubenetlab.lab.FakeLab;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad requests at the API's door, against an {@link ApiServer} in this JVM in front of a Controller over the
 * article's lab on fakes (as {@link ApiServerTest}): each gets its HTTP status with a Kubernetes {@code Status}
 * body (kind Status, status Failure, the reason, the code, a message naming what is wrong) and changes nothing
 * (the cache's resourceVersion and the lab's objects are as before). Also which paths answer without a token.
 */
class ApiBadInputTest extends ServedLabTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PODS = "/api/v1/namespaces/default/pods";
    static final String SERVICES = "/api/v1/namespaces/default/services";
    static final String DEPLOY = "/apis/apps/v1/namespaces/default/deployments/service-test";
    static final String JSON_CT = "application/json";

    /** The token a case presents: the lab's, a wrong one, none, or the lab's without the "Bearer " scheme. */
    enum Token { GOOD, WRONG, NONE, NO_SCHEME }

    record Case(String what, String method, String path, String contentType, byte[] body, Token token, int code, String reason, String message) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Case c(String what, String method, String path, String body, int code, String reason, String message) {
        return new Case(what, method, path, body == null ? null : JSON_CT, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                Token.GOOD, code, reason, message);
    }

    static Case auth(String what, String method, String path, Token token) {
        return new Case(what, method, path, method.equals("POST") ? JSON_CT : null,
                method.equals("POST") ? pod("sneaky").getBytes(StandardCharsets.UTF_8) : null, token, 401, "Unauthorized", "Unauthorized");
    }

    static String pod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"alpine\",\"command\":[\"sleep\",\"infinity\"]}]}}";
    }

    static String service(String name, String spec) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + spec + "}}";
    }

    static Stream<Case> cases() {
        byte[] latin1 = ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"caf\u00e9\"}}").getBytes(StandardCharsets.ISO_8859_1);
        byte[] huge = ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"big\",\"annotations\":{\"a\":\""
                + "x".repeat(ApiServer.MAX_BODY_BYTES) + "\"}}}").getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                // the token: every path but version and health needs it
                auth("no token on a list", "GET", PODS, Token.NONE),
                auth("wrong token on a list", "GET", PODS, Token.WRONG),
                auth("token without the Bearer scheme", "GET", PODS, Token.NO_SCHEME),
                auth("wrong token on a create", "POST", PODS, Token.WRONG),
                auth("no token on a delete", "DELETE", PODS + "/service-test-client1", Token.NONE),
                auth("no token on a watch", "GET", PODS + "?watch=true&timeoutSeconds=3", Token.NONE),
                auth("no token on discovery", "GET", "/api", Token.NONE),
                auth("no token on group discovery", "GET", "/apis", Token.NONE),
                auth("no token on the OpenAPI", "GET", "/openapi/v3", Token.NONE),
                auth("no token on metrics", "GET", "/metrics", Token.NONE),
                auth("no token on an unknown path", "GET", "/no/such/path", Token.NONE),
                auth("no token on a POST to /version", "POST", "/version", Token.NONE),
                // bodies that are no object
                c("malformed JSON", "POST", PODS, "{\"apiVersion\": \"v1\",", 400, "BadRequest", "the request body is not valid JSON"),
                c("no body", "POST", PODS, "", 400, "BadRequest", "the request has no body"),
                c("an array body", "POST", PODS, "[1, 2]", 400, "BadRequest", "the request body must be an object"),
                new Case("a body not UTF-8", "POST", PODS, JSON_CT, latin1, Token.GOOD, 400, "BadRequest", "not valid JSON"),
                new Case("malformed YAML", "POST", PODS, "application/yaml", "kind: Pod\nmetadata: {name: [\n".getBytes(StandardCharsets.UTF_8),
                        Token.GOOD, 400, "BadRequest", "not valid YAML"),
                new Case("YAML not UTF-8", "POST", PODS, "application/yaml", "kind: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1),
                        Token.GOOD, 400, "BadRequest", "not UTF-8"),
                // kubectl 1.32's typed creates: protobuf, "k8s\0" and a runtime.Unknown
                new Case("a protobuf body", "POST", PODS, "application/vnd.kubernetes.protobuf", "k8s\0\n\u000b\n\u0002v1\u0012\u0003Pod".getBytes(StandardCharsets.ISO_8859_1),
                        Token.GOOD, 415, "UnsupportedMediaType", "the body of the request was in an unknown format"),
                new Case("a body over the limit", "POST", PODS, JSON_CT, huge, Token.GOOD, 413, "RequestEntityTooLarge", "limit is 3145728"),
                c("JSON nested too deep", "POST", PODS, "[".repeat(5000) + "]".repeat(5000), 400, "BadRequest", "not valid JSON"),
                // fields
                c("an unknown top-level field", "POST", PODS, pod("typo").replace("\"spec\"", "\"spek\""), 400, "BadRequest", "spek"),
                c("a wrong type", "POST", PODS, pod("typed").replace("[{\"name\":\"main\",\"image\":\"alpine\",\"command\":[\"sleep\",\"infinity\"]}]", "\"main\""),
                        422, "Invalid", "spec.containers"),
                c("a name that climbs out", "POST", PODS, pod("../../etc"), 422, "Invalid", "metadata.name"),
                c("an upper-case name", "POST", PODS, pod("Web"), 422, "Invalid", "metadata.name"),
                c("a Service port out of range", "POST", SERVICES, service("s1", "\"ports\":[{\"port\":70000}]"), 422, "Invalid", "spec.ports[0].port"),
                c("a clusterIP out of range", "POST", SERVICES, service("s2", "\"clusterIP\":\"10.9.0.1\",\"ports\":[{\"port\":80}]"), 422, "Invalid",
                        "spec.clusterIPs"),
                c("a clusterIP that is no IP", "POST", SERVICES, service("s3", "\"clusterIP\":\"999.1.1.1\",\"ports\":[{\"port\":80}]"), 422, "Invalid",
                        "spec.clusterIP: Invalid value: \"999.1.1.1\""),
                c("a nodePort out of range", "POST", SERVICES, service("s4", "\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":40000}]"),
                        422, "Invalid", "spec.ports[0].nodePort"),
                c("a duplicate Service", "POST", SERVICES, service("service-test", "\"ports\":[{\"port\":80}]"), 409, "AlreadyExists",
                        "services \"service-test\" already exists"),
                c("a Service body posted to pods", "POST", PODS, service("s5", "\"ports\":[{\"port\":80}]"), 400, "BadRequest", "the kind in the data (Service) does not match the expected kind (Pod)"),
                c("an update with a stale resourceVersion", "PUT", DEPLOY, null, 409, "Conflict", "the object has been modified"),
                c("negative replicas by scale", "PUT", DEPLOY + "/scale", "{\"spec\":{\"replicas\":-3}}", 422, "Invalid", "spec.replicas"),
                new Case("a JSON patch that is malformed", "PATCH", DEPLOY, "application/json-patch+json",
                        "[{\"op\":\"frob\"}]".getBytes(StandardCharsets.UTF_8), Token.GOOD, 400, "BadRequest", "frob"),
                c("DeleteOptions not JSON", "DELETE", PODS + "/service-test-client1", "{oops", 400, "BadRequest", "not valid JSON"),
                // query parameters and paths
                c("a watch from a too old resourceVersion", "GET", PODS + "?watch=true&timeoutSeconds=3&resourceVersion=1", null, 410, "Expired",
                        "too old resource version"),
                c("a watch from a resourceVersion that is no number", "GET", PODS + "?watch=true&timeoutSeconds=3&resourceVersion=abc", null, 400, "BadRequest",
                        "invalid resource version"),
                c("a label selector that does not parse", "GET", PODS + "?labelSelector=a%20b%3D%3Dc", null, 400, "BadRequest", "selector"),
                c("a field selector that does not parse", "GET", PODS + "?fieldSelector=nonsense", null, 400, "BadRequest", "invalid selector"),
                c("a timeout that is no number", "GET", PODS + "?watch=true&timeoutSeconds=soon", null, 400, "BadRequest", "timeoutSeconds"),
                c("tailLines that is no number", "GET", PODS + "/service-test-client1/log?tailLines=ten", null, 400, "BadRequest", "tailLines"),
                c("a metrics window that is no number", "GET", "/metrics?window=week", null, 400, "BadRequest", "window"),
                c("an unknown resource", "GET", "/api/v1/namespaces/default/gizmos", null, 404, "NotFound", "could not find"),
                c("an unknown subresource", "GET", PODS + "/service-test-client1/exec2", null, 404, "NotFound", "could not find"),
                c("a namespace that climbs out", "POST", "/api/v1/namespaces/..%2F..%2Fetc/pods", pod("up"), 404, "NotFound", "namespaces \"../../etc\" not found"),
                c("a method the resource does not have", "POST", PODS + "/service-test-client1", pod("x"), 405, "MethodNotAllowed", "not allow"));
    }

    @Override
    String labName() {
        return "bi";
    }

    /** As after a controller restart: the watch cache begins well after resourceVersion 1, which is then too old. */
    @Override
    void beforeController(FakeLab lab) {
        lab.state().resourceVersion = 1000;
    }

    record Response(int code, String text) {
        JsonNode json() throws Exception {
            return JSON.readTree(text);
        }
    }

    Response send(String method, String path, String contentType, byte[] body, Token t) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Accept", "application/json").timeout(java.time.Duration.ofSeconds(20));
        switch (t) {
            case GOOD -> b.header("Authorization", "Bearer " + token);
            case WRONG -> b.header("Authorization", "Bearer " + token.substring(1) + "0");
            case NO_SCHEME -> b.header("Authorization", token);
            case NONE -> { }
        }
        if (contentType != null) b.header("Content-Type", contentType);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /** What a case must leave alone: every object the API serves, with its resourceVersion. */
    List<String> objects() {
        List<String> out = new ArrayList<>();
        for (ResourceType t : Resources.ALL_TYPES) {
            for (var o : controller.cache().list(t)) out.add(t.resource() + " " + o.path("metadata").path("namespace").asText() + "/"
                    + o.path("metadata").path("name").asText() + " " + o.path("metadata").path("resourceVersion").asText());
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @org.junit.jupiter.api.Timeout(60)
    void isAnsweredWithItsStatusAndChangesNothing(Case k) throws Exception {
        byte[] body = k.body();
        if (k.what().contains("stale resourceVersion")) {
            JsonNode d = send("GET", DEPLOY, null, null, Token.GOOD).json();
            ((com.fasterxml.jackson.databind.node.ObjectNode) d.path("metadata")).put("resourceVersion", "1");
            ((com.fasterxml.jackson.databind.node.ObjectNode) d.path("spec")).put("replicas", 5);
            body = JSON.writeValueAsBytes(d);
        }
        List<String> before = objects();
        long rv = controller.cache().resourceVersion();
        int runtimeCalls = lab.runtime.created().size();

        Response r = send(k.method(), k.path(), k.body() == null && body != null ? JSON_CT : k.contentType(), body, k.token());

        assertThat(r.code()).as(k.what() + ": " + r.text()).isEqualTo(k.code());
        JsonNode s = r.json();
        assertThat(s.path("kind").asText()).as(k.what()).isEqualTo("Status");
        assertThat(s.path("apiVersion").asText()).as(k.what()).isEqualTo("v1");
        assertThat(s.path("status").asText()).as(k.what()).isEqualTo("Failure");
        assertThat(s.path("reason").asText()).as(k.what()).isEqualTo(k.reason());
        assertThat(s.path("code").asInt()).as(k.what()).isEqualTo(k.code());
        assertThat(s.path("message").asText()).as(k.what()).contains(k.message()).doesNotContain("Exception");
        assertThat(controller.cache().resourceVersion()).as(k.what() + ": nothing changed").isEqualTo(rv);
        assertThat(objects()).as(k.what()).isEqualTo(before);
        assertThat(lab.runtime.created()).as(k.what() + ": no process started").hasSize(runtimeCalls);
    }

    /** Upstream's system:public-info-viewer: version and health need no token (and say nothing about the lab). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/version", "/healthz", "/livez", "/readyz", "/healthz/", "/version/"})
    void versionAndHealthAnswerWithoutAToken(String path) throws Exception {
        Response open = send("GET", path, null, null, Token.NONE);
        Response wrong = send("GET", path, null, null, Token.WRONG);

        assertThat(open.code()).as(path).isEqualTo(200);
        assertThat(wrong.code()).as(path + " with a wrong token is still public").isEqualTo(200);
        assertThat(open.text()).as(path).doesNotContain(token);
    }
}
