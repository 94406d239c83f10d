package io.kubenetlab.controller;

import static io.kubenetlab.controller.ControllerSlicesTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.Resources;
import io.kubenetlab.model.PodRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the API serves for a Service's endpoints, on the article's lab with fakes: publishNotReadyAddresses
 * (not-ready pods as ready endpoints, in rules too) and slices grouped by port set (issue 13, items 3 and 8).
 */
class ControllerEndpointsTest extends ControllerOnArticleLab {
    ControllerEndpointsTest() {
        super("ce");
    }

    private void service(String name, String clusterIP, boolean publish) {
        controller.create(Resources.SERVICES, "default", json("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "%s"},
                 "spec": {"clusterIP": "%s", "selector": {"app": "service_test_pod"}, "publishNotReadyAddresses": %s,
                          "ports": [{"name": "web", "port": 80, "targetPort": "http"}]}}""".formatted(name, clusterIP, publish)), false);
    }

    private JsonNode endpoints(String name) {
        return controller.cache().get(Resources.ENDPOINTS, ObjectCache.key("default", name));
    }

    private List<ObjectNode> slicesOf(String service) {
        return controller.cache().list(Resources.ENDPOINTSLICES).stream()
                .filter(o -> o.path("metadata").path("labels").path("kubernetes.io/service-name").asText().equals(service)).toList();
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static String addresses(JsonNode slice) {
        List<String> out = new ArrayList<>();
        slice.path("endpoints").forEach(e -> out.add(e.path("addresses").get(0).asText()));
        return String.join(",", out);
    }

    private String rules(String node) {
        return lab.engine.plan().machine(node).orElseThrow().ruleset("kube-proxy").orElseThrow().text();
    }

    @Test
    void aServicePublishingNotReadyAddressesListsNotReadyPodsAsReadyAndSendsThemTraffic() {
        PodRecord down = lab.podsOf("service-test").stream().filter(p -> p.node().equals("node1")).findFirst().orElseThrow();
        lab.runtime.setReady(down.name(), false);
        controller.tick();
        service("peers", "10.3.241.201", true);
        service("plain", "10.3.241.202", false);

        JsonNode peers = endpoints("peers").path("subsets");
        assertThat(peers).hasSize(1);
        assertThat(texts(peers.get(0).path("addresses"), "ip")).containsExactly("10.0.1.2", "10.0.2.2");
        assertThat(peers.get(0).has("notReadyAddresses")).isFalse();
        assertThat(texts(endpoints("plain").path("subsets").get(0).path("notReadyAddresses"), "ip")).containsExactly("10.0.1.2");

        JsonNode endpoint = slicesOf("peers").get(0).path("endpoints").get(0);
        assertThat(endpoint.path("addresses").get(0).asText()).isEqualTo("10.0.1.2");
        assertThat(endpoint.path("conditions").toString()).isEqualTo("{\"ready\":true,\"serving\":false,\"terminating\":false}");
        assertThat(controller.cache().get(Resources.SERVICES, ObjectCache.key("default", "peers")).path("spec")
                .path("publishNotReadyAddresses").asBoolean()).isTrue();

        String rules = rules("node2");
        assertThat(rules).contains("--to-destination 10.0.1.2:8080").contains("--to-destination 10.0.2.2:8080");
        assertThat(rules).containsPattern("-A KUBE-SERVICES -m comment --comment \"default/peers:web cluster IP\"[^\\n]*10.3.241.201");

        // Turning it off through an update moves the pod back among the not-ready addresses.
        ObjectNode svc = controller.cache().get(Resources.SERVICES, ObjectCache.key("default", "peers")).deepCopy();
        ((ObjectNode) svc.path("spec")).put("publishNotReadyAddresses", false);
        controller.update(Resources.SERVICES, "default", "peers", svc, false);
        assertThat(texts(endpoints("peers").path("subsets").get(0).path("notReadyAddresses"), "ip")).containsExactly("10.0.1.2");
        assertThat(controller.cache().get(Resources.SERVICES, ObjectCache.key("default", "peers")).path("spec").has("publishNotReadyAddresses"))
                .isFalse();
    }

    @Test
    void podsWhoseNamedPortHasAnotherNumberGetASliceAndASubsetOfTheirOwn() {
        controller.create(Resources.PODS, "default", json("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "alt", "labels": {"app": "service_test_pod"}},
                 "spec": {"containers": [{"name": "web", "image": "python:3", "command": ["python", "-m", "http.server", "8081"],
                                          "ports": [{"name": "http", "containerPort": 8081}]}]}}"""), false);
        controller.tick();
        service("multi", "10.3.241.203", false);
        String alt = lab.pod("alt").ip().toString();

        List<ObjectNode> slices = slicesOf("multi");
        assertThat(slices).hasSize(2);
        List<String> byPort = slices.stream().map(s -> s.path("ports").get(0).path("port").asInt() + " " + addresses(s)).sorted().toList();
        assertThat(byPort).containsExactly("8080 10.0.1.2,10.0.2.2", "8081 " + alt);
        assertThat(slices).extracting(s -> s.path("metadata").path("name").asText()).doesNotHaveDuplicates();
        assertThat(slices).extracting(s -> s.path("metadata").path("uid").asText()).doesNotHaveDuplicates();

        JsonNode subsets = endpoints("multi").path("subsets");
        assertThat(subsets).hasSize(2);
        assertThat(subsets.get(0).path("ports").get(0).path("port").asInt()).isEqualTo(8080);
        assertThat(texts(subsets.get(1).path("addresses"), "ip")).containsExactly(alt);
        assertThat(subsets.get(1).path("ports").get(0).path("port").asInt()).isEqualTo(8081);

        // Other Services of these pods target 8080 by number: only multi's own rules matter here.
        String rules = String.join("\n", rules("node1").lines().filter(l -> l.contains("default/multi:web")).toList());
        assertThat(rules).contains("--to-destination " + alt + ":8081").contains("--to-destination 10.0.2.2:8080").doesNotContain("--to-destination " + alt + ":8080")
                .doesNotContain("--to-destination 10.0.1.2:8081");
    }
}
