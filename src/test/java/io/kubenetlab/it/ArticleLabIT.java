package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The article's lab on real namespaces: the scenario of the seed article, step by step. */
class ArticleLabIT {
    static String name;
    static Lab lab;
    static Map<String, String> serverByIp;

    @BeforeAll
    static void deploy() {
        name = ItSupport.uniqueLab("it-article");
        lab = ItSupport.deployArticle(name);
        serverByIp = lab.pods().stream().filter(p -> "service-test".equals(deploymentOf(p)))
                .collect(Collectors.toMap(p -> p.ip().toString(), PodRecord::name));
    }

    @AfterAll
    static void destroy() {
        if (lab != null) lab.close();
        ItSupport.assertGone(name);
    }

    static String deploymentOf(PodRecord p) {
        return p.ownerName() == null ? null : p.ownerName().substring(0, p.ownerName().lastIndexOf('-'));
    }

    @Test
    void theArticlesAddressesAreServerPodsOnBothNodes() {
        assertThat(serverByIp).containsOnlyKeys("10.0.1.2", "10.0.2.2");
        PodRecord onNode2 = lab.pod(serverByIp.get("10.0.2.2"));
        assertThat(onNode2.node()).isEqualTo("node2");
        assertThat(lab.pod(serverByIp.get("10.0.1.2")).node()).isEqualTo("node1");
        assertThat(onNode2.name()).matches("service-test-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}");
    }

    @Test
    void everyServerAnswersWithItsOwnNameSameNodeAndAcrossNodes() {
        PodRecord client = lab.pod("service-test-client1");
        assertThat(client.node()).isEqualTo("node1");
        for (Map.Entry<String, String> e : serverByIp.entrySet()) {
            String body = ItSupport.httpGet(lab, client.name(), e.getKey(), 8080);
            assertThat(body).as("answer of " + e.getKey()).contains("HTTP/1.0 200 OK").contains("<p>Hello from " + e.getValue() + "</p>");
        }
    }

    @Test
    void theArticlesClientPodRanOnceAndItsLogHoldsTheAnswer() {
        PodStatus st = lab.status(lab.pod("service-test-client1"));
        assertThat(st.phase()).isEqualTo("Succeeded");
        assertThat(st.containers().get(0).exitCode()).isZero();
        assertThat(lab.logs("service-test-client1", null)).contains("<p>Hello from " + serverByIp.get("10.0.2.2") + "</p>");
    }

    @Test
    void serversAreReadyAndListen() {
        for (String pod : serverByIp.values()) {
            PodStatus st = lab.status(lab.pod(pod));
            assertThat(st.phase()).isEqualTo("Running");
            assertThat(st.ready()).isTrue();
        }
    }

    @Test
    void cliGetPodsJsonpathPrintsBothPodIps() {
        ItSupport.CliResult r = ItSupport.cli("get", "pods", "--lab", name, "--selector=app=service_test_pod", "-o",
                "jsonpath={.items[*].status.podIP}");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().trim().split(" ")).containsExactlyInAnyOrder("10.0.1.2", "10.0.2.2");
    }

    @Test
    void cliGetPodsWideAndNodes() {
        ItSupport.CliResult pods = ItSupport.cli("get", "pods", "-o", "wide", "--lab", name);
        assertThat(pods.exit()).as(pods.err()).isZero();
        assertThat(pods.out()).contains("NAME", "READY", "STATUS", "IP", "NODE", "service-test-client1", "Completed", "10.0.2.2", "node2");
        ItSupport.CliResult nodes = ItSupport.cli("get", "nodes", "-o", "wide", "--lab", name);
        assertThat(nodes.out()).contains("node1", "node2", "Ready", "10.100.0.2", "10.100.0.3");
        ItSupport.CliResult yaml = ItSupport.cli("get", "pods", "service-test-client1", "-o", "yaml", "--lab", name);
        assertThat(yaml.out()).contains("kind: Pod", "podIP: 10.0.1.3", "phase: Succeeded", "restartPolicy: Never");
    }

    @Test
    void cliExecAndLogsWorkOnPodsNodesHostsAndTheRouter() {
        ItSupport.CliResult route = ItSupport.cli("exec", "--lab", name, "node1", "--", "ip", "route");
        assertThat(route.out()).contains("default via 10.100.0.1 dev eth0", "10.0.1.0/24 dev cbr0");
        ItSupport.CliResult router = ItSupport.cli("exec", "--lab", name, "router", "--", "ip", "route");
        assertThat(router.out()).contains("10.0.1.0/24 via 10.100.0.2", "10.0.2.0/24 via 10.100.0.3");
        ItSupport.CliResult ext = ItSupport.cli("exec", "--lab", name, "ext-client", "--", "ip", "-4", "-o", "addr", "show", "eth0");
        assertThat(ext.out()).contains("10.100.0.100/24");
        ItSupport.CliResult logs = ItSupport.cli("logs", "--lab", name, "service-test-client1");
        assertThat(logs.out()).contains("Hello from " + serverByIp.get("10.0.2.2"));
        ItSupport.CliResult fails = ItSupport.cli("exec", "--lab", name, "service-test-client1", "--", "sh", "-c", "exit 7");
        assertThat(fails.exit()).isEqualTo(7);
    }

    @Test
    void ipInAPodOrANodeTriesNoNamespaceItCannotOpen() {
        // ip(8) names a veth's peer namespace by trying every entry of /run/netns; in a sandbox's mount
        // namespace, entries made after it were plain files, and each printed "Peer netns reference is invalid".
        for (String target : List.of("service-test-client1", "node1")) {
            io.kubenetlab.kernel.Kernel.Result r = lab.execCapture(target, List.of("ip", "link"));
            assertThat(r.exit()).as(target).isZero();
            assertThat(r.stdout()).as(target).contains("eth0");
            assertThat(r.stderr()).as(target).doesNotContain("Peer netns reference is invalid");
        }
    }

    @Test
    void theOutsideClientReachesPodsThroughTheGateway() {
        for (Map.Entry<String, String> e : serverByIp.entrySet()) {
            assertThat(ItSupport.httpGet(lab, "ext-client", e.getKey(), 8080)).contains("Hello from " + e.getValue());
        }
    }

    @Test
    void podsHaveTheirOwnHostnameFilesPidNamespaceAndWorkingDirectory() {
        String pod = serverByIp.get("10.0.1.2");
        String out = lab.execCapture(pod, List.of("sh", "-c",
                "hostname; cat /etc/hosts; cat /etc/resolv.conf; cat /proc/1/cmdline | tr '\\0' ' '; echo; ls")).stdout();
        assertThat(out).startsWith(pod + "\n");
        assertThat(out).contains("10.0.1.2\t" + pod, "search default.svc.cluster.local svc.cluster.local cluster.local",
                "options ndots:5", "sandbox.sh", "index.html");
        String route = lab.execCapture(pod, List.of("ip", "route")).stdout();
        assertThat(route).contains("default via 10.0.1.1 dev eth0");
        // The node's bridge holds the pod's veth with hairpin on.
        String bridge = lab.execCapture("node1", List.of("bridge", "-d", "link", "show", "dev", lab.pod(pod).hostVeth())).stdout();
        assertThat(bridge).contains("master cbr0").contains("hairpin on");
    }

    @Test
    void labSysctlsAreSetExplicitly() {
        String node = lab.execCapture("node1", List.of("sysctl", "-n", "net.ipv4.ip_forward", "net.ipv4.conf.all.send_redirects")).stdout();
        assertThat(node.lines().toList()).containsExactly("1", "0");
        String router = lab.execCapture("router", List.of("sysctl", "-n", "net.ipv4.ip_forward", "net.ipv4.conf.all.send_redirects")).stdout();
        assertThat(router.lines().toList()).containsExactly("1", "0");
    }
}
