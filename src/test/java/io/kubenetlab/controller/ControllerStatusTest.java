package io.kubenetlab.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ApiException;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.Resources;
import io.kubenetlab.api.Warnings;
import io.kubenetlab.model.ServiceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** services/status through the API backend, on the article's lab with a fake runtime. */
class ControllerStatusTest extends ControllerOnArticleLab {
    private static final ObjectMapper JSON = new ObjectMapper();

    ControllerStatusTest() {
        super("cs");
    }

    @BeforeEach
    void start() {
        Warnings.drain();
    }

    private ObjectNode served() {
        return controller.cache().get(Resources.SERVICES, ObjectCache.key("default", "service-test-lb")).deepCopy();
    }

    private ServiceRecord record() {
        return lab.state().service("default", "service-test-lb").orElseThrow();
    }

    @Test
    void theStatusAloneChangesAndItsIngressIsWhatKubeProxyGets() throws Exception {
        assertThat(record().loadBalancerIPs()).hasToString("[203.0.113.100]");
        ObjectNode body = served();
        body.set("status", JSON.readTree("{\"loadBalancer\":{\"ingress\":[{\"ip\":\"203.0.113.7\"}]}}"));
        ((ObjectNode) body.get("spec")).put("sessionAffinity", "ClientIP");
        ObjectNode out = controller.updateStatus(Resources.SERVICES, "default", "service-test-lb", body, false);
        assertThat(out.path("status").path("loadBalancer").path("ingress").get(0).path("ip").asText()).isEqualTo("203.0.113.7");
        assertThat(out.path("spec").path("sessionAffinity").asText()).isEqualTo("None");
        assertThat(record().loadBalancerIPs()).hasToString("[203.0.113.7]");

        // An update of the main resource keeps it, whatever status it sends.
        ObjectNode main = served();
        main.set("status", JSON.readTree("{\"loadBalancer\":{}}"));
        ((ObjectNode) main.get("metadata")).putObject("labels").put("a", "b");
        controller.update(Resources.SERVICES, "default", "service-test-lb", main, false);
        assertThat(record().loadBalancerIPs()).hasToString("[203.0.113.7]");
        assertThat(served().path("status").path("loadBalancer").path("ingress").get(0).path("ipMode").asText()).isEqualTo("VIP");

        // Leaving LoadBalancer clears it, as the cloud's controller does.
        ObjectNode cip = served();
        ((ObjectNode) cip.get("spec")).put("type", "ClusterIP").remove("allocateLoadBalancerNodePorts");
        ((ObjectNode) cip.get("spec")).remove("externalTrafficPolicy");
        ((com.fasterxml.jackson.databind.node.ArrayNode) cip.get("spec").get("ports")).forEach(p -> ((ObjectNode) p).remove("nodePort"));
        controller.update(Resources.SERVICES, "default", "service-test-lb", cip, false);
        assertThat(record().loadBalancerIPs()).isEmpty();
        assertThat(lab.state().serviceStatuses).doesNotContainKey("default/service-test-lb");
    }

    @Test
    void aStaleResourceVersionIsAConflictAndOtherKindsRefuse() {
        ObjectNode body = served();
        ((ObjectNode) body.get("metadata")).put("resourceVersion", "1");
        assertThat(catchThrowableOfType(ApiException.class, () -> controller.updateStatus(Resources.SERVICES, "default", "service-test-lb", body, false))
                .code()).isEqualTo(409);
        ApiException e = catchThrowableOfType(ApiException.class, () -> controller.updateStatus(Resources.PODS, "default", "x", body, false));
        assertThat(e.getMessage()).contains("only services/status takes writes");
    }

    @Test
    void whatCannotBeGivenIsAWarning() {
        ObjectNode svc = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Service");
        svc.putObject("metadata").put("name", "far");
        ObjectNode spec = svc.putObject("spec").put("type", "LoadBalancer").put("loadBalancerIP", "192.0.2.9").put("trafficDistribution", "PreferClose");
        spec.putArray("ports").addObject().put("port", 80);
        controller.create(Resources.SERVICES, "default", svc, false);
        assertThat(Warnings.drain()).anyMatch(w -> w.startsWith("spec.loadBalancerIP: 192.0.2.9 is not free"))
                .anyMatch(w -> w.startsWith("spec.trafficDistribution: PreferClose is kept but not modelled"));
        assertThat(lab.state().service("default", "far").orElseThrow().loadBalancerIPs()).isEmpty();
    }
}
