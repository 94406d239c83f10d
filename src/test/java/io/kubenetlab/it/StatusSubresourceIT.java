package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.it.Kubectl.Out;
import io.kubenetlab.lab.Lab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Through the real kubectl: the status subresource of Services (issue 13, item 6). An outside
 * load-balancer controller's status.loadBalancer.ingress, written with merge, JSON and strategic patches
 * and with replace --subresource=status, is served, watched, captured by kube-proxy on the nodes (both
 * modes) and, inside its network, served by the lab's load balancer; spec through /status and status
 * through the main resource are ignored, as upstream's service strategies do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusSubresourceIT extends ArticleKubectlBase {
    StatusSubresourceIT() {
        super("knl-i13c", "i13c-st");
    }

    private static final String SVC = """
            apiVersion: v1
            kind: Service
            metadata: {name: ext-lb}
            spec:
              type: LoadBalancer
              selector: {app: service_test_pod}
              ports: [{port: 80, targetPort: 8080}]
            """;

    private String ingress(Lab l) {
        return ok(l, "get", "svc", "ext-lb", "-o", "jsonpath={.status.loadBalancer.ingress[*].ip}");
    }

    private String request(Lab l, String from, String ip) {
        return l.execCapture(from, List.of("sh", "-c", "echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 3 " + ip + " 80")).stdout();
    }

    @Test
    @Order(1)
    void anOutsideControllersStatusIsServedWatchedAndUsedByKubeProxyAndTheLoadBalancer() throws Exception {
        ok("apply", "-f", file("svc.yaml", SVC).toString());
        String own = ingress(lab);
        assertThat(own).as("the lab's load balancer assigned an EXTERNAL-IP").startsWith("203.0.113.");
        Process watch = new ProcessBuilder(kubectl.argv(lab, "get", "svc", "ext-lb", "-w", "--output-watch-events", "--no-headers"))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("watch.txt").toFile()).start();
        try {
            Thread.sleep(1000); // the watch is open
            // Before: "Error from server (MethodNotAllowed): status is written by kubenetlab's controller".
            assertThat(ok("patch", "service", "ext-lb", "--subresource=status", "--type=merge",
                    "-p", "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"203.0.113.7\"}]}}}")).contains("service/ext-lb patched");
            assertThat(ingress(lab)).isEqualTo("203.0.113.7");
            assertThat(ok("get", "svc", "ext-lb", "-o", "jsonpath={.status.loadBalancer.ingress[0].ipMode}")).isEqualTo("VIP");
            assertThat(ok("get", "svc", "ext-lb")).contains("203.0.113.7");
            eventually("kube-proxy captures the written ingress IP", 10_000, () -> lab.liveRules("node1").contains("203.0.113.7/32"));
            assertThat(lab.liveRules("node1")).doesNotContain(own + "/32");
            assertThat(request(lab, "node2", "203.0.113.7")).as("a node's traffic to the ingress IP").contains("Hello from service-test-");
            assertThat(request(lab, "ext-client", "203.0.113.7")).as("outside traffic through the load balancer").contains("Hello from service-test-");

            ok("patch", "service", "ext-lb", "--subresource=status", "--type=json",
                    "-p", "[{\"op\":\"add\",\"path\":\"/status/loadBalancer/ingress/-\",\"value\":{\"ip\":\"198.51.100.9\"}}]");
            assertThat(ingress(lab)).isEqualTo("203.0.113.7 198.51.100.9");
            eventually("kube-proxy captures an ingress IP outside the balancer's network", 10_000,
                    () -> lab.liveRules("node1").contains("198.51.100.9/32"));
            assertThat(request(lab, "node2", "198.51.100.9")).contains("Hello from service-test-");

            ok("patch", "service", "ext-lb", "--subresource=status", "--type=strategic",
                    "-p", "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"203.0.113.8\"}]}}}");
            assertThat(ingress(lab)).isEqualTo("203.0.113.8");

            // Spec and labels through /status are ignored; status through the main resource too.
            ok("patch", "service", "ext-lb", "--subresource=status", "--type=merge",
                    "-p", "{\"metadata\":{\"labels\":{\"via\":\"status\"}},\"spec\":{\"sessionAffinity\":\"ClientIP\"}}");
            assertThat(ok("get", "svc", "ext-lb", "-o", "jsonpath={.spec.sessionAffinity}/{.metadata.labels}")).isEqualTo("None/");
            ok("patch", "service", "ext-lb", "--type=merge", "-p", "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"203.0.113.9\"}]}}}");
            assertThat(ingress(lab)).isEqualTo("203.0.113.8");
            ok("label", "service", "ext-lb", "spec=changed");
            assertThat(ingress(lab)).as("a spec or metadata change keeps the written status").isEqualTo("203.0.113.8");

            ObjectMapper json = new ObjectMapper();
            ObjectNode svc = (ObjectNode) json.readTree(ok("get", "svc", "ext-lb", "-o", "json"));
            ((ObjectNode) svc.path("status").path("loadBalancer").path("ingress").get(0)).put("ip", "203.0.113.10");
            ok("replace", "--subresource=status", "-f", file("replace.json", json.writeValueAsString(svc)).toString());
            assertThat(ingress(lab)).isEqualTo("203.0.113.10");
            eventually("rules follow the replaced status", 10_000, () -> lab.liveRules("node1").contains("203.0.113.10/32")
                    && !lab.liveRules("node1").contains("203.0.113.8/32"));
            assertThat(request(lab, "ext-client", "203.0.113.10")).contains("Hello from service-test-");

            Out bad = kubectl(lab, "patch", "service", "ext-lb", "--subresource=status", "--type=merge",
                    "-p", "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"not-an-ip\"}]}}}");
            assertThat(bad.exit()).isNotZero();
            assertThat(bad.err()).contains("status.loadBalancer.ingress[0].ip: Invalid value: \"not-an-ip\"");

            eventually("a watch event per status change", 10_000, () -> watched().contains("203.0.113.10"));
            String events = watched();
            for (String ip : List.of("203.0.113.7", "203.0.113.7,198.51.100.9", "203.0.113.8", "203.0.113.10")) {
                assertThat(events).containsPattern("MODIFIED +ext-lb +LoadBalancer +\\S+ +" + java.util.regex.Pattern.quote(ip) + " ");
            }
        } finally {
            watch.destroy();
            watch.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private String watched() {
        try {
            return Files.readString(tmp.resolve("watch.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Order(2)
    void otherKindsAnswerStatusReadsAndRefuseWritesClearly() {
        assertThat(ok("get", "--raw", "/api/v1/namespaces/default/pods/service-test-client1/status")).contains("\"phase\"");
        Out o = kubectl(lab, "patch", "pod", "service-test-client1", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Failed\"}}");
        assertThat(o.exit()).isNotZero();
        assertThat(o.err()).contains("pods/status is written by kubenetlab's controller").contains("only services/status takes writes");
        assertThat(ok("get", "--raw", "/apis/apps/v1/namespaces/default/deployments/service-test/status")).contains("\"readyReplicas\"");
    }

    @Test
    @Order(3)
    void inNftablesModeKubeProxyCapturesTheWrittenIngressToo() throws IOException {
        String nft = ItSupport.uniqueLab("i13c-nft");
        Lab other = Lab.deploy(ItSupport.ARTICLE, Lab.Options.defaults().withName(nft).withProxyMode("nftables"));
        try {
            ok(other, "apply", "-f", file("svc.yaml", SVC).toString());
            ok(other, "patch", "service", "ext-lb", "--subresource=status", "--type=merge",
                    "-p", "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"198.51.100.9\"}]}}}");
            eventually("nftables rules for the written ingress IP", 10_000, () -> other.liveRules("node1").contains("198.51.100.9"));
            assertThat(request(other, "node2", "198.51.100.9")).contains("Hello from service-test-");
        } finally {
            other.close();
            ItSupport.assertGone(nft);
        }
    }
}
