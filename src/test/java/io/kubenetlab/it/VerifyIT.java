package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.kernel.Kernel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubenetlab verify} on the article's lab (plus a Service whose selector matches nothing):
 * every check passes; then one server is killed for real and verify fails, naming the check.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyIT {
    @TempDir
    static Path tmp;
    static String name;
    static Lab lab;
    static String first;
    static String second;

    @BeforeAll
    static void deploy() {
        ItSupport.requireRoot();
        Path labFile = ItSupport.articleWith(tmp, """
                apiVersion: v1
                kind: Service
                metadata: {name: nobody}
                spec:
                  selector: {app: nobody}
                  ports: [{port: 80, targetPort: 8080}]
                """);
        name = ItSupport.uniqueLab("it-verify");
        lab = Lab.deploy(labFile, Lab.Options.defaults().withName(name));
        List<PodRecord> servers = lab.pods().stream().filter(p -> "service_test_pod".equals(p.labels().get("app"))).toList();
        assertThat(servers).hasSize(2);
        first = servers.stream().filter(p -> p.ip().toString().equals("10.0.1.2")).findFirst().orElseThrow().name();
        second = servers.stream().filter(p -> p.ip().toString().equals("10.0.2.2")).findFirst().orElseThrow().name();
    }

    @AfterAll
    static void destroy() {
        if (lab != null) lab.close();
        if (name != null) ItSupport.assertGone(name);
    }

    @Test
    @Order(1)
    void everyCheckOfTheArticlesLabPasses() {
        ItSupport.CliResult r = ItSupport.cli("verify", "--lab", name);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("ClusterIP +service-test +10\\.3\\.241\\.152:80 +from service-test-client1 +60/60  "
                + first + " \\d+  " + second + " \\d+  p=[0-9.e-]+  PASS"));
        for (String node : List.of("10.100.0.2", "10.100.0.3")) {
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("NodePort +service-test-nodeport +" + node.replace(".", "\\.")
                    + ":30080 +from ext-client +60/60 .*" + first + " [1-9]\\d*  " + second + " [1-9]\\d*  PASS"));
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("NodePort +service-test-lb +" + node.replace(".", "\\.") + ":30081 +from ext-client .* PASS"));
        }
        String lbIp = lab.state().service("default", "service-test-lb").orElseThrow().loadBalancerIPs().get(0).toString();
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("LoadBalancer +service-test-lb +" + lbIp.replace(".", "\\.")
                + ":80 +from ext-client +60/60 .* PASS"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("Reach +service-test +10\\.3\\.241\\.152:80 +from 2 nodes, \\d+ pods +(\\d+)/\\1 answered  PASS"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("Hairpin +service-test +10\\.3\\.241\\.152:80 +from " + first + " +answered by itself .*PASS"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("NoEndpoints +nobody +10\\.3\\.\\d+\\.\\d+:80 +from service-test-client1 +refused \\(no endpoints\\) in \\d+ ms  PASS"));
        assertThat(lines).contains("note: skipped service-test-headless: headless (clusterIP None), not proxied");
        // DNS: every Service name from every pod (all namespaces), to what it should resolve to.
        String pods = "from (\\d+) pods +\\1/\\1  PASS";
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("DNS +service-test\\.default +-> 10\\.3\\.241\\.152 +" + pods));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("DNS +kube-dns\\.kube-system +-> 10\\.3\\.240\\.10 +" + pods));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("DNS +service-test-headless\\.default +-> 10\\.0\\.[12]\\.2, 10\\.0\\.[12]\\.2 +" + pods));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("DNS +database\\.default +-> 192\\.0\\.2\\.42 +" + pods));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("DNS +nobody\\.default +-> 10\\.3\\.\\d+\\.\\d+ +" + pods));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("DNS +no-such-service\\.default +-> NXDOMAIN +from \\S+ +not found in \\d+ ms  PASS"));
        int podCount = lab.pods().size();
        assertThat(lines).filteredOn(l -> l.startsWith("DNS ") && !l.contains("NXDOMAIN"))
                .allSatisfy(l -> assertThat(l).contains("from " + podCount + " pods"));
        assertThat(lines).noneMatch(l -> l.contains("FAIL"));
        assertThat(lines.get(lines.size() - 1)).matches("verify: (\\d+) checks, \\1 passed");
    }

    @Test
    @Order(2)
    void badRequestCountsAreRefusedBeforeAnyTraffic() {
        ItSupport.CliResult r = ItSupport.cli("verify", "--lab", name, "-n", "0");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("-n: between 1 and 1000 requests, not 0");
        assertThat(r.out()).isEmpty();
    }

    @Test
    @Order(3)
    void aKilledServerFailsVerifyAndTheLastLineNamesTheFailedCheck() {
        // Kill the python server of the second replica (not the pod's PID 1) twice: kubelet restarts a container at
        // once the first time, and only after a 10 s back-off the second. The lab's controller would take the pod out of the endpoints at once (ControllerIT shows it);
        // stopped, it leaves the pod listed as a ready endpoint that refuses connections: what verify must catch.
        io.kubenetlab.client.ControllerProcess.stop(io.kubenetlab.store.LabStore.fromEnvironment(), name);
        List<String> killServer = List.of("sh", "-c", "for p in $(ps -eo pid=,args= | awk '/[h]ttp[.]server/ {print $1}'); do kill $p; done");
        Kernel.Result kill = lab.execCapture(second, killServer);
        assertThat(kill.exit()).as(kill.stderr()).isZero();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!(lab.status(lab.pod(second)).restarts() == 1 && lab.status(lab.pod(second)).ready()) && System.currentTimeMillis() < deadline) {
            io.kubenetlab.kernel.Procs.sleep(20);
        }
        assertThat(lab.status(lab.pod(second)).restarts()).isEqualTo(1);
        kill = lab.execCapture(second, killServer);
        assertThat(kill.exit()).as(kill.stderr()).isZero();
        waitUntilRefused("10.0.2.2", 8080);

        ItSupport.CliResult r = ItSupport.cli("verify", "--lab", name, "-n", "30");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        List<String> lines = r.out().lines().toList();
        String spread = lines.stream().filter(l -> l.startsWith("ClusterIP ") && l.contains(" service-test ")).findFirst().orElseThrow();
        assertThat(spread).contains(second + " 0").contains("FAIL: ").contains("refused").contains("no answer from " + second);
        String last = lines.get(lines.size() - 1);
        assertThat(last).startsWith("verify: FAILED: ").contains("FAIL: ");
        assertThat(lines).contains("verify: FAILED: " + spread);
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("verify: \\d+ checks, \\d+ passed, \\d+ failed"));
        // What still works is still reported as working.
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("NoEndpoints ").endsWith("PASS"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Hairpin ").contains(" service-test ").endsWith("PASS"));
    }

    /** The server's port refuses connections (asked from its node, to the pod address). */
    static void waitUntilRefused(String ip, int port) {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            Kernel.Result r = lab.execCapture("node2", List.of("sh", "-c", "nc -v -N -w 1 " + ip + " " + port + " </dev/null 2>&1; true"));
            if (r.stdout().contains("Connection refused")) return;
            io.kubenetlab.kernel.Procs.sleep(50);
        }
        throw new AssertionError(ip + ":" + port + " still accepts connections after the kill");
    }
}
