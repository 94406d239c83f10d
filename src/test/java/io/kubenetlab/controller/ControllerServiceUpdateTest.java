package io.kubenetlab.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ApiException;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.Resources;
import io.kubenetlab.model.ServiceRecord;
import org.junit.jupiter.api.Test;

/**
 * Service updates defaulted and cleaned as the API server does (issue 13, item 5): upstream's
 * dropTypeDependentFields on a type change, and SetDefaults_Service's sessionAffinityConfig rule.
 */
class ControllerServiceUpdateTest extends ControllerOnArticleLab {
    private static final ObjectMapper JSON = new ObjectMapper();

    ControllerServiceUpdateTest() {
        super("su");
    }

    private ObjectNode served(String name) {
        return controller.cache().get(Resources.SERVICES, ObjectCache.key("default", name)).deepCopy();
    }

    private ServiceRecord record(String name) {
        return lab.state().service("default", name).orElseThrow();
    }

    private ObjectNode spec(ObjectNode o) {
        return (ObjectNode) o.get("spec");
    }

    @Test
    void nodePortToExternalNameDropsTheClusterIPAndNodePortsAndReleasesThem() {
        ObjectNode live = served("service-test-nodeport");
        assertThat(spec(live).path("clusterIP").asText()).isNotEmpty();
        String oldIP = spec(live).path("clusterIP").asText();
        spec(live).put("type", "ExternalName").put("externalName", "service-test.default.svc.cluster.local");

        ObjectNode out = controller.update(Resources.SERVICES, "default", "service-test-nodeport", live, false);

        assertThat(spec(out).has("clusterIP")).isFalse();
        assertThat(spec(out).has("clusterIPs")).isFalse();
        assertThat(spec(out).has("ipFamilies")).isFalse();
        assertThat(spec(out).has("externalTrafficPolicy")).isFalse();
        assertThat(spec(out).path("ports").get(0).has("nodePort")).isFalse();
        assertThat(record("service-test-nodeport").clusterIP()).isNull();

        // Both allocations are free again: a new Service may take them.
        ObjectNode taker = (ObjectNode) JSON.valueToTree(java.util.Map.of("apiVersion", "v1", "kind", "Service",
                "metadata", java.util.Map.of("name", "taker"),
                "spec", java.util.Map.of("type", "NodePort", "clusterIP", oldIP, "selector", java.util.Map.of("app", "x"),
                        "ports", java.util.List.of(java.util.Map.of("port", 80, "nodePort", 30080)))));
        ObjectNode created = controller.create(Resources.SERVICES, "default", taker, false);
        assertThat(spec(created).path("clusterIP").asText()).isEqualTo(oldIP);
        assertThat(spec(created).path("ports").get(0).path("nodePort").asInt()).isEqualTo(30080);
    }

    @Test
    void aClusterIPTheUserChangedIsKeptAndRefusedForExternalName() {
        ObjectNode live = served("service-test-nodeport");
        spec(live).put("type", "ExternalName").put("externalName", "example.com").put("clusterIP", "10.3.241.200");
        spec(live).remove("clusterIPs");
        ApiException e = catchThrowableOfType(() -> controller.update(Resources.SERVICES, "default", "service-test-nodeport", live, false),
                ApiException.class);
        assertThat(e.getMessage()).contains("spec.clusterIPs: Forbidden: may not be set for ExternalName services");
        assertThat(record("service-test-nodeport").type()).isEqualTo("NodePort");
    }

    @Test
    void aNetNewNodePortIsKeptAndRefusedForClusterIP() {
        ObjectNode live = served("service-test-nodeport");
        spec(live).put("type", "ClusterIP");
        ((ObjectNode) spec(live).path("ports").get(0)).put("nodePort", 30099);
        ApiException e = catchThrowableOfType(() -> controller.update(Resources.SERVICES, "default", "service-test-nodeport", live, false),
                ApiException.class);
        assertThat(e.getMessage()).contains("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    }

    @Test
    void loadBalancerToClusterIPKeepsTheClusterIPAndDropsWhatOnlyABalancerHas() {
        ObjectNode live = served("service-test-lb");
        String ip = spec(live).path("clusterIP").asText();
        spec(live).put("type", "ClusterIP");
        ObjectNode out = controller.update(Resources.SERVICES, "default", "service-test-lb", live, false);
        assertThat(spec(out).path("clusterIP").asText()).isEqualTo(ip);
        assertThat(spec(out).has("allocateLoadBalancerNodePorts")).isFalse();
        assertThat(spec(out).has("externalTrafficPolicy")).isFalse();
        assertThat(spec(out).path("ports").get(0).has("nodePort")).isFalse();
        assertThat(out.path("status").path("loadBalancer").path("ingress").isMissingNode()
                || out.path("status").path("loadBalancer").path("ingress").isEmpty()).isTrue();
        assertThat(record("service-test-lb").loadBalancerIPs()).isEmpty();
    }

    @Test
    void externalNameBackToClusterIPGetsANewAddress() {
        ObjectNode live = served("service-test-nodeport");
        spec(live).put("type", "ExternalName").put("externalName", "example.com");
        controller.update(Resources.SERVICES, "default", "service-test-nodeport", live, false);
        ObjectNode back = served("service-test-nodeport");
        spec(back).put("type", "ClusterIP").remove("externalName");
        spec(back).putArray("ports").addObject().put("port", 80).put("targetPort", 8080);
        ObjectNode out = controller.update(Resources.SERVICES, "default", "service-test-nodeport", back, false);
        assertThat(spec(out).path("clusterIP").asText()).startsWith("10.3.");
        assertThat(record("service-test-nodeport").clusterIP()).isNotNull();
    }

    @Test
    void sessionAffinityNoneClearsItsConfig() {
        ObjectNode live = served("service-test");
        spec(live).put("sessionAffinity", "ClientIP").putObject("sessionAffinityConfig").putObject("clientIP").put("timeoutSeconds", 60);
        ObjectNode sticky = controller.update(Resources.SERVICES, "default", "service-test", live, false);
        assertThat(spec(sticky).path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds").asInt()).isEqualTo(60);
        assertThat(record("service-test").affinityTimeoutSeconds()).isEqualTo(60);

        spec(sticky).put("sessionAffinity", "None"); // the config left as it was: defaulting clears it
        ObjectNode none = controller.update(Resources.SERVICES, "default", "service-test", sticky, false);
        assertThat(spec(none).path("sessionAffinity").asText()).isEqualTo("None");
        assertThat(spec(none).has("sessionAffinityConfig")).isFalse();

        // ClientIP again without a config: the default timeout, not the old one.
        spec(none).put("sessionAffinity", "ClientIP");
        ObjectNode again = controller.update(Resources.SERVICES, "default", "service-test", none, false);
        assertThat(spec(again).path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds").asInt()).isEqualTo(10800);
    }
}
