package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.kernel.Kernel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The article's Services on real netfilter: kube-proxy's rules spread, hairpin, NodePort and refuse. */
class ServiceIT {
    @TempDir
    static Path tmp;
    static String name;
    static Lab lab;
    static Map<String, String> serverByName;

    @BeforeAll
    static void deploy() throws IOException {
        ItSupport.requireRoot();
        // The article's lab plus a Service whose selector matches nothing.
        Path topo = ItSupport.articleWith(tmp, """
                apiVersion: v1
                kind: Service
                metadata: {name: nobody}
                spec:
                  selector: {app: nobody}
                  ports: [{port: 80, targetPort: 8080}]
                """);
        name = ItSupport.uniqueLab("it-svc");
        lab = Lab.deploy(topo, Lab.Options.defaults().withName(name));
        serverByName = lab.pods().stream().filter(p -> "service_test_pod".equals(p.labels().get("app")))
                .collect(Collectors.toMap(PodRecord::name, p -> p.ip().toString()));
    }

    @AfterAll
    static void destroy() {
        if (lab != null) lab.close();
        ItSupport.assertGone(name);
    }

    /** Answers by pod to n requests, every one of them answered (a failed request fails the test). */
    static Map<String, Integer> spread(String from, String host, int port, int n) {
        return ItSupport.spread(lab, from, host, port, n).allAnswered();
    }

    @Test
    void theClusterIpSpreadsConnectionsFairlyOverBothPodsSameNodeAndAcross() {
        Map<String, Integer> counts = spread("service-test-client1", "10.3.241.152", 80, 200);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(serverByName.keySet());
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
        // Binomial(200, 1/2): 60 is more than 5 standard deviations below the mean.
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(60));
    }

    @Test
    void aPodReachesItselfThroughItsService() {
        String pod = serverByName.keySet().iterator().next();
        Map<String, Integer> counts = spread(pod, "10.3.241.152", 80, 30);
        assertThat(counts).containsKey(pod);
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
    }

    @Test
    void theClusterIpWorksFromEveryNode() {
        for (String node : List.of("node1", "node2")) {
            assertThat(spread(node, "10.3.241.152", 80, 20).values().stream().mapToInt(Integer::intValue).sum()).as(node).isEqualTo(20);
        }
    }

    @Test
    void theNodePortAnswersOnEveryNodeFromOutsideTheCluster() {
        for (String nodeIp : List.of("10.100.0.2", "10.100.0.3")) {
            Map<String, Integer> counts = spread("ext-client", nodeIp, 30080, 40);
            assertThat(counts.keySet()).as("via " + nodeIp).containsExactlyInAnyOrderElementsOf(serverByName.keySet());
        }
        assertThat(spread("ext-client", "10.100.0.3", 30081, 10).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
    }

    @Test
    void aServiceWithoutEndpointsRefusesTheConnectionAtOnce() {
        String ip = lab.state().service("default", "nobody").orElseThrow().clusterIP();
        long t0 = System.nanoTime();
        Kernel.Result r = lab.execCapture("service-test-client1", List.of("nc", "-v", "-N", "-w", "5", ip, "80"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.exit()).isNotZero();
        assertThat(r.stderr()).contains("Connection refused");
        assertThat(ms).as("refused, not timed out").isLessThan(4000);
    }

    @Test
    void kubectlStyleViewsShowTheArticlesValues() {
        ItSupport.CliResult svc = ItSupport.cli("get", "service", "service-test", "--lab", name);
        assertThat(svc.out()).contains("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE")
                .contains("service-test", "ClusterIP", "10.3.241.152", "<none>", "80/TCP");
        ItSupport.CliResult np = ItSupport.cli("get", "svc", "--lab", name);
        assertThat(np.out()).contains("80:30080/TCP", "80:30081/TCP", "203.0.113.100", "None");
        ItSupport.CliResult ep = ItSupport.cli("get", "endpoints", "service-test", "--lab", name);
        assertThat(ep.out()).contains("10.0.1.2:8080,10.0.2.2:8080");
        ItSupport.CliResult describe = ItSupport.cli("describe", "service", "service-test", "--lab", name);
        assertThat(describe.out()).contains("Type:                     ClusterIP", "IP:                       10.3.241.152",
                "80/TCP", "Endpoints:                10.0.1.2:8080,10.0.2.2:8080", "Session Affinity:         None");
    }

    @Test
    void theNodesLiveRulesAreWhatKubeProxyRenders() {
        ItSupport.CliResult live = ItSupport.cli("rules", "node1", "--lab", name);
        assertThat(live.exit()).isZero();
        String rendered = lab.renderRules("node1");
        for (String chain : rendered.lines().filter(l -> l.startsWith(":KUBE-")).map(l -> l.substring(1, l.indexOf(' '))).toList()) {
            assertThat(live.out()).as("chain " + chain).contains(":" + chain + " ");
        }
        assertThat(live.out()).contains("--comment \"default/service-test cluster IP\"", "--probability 0.5",
                "--to-destination 10.0.2.2:8080", "-j MASQUERADE --random-fully");
        ItSupport.CliResult render = ItSupport.cli("rules", "node1", "--render", "--lab", name);
        assertThat(render.out()).isEqualTo(rendered);
    }
}
