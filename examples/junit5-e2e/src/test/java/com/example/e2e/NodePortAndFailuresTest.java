package com.example.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenetlab.Lab;
import io.kubenetlab.Requests;
import io.kubenetlab.junit5.KubenetLab;
import io.kubenetlab.junit5.LabInstance;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The article's lab seen from outside the cluster (NodePort 30080 on every node), and a pod killed
 * under the Service: it leaves the Service at once, nobody gets a failure, its replacement joins.
 */
@KubenetLab(topology = "../../topologies/service-network.yaml")
class NodePortAndFailuresTest {
    @LabInstance static Lab lab;

    /**
     * A killed pod's replacement must not get requests before its server listens: as in any cluster,
     * that is what a readiness probe is for. Added here through fabric8 (a rollout follows).
     */
    @BeforeAll
    static void serversAreReadyOnlyOnceTheyListen() {
        try (KubernetesClient k8s = lab.kubernetesClient()) {
            var deployments = k8s.apps().deployments().inNamespace("default");
            // edit: a patch, so the controller's status updates in between cannot make it a 409 conflict
            deployments.withName("service-test").edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setReadinessProbe(new ProbeBuilder()
                        .withNewTcpSocket().withNewPort(8080).endTcpSocket().withPeriodSeconds(1).build());
                return d;
            });
        }
        lab.awaitReady("service-test", Duration.ofSeconds(60));
    }

    @Test
    void theNodePortAnswersOnEveryNodeFromOutsideTheCluster() {
        for (String node : List.of("10.100.0.2", "10.100.0.3")) {
            Requests.Result r = lab.requests().from("ext-client").to(node, 30080).times(20).run();

            assertThat(r.failed()).as("failures through %s:30080: %s", node, r.failures()).isZero();
            assertThat(r.byPod().keySet()).as("pods answering through %s", node).isSubsetOf(lab.pods("service-test"));
        }
    }

    @Test
    void aKilledPodLeavesTheServiceAndItsReplacementJoins() {
        String victim = lab.pods("service-test").get(0);

        lab.kill(victim);
        Requests.Result during = lab.requests().from("service-test-client1").to("service-test", 80).times(30).run();

        assertThat(during.failed()).as("failures: %s", during.failures()).isZero();
        assertThat(during.byPod()).doesNotContainKey(victim);

        lab.awaitReady("service-test", Duration.ofSeconds(60));
        List<String> now = lab.pods("service-test");
        assertThat(now).hasSize(2).doesNotContain(victim);
        Requests.Result after = lab.requests().from("service-test-client1").to("service-test", 80).times(40).run();
        assertThat(after.failed()).as("failures: %s", after.failures()).isZero();
        assertThat(after.byPod().keySet()).containsExactlyInAnyOrderElementsOf(now);
    }
}
