package io.kubenetlab.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ApiException;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.Resources;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.LabState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Users' EndpointSlices through the API backend, on the article's lab with fakes: they feed their
 * Service's endpoints and every node's rules, merge with manual Endpoints, survive a reload of the
 * state, and the slices the lab derives stay read-only.
 */
class ControllerSlicesTest extends ControllerOnArticleLab {
    ControllerSlicesTest() {
        super("cs");
    }

    @BeforeEach
    void start() {
        controller.create(Resources.SERVICES, "default", json("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext"},
                 "spec": {"clusterIP": "10.3.241.200", "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}"""), false);
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) ObjectViews.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode slice(String name, String service, String endpoints) {
        return json("""
                {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                 "metadata": {"name": "%s", "labels": {"kubernetes.io/service-name": "%s", "endpointslice.kubernetes.io/managed-by": "me"}},
                 "addressType": "IPv4", "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}], "endpoints": %s}"""
                .formatted(name, service, endpoints));
    }

    List<String> endpoints(String service) {
        return lab.state().endpoints.getOrDefault("default/" + service, List.of()).stream()
                .map(e -> e.ip() + ":" + e.port() + (e.ready() ? "" : e.terminating() ? "(terminating)" : "(not ready)")).toList();
    }

    String rules(String node) {
        return lab.engine.plan().machine(node).orElseThrow().ruleset("kube-proxy").orElseThrow().text();
    }

    @Test
    void aUserSliceFeedsItsSelectorlessServiceAndTheRules() {
        assertThat(rules("node1")).contains("\"default/ext:http has no endpoints\"");
        ObjectNode served = controller.create(Resources.ENDPOINTSLICES, "default",
                slice("ext-1", "ext", "[{\"addresses\": [\"10.0.1.52\"], \"conditions\": {\"ready\": true}, \"nodeName\": \"node1\"}]"), false);

        assertThat(served.path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(served.path("endpoints").get(0).path("addresses").get(0).asText()).isEqualTo("10.0.1.52");
        assertThat(endpoints("ext")).containsExactly("10.0.1.52:8080");
        assertThat(rules("node1")).contains("-j DNAT --to-destination 10.0.1.52:8080").doesNotContain("default/ext:http has no endpoints");
        assertThat(rules("node2")).contains("-j DNAT --to-destination 10.0.1.52:8080");
    }

    @Test
    void severalSlicesAndManualEndpointsMergeDeduplicatedByAddress() {
        controller.update(Resources.ENDPOINTS, "default", "ext", json("""
                {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "ext"},
                 "subsets": [{"addresses": [{"ip": "10.0.2.52"}], "ports": [{"name": "http", "port": 8080}]}]}"""), false);
        controller.create(Resources.ENDPOINTSLICES, "default", slice("ext-a", "ext", "[{\"addresses\": [\"10.0.1.52\"]}]"), false);
        controller.create(Resources.ENDPOINTSLICES, "default", slice("ext-b", "ext",
                "[{\"addresses\": [\"10.0.2.52\"]}, {\"addresses\": [\"10.0.2.53\"], \"conditions\": {\"ready\": false}}]"), false);

        assertThat(endpoints("ext")).containsExactly("10.0.1.52:8080", "10.0.2.52:8080", "10.0.2.53:8080(not ready)");
        // The Endpoints object still holds what its author wrote; the slices are objects of their own.
        ObjectNode ep = controller.cache().get(Resources.ENDPOINTS, ObjectCache.key("default", "ext"));
        assertThat(ep.toString()).contains("10.0.2.52").doesNotContain("10.0.1.52");
        assertThat(controller.cache().get(Resources.ENDPOINTSLICES, ObjectCache.key("default", "ext-b"))).isNotNull();
    }

    @Test
    void terminatingServingEndpointsCarryTrafficWhenNoneIsReady() {
        controller.create(Resources.ENDPOINTSLICES, "default", slice("ext-1", "ext",
                "[{\"addresses\": [\"10.0.1.52\"], \"conditions\": {\"ready\": false, \"serving\": true, \"terminating\": true}},"
                        + " {\"addresses\": [\"10.0.2.52\"], \"conditions\": {\"ready\": false, \"serving\": false, \"terminating\": true}}]"), false);
        assertThat(rules("node1")).contains("-j DNAT --to-destination 10.0.1.52:8080").doesNotContain("10.0.2.52:8080");
    }

    @Test
    void updatesAndDeletesFollowTheRules() {
        controller.create(Resources.ENDPOINTSLICES, "default", slice("ext-1", "ext", "[{\"addresses\": [\"10.0.1.52\"]}]"), false);
        controller.update(Resources.ENDPOINTSLICES, "default", "ext-1", slice("ext-1", "ext", "[{\"addresses\": [\"10.0.2.52\"]}]"), false);
        assertThat(endpoints("ext")).containsExactly("10.0.2.52:8080");
        assertThat(rules("node1")).contains("10.0.2.52:8080").doesNotContain("10.0.1.52:8080");

        controller.delete(Resources.ENDPOINTSLICES, "default", "ext-1", false);
        assertThat(endpoints("ext")).isEmpty();
        assertThat(rules("node1")).contains("\"default/ext:http has no endpoints\"");
        assertThat(controller.cache().get(Resources.ENDPOINTSLICES, ObjectCache.key("default", "ext-1"))).isNull();
    }

    @Test
    void theAddressTypeIsImmutable() {
        controller.create(Resources.ENDPOINTSLICES, "default", slice("ext-1", "ext", "[{\"addresses\": [\"10.0.1.52\"]}]"), false);
        ObjectNode v6 = slice("ext-1", "ext", "[{\"addresses\": [\"fd00::1\"]}]").put("addressType", "IPv6");
        ApiException e = catchThrowableOfType(ApiException.class, () -> controller.update(Resources.ENDPOINTSLICES, "default", "ext-1", v6, false));
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("EndpointSlice \"ext-1\" is invalid: addressType: Invalid value: \"IPv6\": field is immutable");
    }

    @Test
    void badInputIsA422NamingTheField() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> controller.create(Resources.ENDPOINTSLICES, "default",
                slice("ext-1", "ext", "[{\"addresses\": [\"10.0.1.300\"]}]"), false));
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("EndpointSlice \"ext-1\" is invalid: endpoints[0].addresses[0]: Invalid value: \"10.0.1.300\": "
                + "must be a valid IPv4 address");
    }

    @Test
    void derivedSlicesAreReadOnly() {
        String derived = controller.cache().list(Resources.ENDPOINTSLICES).stream()
                .filter(o -> o.path("metadata").path("labels").path("kubernetes.io/service-name").asText().equals("service-test"))
                .map(o -> o.path("metadata").path("name").asText()).findFirst().orElseThrow();
        ObjectNode current = controller.cache().get(Resources.ENDPOINTSLICES, ObjectCache.key("default", derived)).deepCopy();
        ApiException update = catchThrowableOfType(ApiException.class, () -> controller.update(Resources.ENDPOINTSLICES, "default", derived, current, false));
        assertThat(update.code()).isEqualTo(403);
        assertThat(update.getMessage()).isEqualTo("endpointslices.discovery.k8s.io \"" + derived + "\" is forbidden: managed by "
                + "endpointslice-controller.k8s.io, one of the lab's controllers: change the Service or its pods instead");
        ApiException delete = catchThrowableOfType(ApiException.class, () -> controller.delete(Resources.ENDPOINTSLICES, "default", derived, false));
        assertThat(delete.code()).isEqualTo(403);
        // A new slice that claims to be the controller's is refused too.
        ObjectNode claim = slice("mine", "ext", "[]");
        ((ObjectNode) claim.path("metadata").path("labels")).put("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
        ApiException create = catchThrowableOfType(ApiException.class, () -> controller.create(Resources.ENDPOINTSLICES, "default", claim, false));
        assertThat(create.code()).isEqualTo(403);
        assertThat(create.getMessage()).contains("\"mine\" is forbidden: label endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io is reserved");
    }

    @Test
    void aSelectorlessServiceHasAMirroredSliceOnlyOnceItsEndpointsAreWritten() {
        assertThat(slicesOf("ext")).isEmpty();
        controller.update(Resources.ENDPOINTS, "default", "ext", json("""
                {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "ext"},
                 "subsets": [{"addresses": [{"ip": "10.0.2.52"}], "ports": [{"name": "http", "port": 8080}]}]}"""), false);
        assertThat(slicesOf("ext")).singleElement().satisfies(o -> assertThat(o.path("metadata").path("labels")
                .path("endpointslice.kubernetes.io/managed-by").asText()).isEqualTo("endpointslicemirroring-controller.k8s.io"));
    }

    List<ObjectNode> slicesOf(String service) {
        return controller.cache().list(Resources.ENDPOINTSLICES).stream()
                .filter(o -> o.path("metadata").path("labels").path("kubernetes.io/service-name").asText().equals(service)).toList();
    }

    @Test
    void slicesSurviveAReloadOfTheState() {
        controller.create(Resources.ENDPOINTSLICES, "default", slice("ext-1", "ext",
                "[{\"addresses\": [\"10.0.1.52\"], \"conditions\": {\"ready\": false, \"serving\": true, \"terminating\": true}}]"), false);
        lab.engine.save();
        LabState reloaded = lab.store.load("cs");
        assertThat(reloaded.userSlices).isEqualTo(lab.state().userSlices);
        List<EndpointRecord> eps = reloaded.endpoints.get("default/ext");
        assertThat(eps).singleElement().satisfies(e -> {
            assertThat(e.terminating()).isTrue();
            assertThat(e.serving()).isTrue();
        });
        Map<?, Map<String, ObjectNode>> views = ObjectViews.all(reloaded, Map.of());
        JsonNode served = views.get(Resources.ENDPOINTSLICES).get(ObjectCache.key("default", "ext-1"));
        assertThat(served.path("endpoints").get(0).path("conditions").path("terminating").asBoolean()).isTrue();
    }

    @Test
    void aSliceOfAnotherServiceOrWithoutTheLabelFeedsNothing() {
        ObjectNode unlabelled = slice("loose", "ext", "[{\"addresses\": [\"10.0.1.52\"]}]");
        ((ObjectNode) unlabelled.path("metadata").path("labels")).remove("kubernetes.io/service-name");
        controller.create(Resources.ENDPOINTSLICES, "default", unlabelled, false);
        controller.create(Resources.ENDPOINTSLICES, "default", slice("other", "nosuch", "[{\"addresses\": [\"10.0.1.53\"]}]"), false);
        assertThat(endpoints("ext")).isEmpty();
        assertThat(controller.cache().get(Resources.ENDPOINTSLICES, ObjectCache.key("default", "loose"))).isNotNull();
    }
}
