package io.kubenetlab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.api.patch.Patches;
import io.kubenetlab.client.ApiClient;
import io.kubenetlab.client.TlsIdentity;
import io.kubenetlab.controller.Controller;
import io.kubenetlab.lab.FakeKernel;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes API over HTTPS on loopback, without root: an {@link ApiServer} on a free port in front
 * of a Controller over the article's lab on fakes, with the lab's own TLS identity and token (as
 * ControllerMain serves it). Proves the paths, status codes and Status objects kubectl relies on:
 * list, get (404 NotFound), create (201, 409 AlreadyExists, 400 strict decoding), scale by merge
 * patch, delete, and 401 for a wrong token.
 */
class ApiServerTest extends ServedLabTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PODS = "/api/v1/namespaces/default/pods";

    ApiClient client;

    @Override
    String labName() {
        return "at";
    }

    @BeforeEach
    void connect() {
        client = new ApiClient(server.url(), token, tls.clientContext());
    }

    @org.junit.jupiter.api.Test
    void aClientTrustingOnlyThePemCertificateReachesTheApiAndAnotherLabsCertificateDoesNot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path pem = dir.resolve("ca.crt");
        java.nio.file.Files.writeString(pem, tls.pem());
        assertThat(new ApiClient(server.url(), token, TlsIdentity.trustingPem(pem)).get(PODS).path("kind").asText())
                .isEqualTo("PodList");
        java.nio.file.Path other = dir.resolve("other.crt");
        java.nio.file.Files.writeString(other, TlsIdentity.load(dir.resolve("other.p12"), "other").pem());
        assertThatThrownBy(() -> new ApiClient(server.url(), token, TlsIdentity.trustingPem(other)).get(PODS))
                .hasMessageContaining("cannot reach the lab's API");
    }

    record Response(int code, JsonNode body) {}

    Response call(String method, String path, String contentType, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Accept", "application/json");
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        if (contentType != null) b.header("Content-Type", contentType);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), JSON.readTree(r.body()));
    }

    Response call(String method, String path, String body) throws Exception {
        return call(method, path, body == null ? null : "application/json", body, token);
    }

    static List<String> names(JsonNode list) {
        List<String> out = new java.util.ArrayList<>();
        list.path("items").forEach(o -> out.add(o.path("metadata").path("name").asText()));
        return out;
    }

    static String pod(String name, String extraContainerField) {
        return """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s"},
                 "spec": {"containers": [{"name": "main", "image": "alpine", "command": ["sleep", "infinity"]%s}]}}
                """.formatted(name, extraContainerField);
    }

    @Test
    void listsThePodsOfTheNamespace() {
        JsonNode list = client.get(PODS);

        assertThat(list.path("kind").asText()).isEqualTo("PodList");
        List<String> expected = lab.state().pods.stream().filter(p -> p.namespace().equals("default")).map(p -> p.name()).toList();
        assertThat(expected).hasSize(5); // two servers, two clients, api-pod
        assertThat(names(list)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(list.path("items").get(0).path("status").path("podIP").asText()).startsWith("10.0.");
    }

    @Test
    void aMissingPodIsA404StatusNotFound() throws Exception {
        Response r = call("GET", PODS + "/no-such-pod", null);

        assertThat(r.code()).isEqualTo(404);
        assertThat(r.body().path("kind").asText()).isEqualTo("Status");
        assertThat(r.body().path("reason").asText()).isEqualTo("NotFound");
        assertThat(r.body().path("message").asText()).isEqualTo("pods \"no-such-pod\" not found");
        assertThatThrownBy(() -> client.get(PODS + "/no-such-pod")).isInstanceOf(ApiClient.Error.class)
                .hasMessage("Error from server (NotFound): pods \"no-such-pod\" not found");
    }

    @Test
    void aCreatedPodIs201AndAppearsThenCreatingItAgainIs409() throws Exception {
        Response created = call("POST", PODS, pod("web", ""));

        assertThat(created.code()).isEqualTo(201);
        assertThat(created.body().path("metadata").path("name").asText()).isEqualTo("web");
        assertThat(lab.runtime.created()).endsWith("web");
        assertThat(call("GET", PODS + "/web", null).code()).isEqualTo(200);
        assertThat(names(client.get(PODS))).contains("web");

        Response again = call("POST", PODS, pod("web", ""));
        assertThat(again.code()).isEqualTo(409);
        assertThat(again.body().path("reason").asText()).isEqualTo("AlreadyExists");
        assertThat(lab.runtime.created()).filteredOn("web"::equals).hasSize(1);
    }

    @Test
    void aPodWithAnUnknownFieldIsA400StrictDecodingError() throws Exception {
        Response r = call("POST", PODS, pod("typo", ", \"imagePullPolicyy\": \"Always\""));

        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body().path("reason").asText()).isEqualTo("BadRequest");
        assertThat(r.body().path("message").asText()).contains("strict decoding error: unknown field").contains("imagePullPolicyy");
        assertThat(lab.state().pod("typo")).isEmpty();
        assertThat(call("GET", PODS + "/typo", null).code()).isEqualTo(404);
    }

    @Test
    void aMergePatchOfDeploymentScaleChangesReplicas() throws Exception {
        String scale = "/apis/apps/v1/namespaces/default/deployments/service-test/scale";
        assertThat(call("GET", scale, null).body().path("spec").path("replicas").asInt()).isEqualTo(2);

        Response r = call("PATCH", scale, Patches.MERGE_PATCH, "{\"spec\":{\"replicas\":3}}", token);

        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().path("kind").asText()).isEqualTo("Scale");
        assertThat(r.body().path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(client.get("/apis/apps/v1/namespaces/default/deployments/service-test").path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(lab.state().deployments).filteredOn(d -> d.name().equals("service-test")).singleElement()
                .satisfies(d -> assertThat(d.replicas()).isEqualTo(3));
    }

    @Test
    void aDeletedServiceIsGoneFromTheApiAndFromEveryNodesRules() throws Exception {
        lab.kernel.clear();

        Response r = call("DELETE", "/api/v1/namespaces/default/services/service-test-nodeport", null);

        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("Success");
        assertThat(call("GET", "/api/v1/namespaces/default/services/service-test-nodeport", null).code()).isEqualTo(404);
        assertThat(lab.state().service("default", "service-test-nodeport")).isEmpty();
        for (String node : List.of("node1", "node2")) {
            assertThat(lab.kernel.restoresInto(lab.netns(node))).singleElement().extracting(FakeKernel.Command::stdin).asString()
                    .doesNotContain("--dport 30080").contains("--dport 30081"); // the LoadBalancer's nodePort stays
        }
    }

    @Test
    void aWrongOrMissingTokenIs401() throws Exception {
        Response wrong = call("GET", PODS, null, null, token + "x");
        Response none = call("GET", PODS, null, null, null);

        assertThat(wrong.code()).isEqualTo(401);
        assertThat(wrong.body().path("reason").asText()).isEqualTo("Unauthorized");
        assertThat(none.code()).isEqualTo(401);
        assertThat(call("GET", PODS, null).code()).isEqualTo(200);
    }

    static final String SERVICES = "/api/v1/namespaces/default/services";

    static String lbLocal(String name, String extra) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"type\":\"LoadBalancer\","
                + "\"externalTrafficPolicy\":\"Local\",\"selector\":{\"app\":\"service_test_pod\"},\"ports\":[{\"port\":80}]" + extra + "}}";
    }

    @Test
    void healthCheckNodePortIsAllocatedKeptAcrossUpdatesImmutableAndReleased() throws Exception {
        Response created = call("POST", SERVICES, lbLocal("hc", ""));
        assertThat(created.code()).isEqualTo(201);
        int hc = created.body().path("spec").path("healthCheckNodePort").asInt();
        assertThat(hc).isBetween(30000, 32767);

        // Taken by another Service's health check or nodePort: upstream's internal error.
        Response taken = call("POST", SERVICES, lbLocal("hc2", ",\"healthCheckNodePort\":" + hc));
        assertThat(taken.code()).isEqualTo(500);
        assertThat(taken.body().path("reason").asText()).isEqualTo("InternalError");
        assertThat(taken.body().path("message").asText())
                .isEqualTo("Internal error occurred: failed to allocate requested HealthCheck NodePort " + hc + ": provided port is already allocated");
        Response np = call("POST", SERVICES, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"np\"},\"spec\":{\"type\":\"NodePort\","
                + "\"ports\":[{\"port\":80,\"nodePort\":" + hc + "}]}}");
        assertThat(np.body().path("message").asText()).isEqualTo("Service \"np\" is invalid: spec.ports[0].nodePort: Invalid value: " + hc
                + ": provided port is already allocated");
        // Not LoadBalancer + Local: a validation error.
        Response cluster = call("POST", SERVICES, lbLocal("hc3", ",\"healthCheckNodePort\":31999").replace("\"Local\"", "\"Cluster\""));
        assertThat(cluster.code()).isEqualTo(422);
        assertThat(cluster.body().path("message").asText()).isEqualTo("Service \"hc3\" is invalid: spec.healthCheckNodePort: Invalid value: 31999: "
                + "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");

        // An update that leaves it out keeps it (kubectl replace); changing it is forbidden.
        Response replaced = call("PUT", SERVICES + "/hc", lbLocal("hc", ""));
        assertThat(replaced.code()).isEqualTo(200);
        assertThat(replaced.body().path("spec").path("healthCheckNodePort").asInt()).isEqualTo(hc);
        Response changed = call("PUT", SERVICES + "/hc", lbLocal("hc", ",\"healthCheckNodePort\":" + (hc == 32767 ? 30000 : hc + 1)));
        assertThat(changed.code()).isEqualTo(422);
        assertThat(changed.body().path("message").asText()).isEqualTo("Service \"hc\" is invalid: spec.healthCheckNodePort: Forbidden: field is immutable");

        // A patch of the live object to Cluster policy (the port still in it) drops the port, as upstream.
        Response patched = call("PATCH", SERVICES + "/hc", "application/merge-patch+json", "{\"spec\":{\"externalTrafficPolicy\":\"Cluster\"}}", token);
        assertThat(patched.code()).isEqualTo(200);
        assertThat(patched.body().path("spec").has("healthCheckNodePort")).isFalse();
        assertThat(call("PUT", SERVICES + "/hc", lbLocal("hc", "")).code()).isEqualTo(200);
        // Cluster policy: released (another Service may take it), and gone from the object.
        Response toCluster = call("PUT", SERVICES + "/hc", lbLocal("hc", "").replace("\"Local\"", "\"Cluster\""));
        assertThat(toCluster.code()).isEqualTo(200);
        assertThat(toCluster.body().path("spec").has("healthCheckNodePort")).isFalse();
        assertThat(call("POST", SERVICES, lbLocal("hc2", ",\"healthCheckNodePort\":" + hc)).code()).isEqualTo(201);
        // Deleted: released again.
        assertThat(call("DELETE", SERVICES + "/hc2", null).code()).isEqualTo(200);
        assertThat(call("POST", SERVICES, lbLocal("hc4", ",\"healthCheckNodePort\":" + hc)).code()).isEqualTo(201);
    }
}
