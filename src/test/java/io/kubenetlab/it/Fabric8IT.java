package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubenetlab.lab.Lab;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A second real client, the fabric8 Kubernetes Java client: list, watch, create and delete through the lab's API. */
class Fabric8IT {
    record Seen(Watcher.Action action, String name, String phase) {}

    @Test
    void listWatchCreateDelete() throws Exception {
        String name = ItSupport.uniqueLab("it-fabric8");
        try (Lab lab = ItSupport.deployArticle(name);
             KubernetesClient client = new KubernetesClientBuilder()
                     .withConfig(Config.fromKubeconfig(Files.readString(lab.kubeconfig()))).build()) {
            List<Pod> servers = client.pods().inNamespace("default").withLabel("app", "service_test_pod").list().getItems();
            assertThat(servers).extracting(p -> p.getStatus().getPodIP()).containsExactlyInAnyOrder("10.0.1.2", "10.0.2.2");
            assertThat(client.services().inNamespace("default").withName("service-test").get().getSpec().getClusterIP()).isEqualTo("10.3.241.152");
            assertThat(client.apps().deployments().inNamespace("default").withName("service-test").get().getStatus().getReadyReplicas()).isEqualTo(2);

            BlockingQueue<Seen> events = new LinkedBlockingQueue<>();
            try (Watch ignored = client.pods().inNamespace("default").watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    events.add(new Seen(action, pod.getMetadata().getName(), pod.getStatus() == null ? null : pod.getStatus().getPhase()));
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                Pod created = client.pods().inNamespace("default").resource(new PodBuilder()
                        .withNewMetadata().withName("fabric8-client").addToLabels("role", "client").endMetadata()
                        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("alpine")
                        .withCommand("/bin/sh", "-c", "echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc service-test 80").endContainer().endSpec()
                        .build()).create();
                assertThat(created.getSpec().getNodeName()).isIn("node1", "node2");
                assertThat(created.getStatus().getPodIP()).startsWith("10.0.");
                Seen added = next(events, "fabric8-client", Watcher.Action.ADDED);
                assertThat(added).as("the watch reports the new pod").isNotNull();
                // The client runs in milliseconds: it may already be done when first reported.
                Seen done = "Succeeded".equals(added.phase()) ? added : null;
                while (done == null) {
                    Seen s = next(events, "fabric8-client", Watcher.Action.MODIFIED);
                    assertThat(s).as("the pod runs to completion").isNotNull();
                    if ("Succeeded".equals(s.phase())) done = s;
                }
                assertThat(client.pods().inNamespace("default").withName("fabric8-client").getLog()).contains("Hello from service-test-");
                assertThat(client.pods().inNamespace("default").withName("fabric8-client").delete()).hasSize(1);
                assertThat(next(events, "fabric8-client", Watcher.Action.DELETED)).isNotNull();
            }
            assertThat(client.pods().inNamespace("default").withName("fabric8-client").get()).isNull();
            // A bad pod is refused with the field named, through the client's own exception.
            try {
                client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("no-image").endMetadata()
                        .withNewSpec().addNewContainer().withName("c").endContainer().endSpec().build()).create();
                org.junit.jupiter.api.Assertions.fail("a pod without an image was admitted");
            } catch (KubernetesClientException e) {
                assertThat(e.getCode()).isEqualTo(422);
                assertThat(e.getMessage()).contains("spec.containers[0].image");
            }
        }
        ItSupport.assertGone(name);
    }

    private static Seen next(BlockingQueue<Seen> events, String name, Watcher.Action action) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Seen s = events.poll(500, TimeUnit.MILLISECONDS);
            if (s != null && s.name().equals(name) && s.action() == action) return s;
        }
        return null;
    }
}
