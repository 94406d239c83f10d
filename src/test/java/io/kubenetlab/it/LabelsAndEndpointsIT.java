package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.client.ControllerFiles;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Through the real kubectl: an Endpoints object written before its Service (kept, then used), labels
 * and annotations of every writable kind (nodes and namespaces too) kept across a controller killed
 * with SIGKILL, and kube-proxy leaving Services labelled service-proxy-name or headless alone in both
 * proxy modes (issue 13, items 4, 7 and 12).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabelsAndEndpointsIT extends ArticleKubectlBase {
    LabelsAndEndpointsIT() {
        super("knl-i13a", "i13a-lbl");
    }

    private static final String CLUSTER_IP = "10.3.241.152"; // the article's service-test

    /** The article's client request to ip:port sent from node2 (kube-proxy's rules apply to a node's own traffic). */
    private String fromNode2(Lab l, String ip, int port) {
        return l.execCapture("node2", List.of("sh", "-c", "echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 3 " + ip + " " + port)).stdout();
    }

    @Test
    @Order(1)
    void anEndpointsObjectWithoutAServiceIsCreatedKeptAndUsedByTheServiceThatComesLater() throws IOException {
        Path ep = file("ep.yaml", """
                apiVersion: v1
                kind: Endpoints
                metadata:
                  name: early
                  labels: {written: by-hand}
                subsets:
                  - addresses: [{ip: 10.0.2.2}]
                    ports: [{name: http, port: 8080}]
                """);
        // Before: "error when creating ...: Object 'Kind' is missing in 'null'" (the API answered without a body).
        assertThat(ok("apply", "-f", ep.toString())).contains("endpoints/early created");
        assertThat(ok("get", "endpoints", "early", "-o", "jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}"))
                .isEqualTo("10.0.2.2:8080");
        assertThat(ok("get", "endpoints", "--show-labels")).containsPattern("early +10.0.2.2:8080 .*written=by-hand");

        Path svc = file("svc.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: early}
                spec:
                  ports: [{name: http, port: 80, targetPort: 8080}]
                """);
        ok("apply", "-f", svc.toString());
        String ip = ok("get", "svc", "early", "-o", "jsonpath={.spec.clusterIP}");
        assertThat(ok("describe", "svc", "early")).contains("10.0.2.2:8080");
        assertThat(fromNode2(lab, ip, 80)).contains("Hello from service-test-");
    }

    @Test
    @Order(2)
    void labelsAndAnnotationsOfEveryKindAreKeptAcrossAControllerRestart() throws IOException {
        assertThat(ok("label", "node", "node1", "zone=a")).contains("node/node1 labeled");
        ok("annotate", "node", "node1", "note=first");
        assertThat(ok("label", "namespace", "default", "team=blue")).contains("namespace/default labeled");
        ok("annotate", "namespace", "default", "owner=me");
        ok("create", "namespace", "i13a-extra");
        ok("label", "namespace", "i13a-extra", "env=dev");
        ok("label", "pod", "service-test-client1", "checked=yes");
        ok("annotate", "pod", "service-test-client1", "note=pod");
        ok("label", "service", "service-test", "tier=web");
        ok("annotate", "service", "service-test", "note=svc");
        ok("label", "deployment", "service-test", "tier=web");
        ok("annotate", "deployment", "service-test", "note=deploy");
        ok("label", "endpoints", "database", "tier=db");
        ok("annotate", "endpoints", "database", "note=ep");
        assertLabelsKept();

        // A spec change on a node is refused, not silently dropped (kubectl 1.30's cordon exits 0 all the same).
        assertThat(kubectl(lab, "cordon", "node2").err()).contains("unable to cordon node \"node2\"").contains("spec: Forbidden");
        assertThat(ok("get", "node", "node2", "-o", "jsonpath={.spec.unschedulable}")).isEmpty();

        ControllerFiles files = new ControllerFiles(LabStore.fromEnvironment(), name);
        long pid = files.endpoint().orElseThrow().pid();
        io.kubenetlab.kernel.Procs.killAndWait(List.of(pid), 5_000);
        ItSupport.CliResult r = ItSupport.cli("deploy", "-t", ItSupport.ARTICLE.toString(), "--name", name);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("started it again");
        assertLabelsKept();

        assertThat(ok("label", "node", "node1", "zone-")).contains("node/node1 unlabeled");
        assertThat(ok("get", "nodes", "-l", "zone=a", "-o", "name")).isEmpty();
    }

    private void assertLabelsKept() {
        assertThat(ok("get", "nodes", "-l", "zone=a", "-o", "name").trim()).isEqualTo("node/node1");
        assertThat(ok("get", "nodes", "--show-labels")).containsPattern("node1 .*kubernetes.io/hostname=node1,kubernetes.io/os=linux,zone=a");
        assertThat(ok("get", "node", "node1", "-o", "yaml")).contains("zone: a").contains("note: first");
        assertThat(ok("get", "namespaces", "-l", "team=blue", "-o", "name").trim()).isEqualTo("namespace/default");
        assertThat(ok("get", "namespace", "default", "-o", "jsonpath={.metadata.annotations.owner}")).isEqualTo("me");
        assertThat(ok("get", "namespaces", "--show-labels")).containsPattern("i13a-extra +Active .*env=dev,kubernetes.io/metadata.name=i13a-extra");
        assertThat(ok("get", "pods", "-l", "checked=yes", "-o", "name").trim()).isEqualTo("pod/service-test-client1");
        assertThat(ok("get", "pod", "service-test-client1", "-o", "jsonpath={.metadata.annotations.note}")).isEqualTo("pod");
        assertThat(ok("get", "services", "-l", "tier=web", "-o", "name").trim()).isEqualTo("service/service-test");
        assertThat(ok("get", "service", "service-test", "-o", "jsonpath={.metadata.annotations.note}")).isEqualTo("svc");
        assertThat(ok("get", "deployments", "-l", "tier=web", "-o", "name").trim()).isEqualTo("deployment.apps/service-test");
        assertThat(ok("get", "deployment", "service-test", "-o", "jsonpath={.metadata.annotations.note}")).isEqualTo("deploy");
        assertThat(ok("get", "endpoints", "-l", "tier=db", "-o", "name").trim()).isEqualTo("endpoints/database");
        assertThat(ok("get", "endpoints", "database", "-o", "jsonpath={.metadata.annotations.note}")).isEqualTo("ep");
    }

    @Test
    @Order(3)
    void kubeProxyLeavesServicesLabelledForAnotherProxyOrHeadlessAloneInIptablesMode() {
        serviceProxyLabels(lab);
    }

    @Test
    @Order(4)
    void andInNftablesMode() {
        String nft = ItSupport.uniqueLab("i13a-nft");
        Lab other = Lab.deploy(ItSupport.ARTICLE, Lab.Options.defaults().withName(nft).withProxyMode("nftables"));
        try {
            assertThat(other.liveRules("node1")).contains("table ip kube-proxy");
            serviceProxyLabels(other);
        } finally {
            other.close();
            ItSupport.assertGone(nft);
        }
    }

    /** Labelling service-test takes its ClusterIP out of every node's live rules, and traffic with it; unlabelling brings both back. */
    private void serviceProxyLabels(Lab l) {
        for (String node : List.of("node1", "node2")) assertThat(l.liveRules(node)).contains(CLUSTER_IP);
        for (String label : List.of("service.kubernetes.io/service-proxy-name=foo", "service.kubernetes.io/headless=")) {
            String key = label.substring(0, label.indexOf('='));
            assertThat(ok(l, "label", "svc", "service-test", label)).contains("service/service-test labeled");
            for (String node : List.of("node1", "node2")) {
                eventually(key + " takes the rules off " + node, 10_000, () -> !l.liveRules(node).contains(CLUSTER_IP));
            }
            assertThat(fromNode2(l, CLUSTER_IP, 80)).doesNotContain("Hello from");
            // Other Services keep theirs.
            assertThat(l.liveRules("node1")).contains(ok(l, "get", "svc", "service-test-nodeport", "-o", "jsonpath={.spec.clusterIP}"));
            assertThat(ok(l, "label", "svc", "service-test", key + "-")).contains("service/service-test unlabeled");
            for (String node : List.of("node1", "node2")) {
                eventually("the rules back on " + node + " without " + key, 10_000, () -> l.liveRules(node).contains(CLUSTER_IP));
            }
            assertThat(fromNode2(l, CLUSTER_IP, 80)).contains("Hello from service-test-");
        }
    }
}
