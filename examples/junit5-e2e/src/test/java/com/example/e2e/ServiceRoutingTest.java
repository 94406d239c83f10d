package com.example.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenetlab.Lab;
import io.kubenetlab.Requests;
import io.kubenetlab.junit5.KubenetLab;
import io.kubenetlab.junit5.LabInstance;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The article's lab: a Service's ClusterIP spreads requests over the Deployment's pods, and a
 * scale-out is seen by the Service.
 */
@KubenetLab(topology = "../../topologies/service-network.yaml")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceRoutingTest {
    @LabInstance static Lab lab;

    @Test
    @Order(1)
    void theClusterIpSpreadsRequestsOverBothPods() {
        Requests.Result r = lab.requests().from("service-test-client1").to("10.3.241.152", 80).times(40).run();

        assertThat(r.failed()).as("failures: %s", r.failures()).isZero();
        assertThat(r.byPod().keySet()).containsExactlyInAnyOrderElementsOf(lab.pods("service-test"));
        assertThat(r.byPod().values()).allSatisfy(n -> assertThat(n).as("each pod's share of 40").isGreaterThan(5));
    }

    @Test
    @Order(2)
    void aScaleOutIsSeenByTheService() {
        try (KubernetesClient k8s = lab.kubernetesClient()) {
            k8s.apps().deployments().inNamespace("default").withName("service-test").scale(4);
        }
        lab.awaitReady("service-test", Duration.ofSeconds(60));

        Requests.Result r = lab.requests().from("service-test-client1").to("service-test", 80).times(80).run();

        assertThat(r.failed()).as("failures: %s", r.failures()).isZero();
        assertThat(lab.pods("service-test")).hasSize(4);
        assertThat(r.byPod().keySet()).containsExactlyInAnyOrderElementsOf(lab.pods("service-test"));
    }
}
