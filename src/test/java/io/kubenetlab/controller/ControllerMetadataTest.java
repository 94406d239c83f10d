package io.kubenetlab.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ApiException;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.ResourceType;
import io.kubenetlab.api.Resources;
import io.kubenetlab.plan.Ruleset;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Labels and annotations through the API backend (kept for nodes and namespaces too, across a
 * restart), hand-written Endpoints without a Service, and kube-proxy's service-proxy-name label.
 */
class ControllerMetadataTest extends ControllerOnArticleLab {
    ControllerMetadataTest() {
        super("cm");
    }

    ObjectNode get(ResourceType t, String ns, String name) {
        return controller.cache().get(t, ObjectCache.key(ns, name));
    }

    /** As kubectl label ends up: the object as served, with one more label, through the API backend. */
    ObjectNode label(ResourceType t, String ns, String name, String key, String value) {
        ObjectNode o = get(t, ns, name).deepCopy();
        ObjectNode meta = (ObjectNode) o.get("metadata");
        ObjectNode labels = meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
        if (value == null) labels.remove(key);
        else labels.put(key, value);
        return controller.update(t, ns, name, o, false);
    }

    ObjectNode annotate(ResourceType t, String ns, String name, String key, String value) {
        ObjectNode o = get(t, ns, name).deepCopy();
        ObjectNode meta = (ObjectNode) o.get("metadata");
        (meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations")).put(key, value);
        return controller.update(t, ns, name, o, false);
    }

    @Test
    void nodeAndNamespaceLabelsAndAnnotationsAreKeptAndSurviveARestart() {
        assertThat(label(Resources.NODES, null, "node1", "zone", "a").at("/metadata/labels/zone").asText()).isEqualTo("a");
        annotate(Resources.NODES, null, "node1", "note", "hi");
        label(Resources.NAMESPACES, null, "default", "team", "x");
        annotate(Resources.NAMESPACES, null, "default", "owner", "me");
        assertThat(get(Resources.NODES, null, "node1").at("/metadata/labels").toString())
                .contains("\"kubernetes.io/hostname\":\"node1\"").contains("\"zone\":\"a\"");
        assertThat(get(Resources.NODES, null, "node2").at("/metadata/labels/zone").isMissingNode()).isTrue();

        controller.close();
        controller = new Controller(lab.engine); // a restarted controller reads the saved state back
        assertThat(get(Resources.NODES, null, "node1").at("/metadata/labels/zone").asText()).isEqualTo("a");
        assertThat(get(Resources.NODES, null, "node1").at("/metadata/annotations/note").asText()).isEqualTo("hi");
        assertThat(get(Resources.NAMESPACES, null, "default").at("/metadata/labels").toString())
                .contains("\"team\":\"x\"").contains("\"kubernetes.io/metadata.name\":\"default\"");
        assertThat(get(Resources.NAMESPACES, null, "default").at("/metadata/annotations/owner").asText()).isEqualTo("me");

        assertThat(label(Resources.NODES, null, "node1", "zone", null).at("/metadata/labels/zone").isMissingNode()).isTrue();
        // The apiserver's own namespace label stays whatever the user sends.
        assertThat(label(Resources.NAMESPACES, null, "default", "kubernetes.io/metadata.name", null)
                .at("/metadata/labels/kubernetes.io~1metadata.name").asText()).isEqualTo("default");
    }

    @Test
    void aDryRunAnswersWithTheLabelsItWouldKeepAndKeepsNothing() {
        ObjectNode o = get(Resources.NODES, null, "node2").deepCopy();
        ((ObjectNode) o.get("metadata")).putObject("annotations").put("a", "b");
        assertThat(controller.update(Resources.NODES, null, "node2", o, true).at("/metadata/annotations/a").asText()).isEqualTo("b");
        assertThat(get(Resources.NODES, null, "node2").at("/metadata/annotations").isMissingNode()).isTrue();
    }

    @Test
    void aNamespaceCreatedWithLabelsKeepsThem() {
        ObjectNode ns = ObjectViews.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        ns.putObject("metadata").put("name", "team-a").putObject("labels").put("env", "dev");
        ObjectNode served = controller.create(Resources.NAMESPACES, null, ns, false);
        assertThat(served.at("/metadata/labels/env").asText()).isEqualTo("dev");
        assertThat(served.at("/metadata/labels/kubernetes.io~1metadata.name").asText()).isEqualTo("team-a");
    }

    @Test
    void aNodesSpecCannotChangeAndBadLabelsAreRefused() {
        ObjectNode cordon = get(Resources.NODES, null, "node1").deepCopy();
        ((ObjectNode) cordon.get("spec")).put("unschedulable", true);
        assertThatThrownBy(() -> controller.update(Resources.NODES, null, "node1", cordon, false)).isInstanceOf(ApiException.class)
                .hasMessageContaining("Node \"node1\" is invalid: spec: Forbidden");
        assertThatThrownBy(() -> label(Resources.NODES, null, "node1", "bad key!", "x")).isInstanceOf(ApiException.class)
                .hasMessageContaining("not a valid label key");
    }

    @Test
    void endpointsWithoutAServiceAreKeptAndServeTheServiceThatComesLater() {
        ObjectNode ep = ObjectViews.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Endpoints");
        ep.putObject("metadata").put("name", "orphan").putObject("labels").put("a", "b");
        ObjectNode subset = ep.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", "192.0.2.42");
        subset.putArray("ports").addObject().put("port", 5432);
        ObjectNode created = controller.create(Resources.ENDPOINTS, "default", ep, false);
        assertThat(created).isNotNull();
        assertThat(created.at("/metadata/labels/a").asText()).isEqualTo("b");
        assertThat(created.at("/subsets/0/addresses/0/ip").asText()).isEqualTo("192.0.2.42");
        assertThat(get(Resources.ENDPOINTS, "default", "orphan")).isNotNull();

        ObjectNode svc = ObjectViews.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Service");
        svc.putObject("metadata").put("name", "orphan");
        svc.putObject("spec").putArray("ports").addObject().put("port", 80).put("targetPort", 5432);
        controller.create(Resources.SERVICES, "default", svc, false);
        assertThat(lab.state().endpoints.get("default/orphan")).extracting(e -> e.ip() + ":" + e.port()).containsExactly("192.0.2.42:5432");
        assertThat(get(Resources.ENDPOINTS, "default", "orphan").at("/metadata/labels/a").asText()).isEqualTo("b");

        controller.delete(Resources.SERVICES, "default", "orphan", false); // the endpoints controller deletes it along
        assertThat(get(Resources.ENDPOINTS, "default", "orphan")).isNull();
    }

    @Test
    void managedEndpointsCarryTheServicesLabelsAndTheHeadlessMark() {
        assertThat(get(Resources.ENDPOINTS, "default", "service-test-headless").at("/metadata/labels/service.kubernetes.io~1headless").isMissingNode())
                .isFalse();
        label(Resources.SERVICES, "default", "service-test", "tier", "web");
        assertThat(get(Resources.ENDPOINTS, "default", "service-test").at("/metadata/labels/tier").asText()).isEqualTo("web");
    }

    @Test
    void theServiceProxyNameLabelTakesTheServiceOutOfEveryNodesRulesAndBack() {
        String clusterIP = "10.3.241.152"; // service-test's
        assertThat(rules("node1")).contains(clusterIP);
        label(Resources.SERVICES, "default", "service-test", "service.kubernetes.io/service-proxy-name", "foo");
        assertThat(rules("node1")).doesNotContain(clusterIP).contains("default/service-test-nodeport");
        assertThat(rules("node2")).doesNotContain(clusterIP);
        label(Resources.SERVICES, "default", "service-test", "service.kubernetes.io/service-proxy-name", null);
        assertThat(rules("node1")).contains(clusterIP);
        label(Resources.SERVICES, "default", "service-test", "service.kubernetes.io/headless", "");
        assertThat(rules("node2")).doesNotContain(clusterIP);
    }

    String rules(String node) {
        return lab.engine.plan().machine(node).orElseThrow().rulesets().stream().map(Ruleset::text).collect(Collectors.joining("\n"));
    }
}
