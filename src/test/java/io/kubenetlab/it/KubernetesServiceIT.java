package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Through the real kubectl: the default/kubernetes Service (issue 13, item 1). It is listed with the
 * service CIDR's first address and 443/TCP, its Endpoints and slice name the controller's in-lab listener
 * (the first node's address, 6443), and from pods kubectl works in-cluster (no kubeconfig: the
 * KUBERNETES_SERVICE_* variables, the mounted token and CA) through 10.3.240.1:443 and through
 * https://kubernetes.default.svc, in both kube-proxy modes. Deleted, it comes back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesServiceIT {
    /** The article lab's node1 (its first node): the "control-plane node" the Endpoints name. */
    private static final String API_ENDPOINT = "10.100.0.2:6443";
    private static final String SA = "/var/run/secrets/kubernetes.io/serviceaccount";

    /** Lab by kube-proxy mode. */
    private final Map<String, Lab> labs = new LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();
    private Kubectl kubectl;
    private Path home;

    @BeforeAll
    void deploy() throws IOException {
        kubectl = Kubectl.create("knl-i13k");
        // An empty HOME for kubectl in pods (netns pods see the host's files): no kubeconfig, so in-cluster config.
        home = Files.createDirectories(kubectl.scratch().resolve("home"));
        for (String mode : List.of("iptables", "nftables")) {
            String name = ItSupport.uniqueLab("i13k-" + mode.charAt(0));
            names.add(name);
            labs.put(mode, Lab.deploy(ItSupport.ARTICLE, Lab.Options.defaults().withName(name).withProxyMode(mode)));
        }
    }

    @AfterAll
    void destroy() {
        if (kubectl != null) kubectl.close();
        for (Lab l : labs.values()) l.close();
        names.forEach(ItSupport::assertGone);
    }

    /** kubectl run inside a pod, as a workload would: no kubeconfig, no flags beyond {@code args}. */
    private Kernel.Result inPod(Lab lab, String pod, String... args) {
        List<String> argv = new ArrayList<>(List.of("env", "HOME=" + home, "kubectl"));
        argv.addAll(List.of(args));
        return lab.execCapture(pod, argv);
    }

    /** The article's two replicas by node: one on the control-plane node, one away from it. */
    private Map<String, String> replicasByNode(Lab lab) {
        String out = kubectl.ok(lab, "get", "pods", "-l", "app=service_test_pod", "-o",
                "jsonpath={range .items[*]}{.spec.nodeName} {.metadata.name}{\"\\n\"}{end}");
        Map<String, String> byNode = new java.util.TreeMap<>();
        out.lines().map(l -> l.split(" ")).forEach(f -> byNode.put(f[0], f[1]));
        assertThat(byNode).containsOnlyKeys("node1", "node2");
        return byNode;
    }

    @Test
    @Order(1)
    void listedInDefaultWithTheFirstServiceAddress() {
        labs.forEach((mode, lab) -> {
            String all = kubectl.ok(lab, "get", "svc", "-A", "--no-headers");
            assertThat(all.lines().filter(l -> l.matches("default\\s+kubernetes\\s+ClusterIP\\s+10\\.3\\.240\\.1\\s+<none>\\s+443/TCP\\s+.*")))
                    .as(mode + ":\n" + all).hasSize(1);
            String yaml = kubectl.ok(lab, "get", "svc", "kubernetes", "-o", "jsonpath={.spec.ports[0].name} {.spec.ports[0].targetPort} {.spec.selector}");
            assertThat(yaml).isEqualTo("https 6443 ");
        });
    }

    @Test
    @Order(2)
    void itsEndpointsAndSliceNameTheApiInsideTheLab() {
        labs.forEach((mode, lab) -> {
            assertThat(kubectl.ok(lab, "get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}"))
                    .as(mode).isEqualTo(API_ENDPOINT);
            assertThat(kubectl.ok(lab, "get", "endpointslices", "kubernetes", "-o",
                    "jsonpath={.metadata.labels.kubernetes\\.io/service-name} {.endpoints[0].addresses[0]}:{.ports[0].port}"))
                    .as(mode).isEqualTo("kubernetes " + API_ENDPOINT);
            // The in-lab listener is in node1's namespace: nothing of it in the host's.
            Kernel.Result ss = Kernel.linux().run(List.of("ss", "-Hltn", "sport = :6443"), null, false);
            assertThat(ss.exit()).isZero();
            assertThat(ss.stdout()).as("listeners on 6443 in the root namespace").isBlank();
            Kernel.Result inNode = lab.execCapture("node1", List.of("ss", "-Hltn", "sport = :6443"));
            assertThat(inNode.stdout()).as(mode + ": node1 listens").containsPattern("(^|[\\s\\[:])10\\.100\\.0\\.2\\]?:6443 ");
        });
    }

    @Test
    @Order(3)
    void kubectlInAPodWorksInClusterThroughTheClusterIP() {
        labs.forEach((mode, lab) -> replicasByNode(lab).forEach((node, pod) -> {
            Kernel.Result r = inPod(lab, pod, "get", "pods", "-v=6");
            assertThat(r.exit()).as(mode + " " + pod + ": " + r.stderr()).isZero();
            assertThat(r.stdout()).contains(pod).contains("service-test-client1");
            // In-cluster config: KUBERNETES_SERVICE_HOST and _PORT, so the ClusterIP, DNATed to the endpoint by kube-proxy.
            assertThat(r.stderr()).as(mode + " " + node).contains("GET https://10.3.240.1:443/api/v1/namespaces/default/pods");
        }));
    }

    @Test
    @Order(4)
    void andThroughTheServicesDnsName() {
        labs.forEach((mode, lab) -> replicasByNode(lab).forEach((node, pod) -> {
            Kernel.Result r = lab.execCapture(pod, List.of("sh", "-c", "HOME=" + home + " kubectl --server https://kubernetes.default.svc"
                    + " --token \"$(cat " + SA + "/token)\" --certificate-authority " + SA + "/ca.crt get svc kubernetes --no-headers"));
            assertThat(r.exit()).as(mode + " " + pod + ": " + r.stderr()).isZero();
            assertThat(r.stdout()).as(mode + " " + node).startsWith("kubernetes").contains("10.3.240.1");
        }));
    }

    @Test
    @Order(5)
    void theServiceAccountFilesAreMountedReadOnlyWithThePodsNamespace() throws IOException {
        Lab lab = labs.get("iptables");
        String pod = replicasByNode(lab).get("node2");
        assertThat(lab.execCapture(pod, List.of("cat", SA + "/namespace")).stdout()).isEqualTo("default");
        String dns = kubectl.ok(lab, "get", "pods", "-n", "kube-system", "-o", "jsonpath={.items[0].metadata.name}");
        assertThat(lab.execCapture(dns, List.of("cat", SA + "/namespace")).stdout()).isEqualTo("kube-system");
        String token = lab.execCapture(pod, List.of("cat", SA + "/token")).stdout().trim();
        assertThat(token).hasSize(64).isNotEqualTo(Files.readString(lab.kubeconfig()).replaceAll("(?s).*token: (\\S+).*", "$1"));
        String ca = lab.execCapture(pod, List.of("cat", SA + "/ca.crt")).stdout();
        String caData = Files.readString(lab.kubeconfig()).replaceAll("(?s).*certificate-authority-data: (\\S+).*", "$1");
        assertThat(ca).isEqualTo(new String(java.util.Base64.getDecoder().decode(caData)));
        Kernel.Result write = lab.execCapture(pod, List.of("sh", "-c", "echo x > " + SA + "/token"));
        assertThat(write.exit()).as("the mount is read-only").isNotZero();
        String env = lab.execCapture(pod, List.of("env")).stdout();
        assertThat(env).contains("KUBERNETES_SERVICE_HOST=10.3.240.1", "KUBERNETES_SERVICE_PORT=443", "KUBERNETES_SERVICE_PORT_HTTPS=443",
                "KUBERNETES_PORT=tcp://10.3.240.1:443", "KUBERNETES_PORT_443_TCP_ADDR=10.3.240.1");
    }

    @Test
    @Order(6)
    void itsAddressIsTakenAndADeletedOneComesBack() throws IOException {
        Lab lab = labs.get("iptables");
        Path svc = kubectl.scratch().resolve("svc.yaml");
        Files.writeString(svc, "apiVersion: v1\nkind: Service\nmetadata: {name: mine}\nspec:\n  clusterIP: 10.3.240.1\n  ports: [{port: 80}]\n");
        Kubectl.Out taken = kubectl.run(lab, "create", "-f", svc.toString());
        assertThat(taken.exit()).isNotZero();
        assertThat(taken.err()).contains("spec.clusterIPs").contains("provided IP is already allocated");
        String uid = kubectl.ok(lab, "get", "svc", "kubernetes", "-o", "jsonpath={.metadata.uid}");
        assertThat(kubectl.ok(lab, "delete", "svc", "kubernetes", "--timeout=20s")).contains("deleted");
        assertThat(kubectl.ok(lab, "get", "svc", "kubernetes", "-o", "jsonpath={.spec.clusterIP} {.metadata.uid}"))
                .startsWith("10.3.240.1 ").doesNotEndWith(uid);
        assertThat(kubectl.ok(lab, "delete", "endpoints", "kubernetes", "--timeout=20s")).contains("deleted");
        assertThat(kubectl.ok(lab, "get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[0].addresses[0].ip}")).isEqualTo("10.100.0.2");
        Kernel.Result r = inPod(lab, replicasByNode(lab).get("node2"), "get", "svc", "kubernetes", "--no-headers");
        assertThat(r.exit()).as(r.stderr()).isZero();
    }
}
