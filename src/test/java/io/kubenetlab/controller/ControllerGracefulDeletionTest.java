package io.kubenetlab.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.DeleteOptions;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.Resources;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.model.EventRecord;
import io.kubenetlab.model.PodRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A deleted pod terminates before it goes: deletionTimestamp in its view, not ready but serving and
 * terminating in its Service's EndpointSlice, left out of the Endpoints object, SIGTERM sent off the
 * lock; it goes when its processes exit or its grace period ends, at once when forced.
 */
class ControllerGracefulDeletionTest extends ControllerOnArticleLab {
    ControllerGracefulDeletionTest() {
        super("cg");
    }

    PodRecord victim() {
        return lab.podsOf("service-test").stream().filter(p -> p.node().equals("node1")).findFirst().orElseThrow();
    }

    ObjectNode podView(String name) {
        return controller.cache().get(Resources.PODS, ObjectCache.key("default", name));
    }

    JsonNode sliceEndpoint(String ip) {
        for (ObjectNode s : controller.cache().list(Resources.ENDPOINTSLICES)) {
            if (!s.path("metadata").path("labels").path("kubernetes.io/service-name").asText().equals("service-test")) continue;
            for (JsonNode e : s.path("endpoints")) if (e.path("addresses").get(0).asText().equals(ip)) return e;
        }
        return null;
    }

    String endpointsObject() {
        return controller.cache().get(Resources.ENDPOINTS, ObjectCache.key("default", "service-test")).toString();
    }

    void awaitSigterm(String pod) {
        long deadline = System.currentTimeMillis() + 5_000;
        while (!lab.runtime.terminated().contains(pod) && System.currentTimeMillis() < deadline) Procs.sleep(5);
        assertThat(lab.runtime.terminated()).contains(pod);
    }

    @Test
    void aDeletedPodTerminatesUntilItsProcessesExit() {
        PodRecord v = victim();
        String ip = v.ip().toString();

        ObjectNode answer = controller.delete(Resources.PODS, "default", v.name(), false);

        assertThat(answer.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
        assertThat(answer.path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);
        assertThat(podView(v.name()).path("metadata").has("deletionTimestamp")).isTrue();
        assertThat(io.kubenetlab.output.Tables.podStatus(podView(v.name()))).isEqualTo("Terminating");
        JsonNode ep = sliceEndpoint(ip);
        assertThat(ep).isNotNull();
        assertThat(ep.path("conditions").path("ready").asBoolean()).isFalse();
        assertThat(ep.path("conditions").path("serving").asBoolean()).isTrue();
        assertThat(ep.path("conditions").path("terminating").asBoolean()).isTrue();
        assertThat(endpointsObject()).doesNotContain(ip);
        assertThat(lab.state().events.stream().filter(e -> e.reason().equals("Killing") && e.objectName().equals(v.name())))
                .extracting(EventRecord::message).containsExactly("Stopping container simple-http");
        awaitSigterm(v.name());

        controller.tick();
        assertThat(lab.runtime.deleted()).isEmpty();
        assertThat(lab.state().pod(v.name())).isPresent();
        // The ReplicaSet does not count it: a replacement is already there.
        assertThat(lab.podsOf("service-test").stream().filter(p -> !p.terminating())).hasSize(2);

        lab.runtime.exit(v.name(), 0);
        controller.tick();

        assertThat(lab.runtime.deleted()).containsExactly(v.name());
        assertThat(lab.state().pod(v.name())).isEmpty();
        assertThat(podView(v.name())).isNull();
        assertThat(sliceEndpoint(ip)).isNull();
    }

    @Test
    void aPodThatIgnoresSigtermGoesAtTheEndOfItsGracePeriod() {
        PodRecord v = victim();
        long t0 = System.currentTimeMillis();
        controller.delete(Resources.PODS, "default", v.name(), new DeleteOptions(1L, null), false);
        awaitSigterm(v.name());
        controller.tick();
        assertThat(lab.state().pod(v.name())).isPresent();

        // kubelet gives at least 2 s after SIGTERM
        while (System.currentTimeMillis() < t0 + 2_300) Procs.sleep(20);
        controller.tick();

        assertThat(lab.runtime.deleted()).containsExactly(v.name());
    }

    @Test
    void aForcedDeleteOfATerminatingPodRemovesItAtOnce() {
        PodRecord v = victim();
        controller.delete(Resources.PODS, "default", v.name(), false);
        long deadline = lab.pod(v.name()).deletion().deadlineMs();
        // a second delete with a longer grace changes nothing, a shorter one shortens it
        controller.delete(Resources.PODS, "default", v.name(), new DeleteOptions(60L, null), false);
        assertThat(lab.pod(v.name()).deletion().deadlineMs()).isEqualTo(deadline);
        controller.delete(Resources.PODS, "default", v.name(), new DeleteOptions(5L, null), false);
        assertThat(lab.pod(v.name()).deletion().gracePeriodSeconds()).isEqualTo(5);

        ObjectNode gone = controller.delete(Resources.PODS, "default", v.name(), new DeleteOptions(0L, null), false);

        assertThat(gone.path("metadata").path("name").asText()).isEqualTo(v.name());
        assertThat(lab.runtime.deleted()).containsExactly(v.name());
        assertThat(lab.state().pod(v.name())).isEmpty();
        assertThat(lab.state().events.stream().filter(e -> e.reason().equals("Killing") && e.objectName().equals(v.name()))).hasSize(1);
    }

    @Test
    void deletingADeploymentTerminatesItsPods() {
        List<String> pods = lab.podsOf("service-test").stream().map(PodRecord::name).toList();
        controller.delete(Resources.DEPLOYMENTS, "default", "service-test", false);
        for (String p : pods) assertThat(lab.pod(p).terminating()).isTrue();
        pods.forEach(this::awaitSigterm);
        pods.forEach(p -> lab.runtime.exit(p, 0));
        controller.tick();
        assertThat(lab.runtime.deleted()).containsExactlyInAnyOrderElementsOf(pods);
    }
}
