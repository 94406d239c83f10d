package io.kubenetlab.controller;

import static io.kubenetlab.controller.ControllerSlicesTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubenetlab.api.ApiException;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.Resources;
import org.junit.jupiter.api.Test;

/** default/kubernetes on the article's lab with fakes (issue 13, item 1): served, programmed, kept. */
class ControllerKubernetesServiceTest extends ControllerOnArticleLab {
    ControllerKubernetesServiceTest() {
        super("ck");
    }

    private JsonNode get(io.kubenetlab.api.ResourceType t, String name) {
        return controller.cache().get(t, ObjectCache.key("default", name));
    }

    private String rules(String node) {
        return lab.engine.plan().machine(node).orElseThrow().ruleset("kube-proxy").orElseThrow().text();
    }

    @Test
    void servedWithItsEndpointsAndProgrammedOnEveryNode() {
        JsonNode svc = get(Resources.SERVICES, "kubernetes");
        assertThat(svc.path("spec").path("clusterIP").asText()).isEqualTo("10.3.240.1");
        assertThat(svc.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(443);
        JsonNode ep = get(Resources.ENDPOINTS, "kubernetes");
        assertThat(ep.path("subsets").get(0).path("addresses").get(0).path("ip").asText()).isEqualTo("10.100.0.2");
        assertThat(ep.path("subsets").get(0).path("ports").get(0).path("port").asInt()).isEqualTo(6443);
        assertThat(get(Resources.ENDPOINTSLICES, "kubernetes")).isNotNull();
        for (String node : new String[]{"node1", "node2"}) {
            assertThat(rules(node)).contains("-d 10.3.240.1 --dport 443").contains("DNAT --to-destination 10.100.0.2:6443");
        }
    }

    @Test
    void deletedItComesBackAsANewObject() {
        String uid = get(Resources.SERVICES, "kubernetes").path("metadata").path("uid").asText();
        controller.delete(Resources.SERVICES, "default", "kubernetes", false);
        JsonNode again = get(Resources.SERVICES, "kubernetes");
        assertThat(again.path("spec").path("clusterIP").asText()).isEqualTo("10.3.240.1");
        assertThat(again.path("metadata").path("uid").asText()).isNotEqualTo(uid);
        assertThat(get(Resources.ENDPOINTS, "kubernetes")).as("its Endpoints, deleted with it, are back").isNotNull();

        String epUid = get(Resources.ENDPOINTS, "kubernetes").path("metadata").path("uid").asText();
        controller.delete(Resources.ENDPOINTS, "default", "kubernetes", false);
        JsonNode ep = get(Resources.ENDPOINTS, "kubernetes");
        assertThat(ep.path("subsets").get(0).path("addresses").get(0).path("ip").asText()).isEqualTo("10.100.0.2");
        assertThat(ep.path("metadata").path("uid").asText()).isNotEqualTo(epUid);
        assertThat(rules("node2")).contains("DNAT --to-destination 10.100.0.2:6443");
    }

    @Test
    void aLabWithoutItGetsItWhenItsControllerStarts() {
        controller.close();
        lab.state().services.removeIf(s -> s.key().equals("default/kubernetes"));
        lab.state().manualEndpoints.remove("default/kubernetes");
        lab.engine.save();
        controller = new Controller(lab.engine);
        assertThat(get(Resources.SERVICES, "kubernetes").path("spec").path("clusterIP").asText()).isEqualTo("10.3.240.1");
        assertThat(get(Resources.ENDPOINTS, "kubernetes")).isNotNull();
    }

    @Test
    void itsClusterIPCannotBeAskedFor() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> controller.create(Resources.SERVICES, "default", json("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "mine"},
                 "spec": {"clusterIP": "10.3.240.1", "ports": [{"port": 80}]}}"""), false));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).contains("spec.clusterIPs").contains("provided IP is already allocated");
    }
}
