package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.client.ControllerFiles;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.kernel.Kernel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against a lab's API: the article's commands and the (get, describe, logs,
 * apply, scale, delete, get -w), bad manifests refused with the field named, a killed server leaving
 * and rejoining the endpoints, and a controller killed with SIGKILL coming back with nothing lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlIT {
    private static final Path KUBECTL = ItSupport.KUBECTL;

    private String name;
    private Lab lab;

    @BeforeAll
    void deploy() {
        ItSupport.requireKubectl();
        name = ItSupport.uniqueLab("it-kubectl");
        try {
            cacheDir = Files.createTempDirectory("knl-kubectl-cache");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        lab = ItSupport.deployArticle(name);
    }

    @AfterAll
    void destroy() {
        if (cacheDir != null) io.kubenetlab.store.LabStore.deleteTree(cacheDir);
        if (lab == null) return;
        lab.close();
        ItSupport.assertGone(name);
    }

    record Out(int exit, String out, String err) {}

    /** kubectl's discovery cache, private to this class: the user's ~/.kube stays untouched, and no stale cache is read. */
    private Path cacheDir;

    private Out kubectl(String... args) {
        List<String> argv = new ArrayList<>(List.of(KUBECTL.toString(), "--cache-dir", cacheDir.toString()));
        argv.addAll(List.of(args));
        Kernel.Result r = Kernel.linux().run(argv, null, false);
        return new Out(r.exit(), r.stdout(), r.stderr());
    }

    private Out ok(String... args) {
        Out o = kubectl(args);
        assertThat(o.exit()).as(String.join(" ", args) + ": " + o.err()).isZero();
        return o;
    }

    private static void eventually(String what, long millis, Supplier<Boolean> check) {
        long deadline = System.currentTimeMillis() + millis;
        while (!check.get()) {
            assertThat(System.currentTimeMillis()).as(what + " within " + millis + " ms").isLessThan(deadline);
            io.kubenetlab.kernel.Procs.sleep(50);
        }
    }

    @Test
    @Order(1)
    void theArticlesCommandsWork() {
        assertThat(ok("--kubeconfig", kc(), "get", "pods", "--selector=app=service_test_pod", "-o", "jsonpath={.items[*].status.podIP}").out().split(" "))
                .containsExactlyInAnyOrder("10.0.1.2", "10.0.2.2");
        String svc = ok("--kubeconfig", kc(), "get", "service", "service-test").out();
        assertThat(svc.lines().toList().get(0)).startsWith("NAME").contains("CLUSTER-IP");
        assertThat(svc).contains("10.3.241.152").contains("80/TCP").contains("ClusterIP");
        String describe = ok("--kubeconfig", kc(), "describe", "services", "service-test").out();
        // the column's width is kubectl's (1.32 widens it for "Internal Traffic Policy:")
        assertThat(describe).containsPattern("IP: +10\\.3\\.241\\.152\n").containsPattern("Endpoints: +10\\.0\\.1\\.2:8080,10\\.0\\.2\\.2:8080\n")
                .containsPattern("Session Affinity: +None\n").containsPattern("Type: +ClusterIP\n");
        assertThat(ok("--kubeconfig", kc(), "logs", "service-test-client1").out()).contains("Hello from service-test-");
        assertThat(ok("--kubeconfig", kc(), "get", "nodes").out()).contains("node1").contains("Ready");
        assertThat(ok("--kubeconfig", kc(), "get", "endpoints", "service-test").out()).contains("10.0.1.2:8080,10.0.2.2:8080");
        assertThat(ok("--kubeconfig", kc(), "get", "endpointslices", "-l", "kubernetes.io/service-name=service-test", "-o",
                "jsonpath={.items[0].endpoints[*].addresses[0]}").out()).contains("10.0.1.2").contains("10.0.2.2");
        assertThat(ok("--kubeconfig", kc(), "get", "deploy", "service-test").out()).contains("2/2");
        assertThat(ok("--kubeconfig", kc(), "get", "rs").out()).containsPattern("service-test-[a-z0-9]+ +2 +2 +2");
        assertThat(ok("--kubeconfig", kc(), "describe", "deployment", "service-test").out()).contains("NewReplicaSet:")
                .contains("(2/2 replicas created)").contains("Scaled up replica set service-test-");
        assertThat(ok("--kubeconfig", kc(), "get", "svc", "-A").out()).contains("kube-dns").contains("203.0.113.100").contains("80:30080/TCP");
        assertThat(ok("--kubeconfig", kc(), "get", "ns").out()).contains("kube-system");
        assertThat(ok("--kubeconfig", kc(), "describe", "pod", "service-test-client1").out()).contains("Status:       Succeeded")
                .contains("Started container test-client1");
        assertThat(ok("--kubeconfig", kc(), "version").out()).contains("Server Version: v1.31.0-kubenetlab");
    }

    @Test
    @Order(2)
    void applyRunsAClientAndAgainChangesNothing(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("my-client.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: my-client
                  labels: {role: client}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: c
                    image: alpine
                    command: ["/bin/sh", "-c", "echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc service-test 80"]
                """);
        assertThat(ok("--kubeconfig", kc(), "apply", "-f", f.toString()).out()).contains("pod/my-client created");
        eventually("my-client completes", 15_000, () -> kubectl("--kubeconfig", kc(), "get", "pod", "my-client", "-o",
                "jsonpath={.status.phase}").out().equals("Succeeded"));
        assertThat(ok("--kubeconfig", kc(), "logs", "my-client").out()).contains("Hello from service-test-");
        assertThat(ok("--kubeconfig", kc(), "apply", "-f", f.toString()).out()).contains("pod/my-client unchanged");
        Files.writeString(f, Files.readString(f).replace("role: client", "role: client2"));
        assertThat(ok("--kubeconfig", kc(), "apply", "-f", f.toString()).out()).contains("pod/my-client configured");
        assertThat(ok("--kubeconfig", kc(), "get", "pod", "my-client", "-o", "jsonpath={.metadata.labels.role}").out()).isEqualTo("client2");
        assertThat(ok("--kubeconfig", kc(), "label", "pod", "my-client", "extra=yes").out()).contains("labeled");
        assertThat(ok("--kubeconfig", kc(), "delete", "pod", "my-client").out()).contains("pod \"my-client\" deleted");
        assertThat(kubectl("--kubeconfig", kc(), "get", "pod", "my-client").err()).contains("NotFound");
    }

    @Test
    @Order(3)
    void scaleAddsPodsWithEndpointsAndRulesOnEveryNodeAndWatchSeesThem() throws Exception {
        Process watch = new ProcessBuilder(KUBECTL.toString(), "--cache-dir", cacheDir.toString(), "--kubeconfig", kc(), "get", "pods", "-w", "-l", "app=service_test_pod")
                .redirectErrorStream(true).start();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) seen.add(l);
            } catch (IOException ignored) {
                // killed
            }
        });
        reader.start();
        try {
            eventually("the watch lists the two replicas", 10_000, () -> seen.size() >= 3);
            assertThat(ok("--kubeconfig", kc(), "scale", "deployment", "service-test", "--replicas=4").out()).contains("scaled");
            eventually("4 endpoints", 15_000, () -> ok("--kubeconfig", kc(), "get", "endpoints", "service-test", "-o",
                    "jsonpath={.subsets[0].addresses[*].ip}").out().split(" ").length == 4);
            List<String> ips = List.of(ok("--kubeconfig", kc(), "get", "endpoints", "service-test", "-o", "jsonpath={.subsets[0].addresses[*].ip}").out().split(" "));
            for (String node : List.of("node1", "node2")) {
                String rules = lab.liveRules(node);
                for (String ip : ips) assertThat(rules).as(node + " rules").contains("-s " + ip + "/32");
            }
            eventually("the watch shows new pods running", 10_000, () -> seen.stream().filter(l -> l.contains("1/1") && l.contains("Running")).count() >= 4);
        } finally {
            watch.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        ok("--kubeconfig", kc(), "scale", "deployment", "service-test", "--replicas=2");
        eventually("2 pods again", 15_000, () -> ok("--kubeconfig", kc(), "get", "pods", "-l", "app=service_test_pod", "-o", "name").out().lines().count() == 2);
    }

    /** The add-on's Deployment is served whole (its template too), so kubectl scale takes it down and up like any other. */
    @Test
    @Order(3)
    void theClusterDnsScalesDownAndUpLikeAnyDeployment() {
        assertThat(ok("--kubeconfig", kc(), "get", "deploy", "kube-dns", "-n", "kube-system", "-o",
                "jsonpath={.spec.template.spec.containers[0].image}").out()).isEqualTo("kubenetlab/dns");
        assertThat(ok("--kubeconfig", kc(), "scale", "deployment", "kube-dns", "-n", "kube-system", "--replicas=0").out()).contains("scaled");
        eventually("no DNS pod", 15_000, () -> ok("--kubeconfig", kc(), "get", "pods", "-n", "kube-system", "-o", "name").out().isBlank());
        assertThat(ok("--kubeconfig", kc(), "scale", "deployment", "kube-dns", "-n", "kube-system", "--replicas=1").out()).contains("scaled");
        eventually("the DNS ready again", 30_000, () -> ok("--kubeconfig", kc(), "get", "deploy", "kube-dns", "-n", "kube-system", "-o",
                "jsonpath={.status.readyReplicas}").out().equals("1"));
    }

    @Test
    @Order(4)
    void aDeletedPodIsReplaced() {
        String victim = ok("--kubeconfig", kc(), "get", "pods", "-l", "app=service_test_pod", "-o", "jsonpath={.items[0].metadata.name}").out();
        assertThat(ok("--kubeconfig", kc(), "delete", "pod", victim).out()).contains("deleted");
        eventually("a replacement is ready", 15_000, () -> {
            String names = ok("--kubeconfig", kc(), "get", "deploy", "service-test", "-o", "jsonpath={.status.readyReplicas}").out();
            return names.equals("2");
        });
        assertThat(ok("--kubeconfig", kc(), "get", "pods", "-l", "app=service_test_pod", "-o", "name").out()).doesNotContain(victim)
                .contains("pod/service-test-");
    }

    @Test
    @Order(5)
    void badManifestsAreRefusedWithTheFieldNamedAndNothingIsCreated(@TempDir Path dir) throws IOException {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "apiVersion: v1\nkind: Pod\nmetadata: {name: typo}\nspec:\n  restartPolicyy: Never\n"
                + "  containers: [{name: c, image: alpine, command: [\"true\"]}]\n");
        Out o = kubectl("--kubeconfig", kc(), "apply", "-f", typo.toString());
        assertThat(o.exit()).isNotZero();
        assertThat(o.err()).contains("BadRequest").contains("unknown field \"spec.restartPolicyy\"");
        Path taken = dir.resolve("taken.yaml");
        Files.writeString(taken, "apiVersion: v1\nkind: Service\nmetadata: {name: taken}\nspec:\n  type: NodePort\n  selector: {app: x}\n"
                + "  ports: [{port: 80, nodePort: 30080}]\n");
        o = kubectl("--kubeconfig", kc(), "create", "-f", taken.toString());
        assertThat(o.exit()).isNotZero();
        assertThat(o.err()).contains("The Service \"taken\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
        assertThat(kubectl("--kubeconfig", kc(), "get", "svc", "taken").err()).contains("NotFound");
        assertThat(kubectl("--kubeconfig", kc(), "get", "pod", "typo").err()).contains("NotFound");
    }

    @Test
    @Order(6)
    void aKilledServerLeavesTheEndpointsAndRulesAtOnceAndComesBackWhenRestarted() {
        PodRecord pod = lab.pods().stream().filter(p -> "service-test".equals(deploymentOf(p))).findFirst().orElseThrow();
        String ip = pod.ip().toString();
        List<String> killServer = List.of("sh", "-c", "for p in $(ps -eo pid=,args= | awk '/[h]ttp[.]server/ {print $1}'); do kill $p; done");
        // kubelet restarts a container at once the first time: the server is back (restartCount 1) and an endpoint again.
        Kernel.Result kill = lab.execCapture(pod.name(), killServer);
        assertThat(kill.exit()).as(kill.stderr()).isZero();
        eventually("the server restarted at once", 5_000, () -> "1".equals(kubectl("--kubeconfig", kc(), "get", "pod", pod.name(), "-o",
                "jsonpath={.status.containerStatuses[0].restartCount}").out()) && lab.liveRules("node1").contains("-s " + ip + "/32"));
        // The second time the 10 s back-off holds it.
        kill = lab.execCapture(pod.name(), killServer);
        assertThat(kill.exit()).as(kill.stderr()).isZero();
        long t0 = System.nanoTime();
        eventually("the dead server leaves every node's rules", 2_000, () -> !lab.liveRules("node1").contains("-s " + ip + "/32")
                && !lab.liveRules("node2").contains("-s " + ip + "/32"));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(millis).as("ms until the rules changed").isLessThan(1_500);
        assertThat(ok("--kubeconfig", kc(), "get", "endpoints", "service-test").out()).doesNotContain(ip + ":8080");
        // kubelet's back-off restarts it after 10 s; the endpoint comes back.
        eventually("the restarted server is an endpoint again", 25_000, () -> lab.liveRules("node1").contains("-s " + ip + "/32"));
        assertThat(ok("--kubeconfig", kc(), "get", "pod", pod.name(), "-o", "jsonpath={.status.containerStatuses[0].restartCount}").out()).isEqualTo("2");
        assertThat(ItSupport.httpGet(lab, "ext-client", ip, 8080)).contains("Hello from " + pod.name());
    }

    @Test
    @Order(7)
    void aControllerKilledWithSigkillComesBackWithNothingLost() throws IOException {
        LabStore store = LabStore.fromEnvironment();
        ControllerFiles files = new ControllerFiles(store, name);
        ControllerFiles.Endpoint before = files.endpoint().orElseThrow();
        Map<String, String> pods = podsAndIps();
        String nodePorts = ok("--kubeconfig", kc(), "get", "svc", "-o", "jsonpath={.items[*].spec.ports[*].nodePort}").out();
        String clusterIPs = ok("--kubeconfig", kc(), "get", "svc", "-o", "jsonpath={.items[*].spec.clusterIP}").out();
        // A server's address now: an earlier test's deleted pod may have been replaced under another (the
        // replacement starts while the deleted one terminates, as a ReplicaSet does).
        String server = ok("--kubeconfig", kc(), "get", "pods", "-l", "app=service_test_pod", "-o", "jsonpath={.items[0].status.podIP}").out();
        io.kubenetlab.kernel.Procs.killAndWait(List.of(before.pid()), 5_000);
        assertThat(kubectl("--kubeconfig", kc(), "get", "pods").exit()).isNotZero();
        // Pods keep serving while the controller is away.
        assertThat(ItSupport.httpGet(lab, "ext-client", server, 8080)).contains("Hello from");

        ItSupport.CliResult r = ItSupport.cli("deploy", "-t", ItSupport.ARTICLE.toString(), "--name", name);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("started it again");
        ControllerFiles.Endpoint after = files.endpoint().orElseThrow();
        assertThat(after.pid()).isNotEqualTo(before.pid());
        assertThat(after.port()).as("the same port: kubeconfigs stay good").isEqualTo(before.port());
        assertThat(podsAndIps()).isEqualTo(pods);
        assertThat(ok("--kubeconfig", kc(), "get", "svc", "-o", "jsonpath={.items[*].spec.ports[*].nodePort}").out()).isEqualTo(nodePorts);
        assertThat(ok("--kubeconfig", kc(), "get", "svc", "-o", "jsonpath={.items[*].spec.clusterIP}").out()).isEqualTo(clusterIPs);
        // And it reconciles again: a deleted pod is replaced.
        String victim = ok("--kubeconfig", kc(), "get", "pods", "-l", "app=service_test_pod", "-o", "jsonpath={.items[0].metadata.name}").out();
        ok("--kubeconfig", kc(), "delete", "pod", victim);
        eventually("replaced after the restart", 15_000, () -> ok("--kubeconfig", kc(), "get", "deploy", "service-test", "-o",
                "jsonpath={.status.readyReplicas}").out().equals("2"));
    }

    private Map<String, String> podsAndIps() {
        Map<String, String> m = new TreeMap<>();
        String out = ok("--kubeconfig", kc(), "get", "pods", "-A", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.podIP}{\"\\n\"}{end}").out();
        out.lines().filter(l -> !l.isBlank()).forEach(l -> m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return m;
    }

    private static String deploymentOf(PodRecord p) {
        return p.ownerName() == null ? null : p.ownerName().substring(0, p.ownerName().lastIndexOf('-'));
    }

    private String kc() {
        return lab.kubeconfig().toString();
    }
}
