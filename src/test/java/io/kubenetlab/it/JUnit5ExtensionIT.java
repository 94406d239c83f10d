package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenetlab.junit5.KubenetLab;
import io.kubenetlab.junit5.LabInstance;
import io.kubenetlab.Lab;
import io.kubenetlab.Requests;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The JUnit 5 extension as a user meets it (issue 15): one article lab for the class, injected into a
 * static field, an instance field and parameters; fabric8 scales the Deployment, awaitReady waits for
 * it, the load generator's answers come from all three pods with no failure, and exec runs nslookup
 * in a pod. That the lab is destroyed afterwards, per-method labs and logs of failing tests:
 * {@link JUnit5ExtensionLifecycleIT}.
 */
@KubenetLab(topology = "topologies/service-network.yaml", namePrefix = "i15j-cls")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JUnit5ExtensionIT {
    @LabInstance static Lab lab;
    @LabInstance Lab instanceLab;
    static Lab fromBeforeAll;

    @BeforeAll
    static void deployed(@LabInstance Lab param) {
        fromBeforeAll = param;
    }

    @Test
    @Order(1)
    void theLabIsInjectedEverywhereWithAUniqueName(@LabInstance Lab param) {
        assertThat(lab).isNotNull();
        assertThat(param).isSameAs(lab);
        assertThat(instanceLab).isSameAs(lab);
        assertThat(fromBeforeAll).isSameAs(lab);
        assertThat(lab.name()).matches("i15j-cls-[a-z0-9]{6}");
        assertThat(ItSupport.netnsOf(lab.name())).contains("knl-" + lab.name() + "-node1", "knl-" + lab.name() + "-service-test-client1");
    }

    @Test
    @Order(2)
    void fabric8ScalesAndTheLoadGeneratorCountsAnswersByPod() {
        try (KubernetesClient k8s = lab.kubernetesClient()) {
            k8s.apps().deployments().inNamespace("default").withName("service-test").scale(3);
        }
        lab.awaitReady("service-test", Duration.ofSeconds(60));

        Requests.Result r = lab.requests().from("service-test-client1").to("service-test", 80).times(60).run();
        assertThat(r.sent()).isEqualTo(60);
        assertThat(r.failed()).as("failures: %s", r.failures()).isZero();
        assertThat(r.answered()).isEqualTo(60);
        assertThat(r.byPod()).hasSize(3).allSatisfy((pod, n) -> assertThat(pod).startsWith("service-test-"));
    }

    @Test
    @Order(3)
    void failuresAreCountedNotDropped() {
        // Nothing listens on port 81 of the Service's pods: no rule for it, the ClusterIP refuses or times out.
        Requests.Result r = lab.requests().from("service-test-client1").to("service-test", 81).times(3).run();
        assertThat(r.sent()).isEqualTo(3);
        assertThat(r.answered()).isZero();
        assertThat(r.failed()).isEqualTo(3);
        assertThat(r.failures().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
    }

    @Test
    @Order(4)
    void execRunsInAPodAndCapturesItsOutput() {
        var r = lab.exec("service-test-client1", "nslookup", "service-test");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("Address: 10.3.241.152");
        assertThat(lab.exec("service-test-client1", "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
    }
}
