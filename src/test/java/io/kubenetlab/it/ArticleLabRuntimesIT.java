package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.PodRecord;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The article's checks on both runtimes, the same assertions: round robin from the client pods,
 * NodePort and LoadBalancer from the outside host, hairpin, the outside database by name, verify's
 * report, and a destroy that leaves nothing (no container, namespace, process or state; the root
 * namespace's links, routes and rules as they were).
 */
@ParameterizedClass(name = "runtime {0}")
@ValueSource(strings = {"netns", "docker"})
class ArticleLabRuntimesIT {
    @Parameter
    String runtime;

    static String name;
    static Lab lab;
    static String rootBefore;
    static Map<String, String> serverByIp;

    @BeforeParameterizedClassInvocation
    static void deploy(String runtime) {
        ItSupport.requireRoot();
        if (runtime.equals("docker")) DockerSupport.requireEngineAndImages();
        rootBefore = ItSupport.rootNamespaceSnapshot();
        name = ItSupport.uniqueLab("it-rt-" + runtime);
        lab = ItSupport.deployArticle(name, runtime);
        serverByIp = lab.pods().stream().filter(p -> "service_test_pod".equals(p.labels().get("app")))
                .collect(Collectors.toMap(p -> p.ip().toString(), PodRecord::name));
    }

    @AfterParameterizedClassInvocation
    static void destroyLeavesNothing(String runtime) {
        if (lab == null) return;
        Lab deployed = lab;
        lab = null;
        ItSupport.destroyLeavesNothing(deployed, name, runtime, rootBefore);
    }

    @Test
    void kubectlExecAndPortForwardWorkOnThisRuntime() throws Exception {
        try (Kubectl kubectl = Kubectl.create("knl-rt-streams", ItSupport.requireKubectl132())) {
            String web = serverByIp.get("10.0.1.2");
            Kubectl.Out o = kubectl.run(lab, "exec", web, "-c", "simple-http", "--", "sh", "-c", "hostname; echo err >&2; exit 3");
            assertThat(o.exit()).as(o.err()).isEqualTo(3);
            assertThat(o.out()).isEqualTo(web + "\n");
            assertThat(o.err()).contains("err\n").contains("command terminated with exit code 3");
            assertThat(kubectl.runWithInput(lab, "hi\n", "exec", "-i", web, "--", "cat").out()).isEqualTo("hi\n");
            // a terminal: script(1) gives kubectl one
            Process tty = new ProcessBuilder("script", "-qec", String.join(" ", kubectl.argv(lab, "exec", "-it", web, "--", "sh", "-c",
                    "'tty; stty size; exit 4'")), "/dev/null").redirectErrorStream(true).start();
            java.io.ByteArrayOutputStream screen = Kubectl.collect(tty.getInputStream());
            assertThat(ItSupport.exitWithin(tty, 30, "kubectl exec -it")).as(screen.toString()).isEqualTo(4);
            // a terminal the pod's own /dev/pts names (the docker runtime makes it in the container's devpts), with a size
            assertThat(screen.toString()).containsPattern("/dev/pts/\\d+\r?\n\\d+ \\d+");
            Process forward = new ProcessBuilder(kubectl.argv(lab, "port-forward", "pod/" + web, ":8080")).redirectErrorStream(true).start();
            try {
                int port = Kubectl.forwardedPorts(forward, 1).get(0);
                int failures = 0;
                for (int i = 0; i < 5; i++) if (!Kubectl.httpGet(port, "/").contains("Hello from " + web)) failures++;
                assertThat(failures).as("requests through kubectl port-forward that failed, of 5").isZero();
            } finally {
                forward.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            String marker = "86" + (runtime.equals("docker") ? "1" : "2") + java.util.concurrent.ThreadLocalRandom.current().nextInt(100, 999);
            assertThat(kubectl.sleepsLeftAfterAKilledExec(lab, web, marker, false)).as("processes of a killed exec left in the pod").isEmpty();
        }
    }

    @Test
    void theLabRunsOnTheRuntimeAskedFor() {
        assertThat(lab.state().runtime).isEqualTo(runtime);
        assertThat(serverByIp).containsOnlyKeys("10.0.1.2", "10.0.2.2");
        if (runtime.equals("docker")) {
            // nodes and pods as containers: a sandbox per machine and pod, one per pod container
            assertThat(DockerSupport.containersOf(name)).hasSizeGreaterThanOrEqualTo(lab.state().machines.size() + 2 * lab.pods().size());
        }
    }

    @Test
    void theArticlesClientsGotTheirAnswersByAddressAndByName() {
        assertThat(lab.logs("service-test-client1", null)).contains("<p>Hello from " + serverByIp.get("10.0.2.2") + "</p>");
        assertThat(lab.logs("service-test-client2", null)).containsPattern("<p>Hello from service-test-[a-z0-9]+-[a-z0-9]{5}</p>");
        assertThat(lab.status(lab.pod("service-test-client1")).phase()).isEqualTo("Succeeded");
    }

    @Test
    void theClusterIpAnswersRoundRobinFromTheClientPods() {
        for (String client : List.of("service-test-client1", "service-test-client2")) {
            Map<String, Integer> counts = ItSupport.spread(lab, client, "10.3.241.152", 80, 100).allAnswered();
            assertThat(ItSupport.answers(counts)).as("answers to " + client).isEqualTo(100);
            assertThat(counts.keySet()).as(client).containsExactlyInAnyOrderElementsOf(serverByIp.values());
            // Binomial(100, 1/2): 25 is 5 standard deviations below the mean.
            assertThat(counts.values()).as(client).allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(25));
        }
    }

    @Test
    void theNodePortAndTheLoadBalancerAnswerFromOutsideTheCluster() {
        for (String nodeIp : List.of("10.100.0.2", "10.100.0.3")) {
            assertThat(ItSupport.spread(lab, "ext-client", nodeIp, 30080, 30).allAnswered().keySet()).as("NodePort via " + nodeIp)
                    .containsExactlyInAnyOrderElementsOf(serverByIp.values());
        }
        assertThat(ItSupport.spread(lab, "ext-client", "203.0.113.100", 80, 30).allAnswered().keySet()).as("LoadBalancer")
                .containsExactlyInAnyOrderElementsOf(serverByIp.values());
    }

    @Test
    void aTraceFromOutsideThroughTheLoadBalancerReachesAPod() {
        io.kubenetlab.trace.TraceReport r = lab.trace("ext-client", "service-test-lb", null, 0);
        assertThat(r.hops()).extracting(io.kubenetlab.trace.TraceReport.Hop::machine).contains("lb");
        assertThat(r.text()).contains("DNAT 203.0.113.100:80 -> 10.100.0.");
        assertThat(r.verdict()).startsWith("reached pod default/service-test-");
        assertThat(r.answer()).startsWith("HTTP/1.0 200 OK");
    }

    @Test
    void aServerPodReachesItselfThroughItsService() {
        String pod = serverByIp.get("10.0.2.2");
        Map<String, Integer> counts = ItSupport.spread(lab, pod, "10.3.241.152", 80, 30).allAnswered();
        assertThat(counts).containsKey(pod);
        assertThat(ItSupport.answers(counts)).isEqualTo(30);
    }

    @Test
    void theOutsideDatabaseAnswersByName() {
        String out = lab.execCapture("api-pod", List.of("psql", "-h", "database", "-U", "postgres", "-tAc", "select 40 + 2")).stdout();
        assertThat(out.trim()).isEqualTo("42");
    }

    @Test
    void theDatabasesSharedMemoryStaysInItsSandbox() {
        // PostgreSQL keeps segments in /dev/shm and leaves them when it is killed: a sandbox has its own.
        String inside = lab.execCapture("database", List.of("sh", "-c", "grep ' /dev/shm ' /proc/self/mounts | tail -1; ls /dev/shm")).stdout();
        List<String> segments = inside.lines().filter(l -> l.startsWith("PostgreSQL.")).toList();
        assertThat(segments).as("PostgreSQL's segments in the database's /dev/shm:%n%s", inside).isNotEmpty();
        for (String seg : segments) assertThat(java.nio.file.Path.of("/dev/shm", seg)).as("on the host").doesNotExist();
    }

    @Test
    void nodesAndTheRouterHoldTheArticlesRoutes() {
        assertThat(lab.execCapture("node1", List.of("ip", "route")).stdout()).contains("default via 10.100.0.1 dev eth0", "10.0.1.0/24 dev cbr0");
        assertThat(lab.execCapture("router", List.of("ip", "route")).stdout()).contains("10.0.1.0/24 via 10.100.0.2", "10.0.2.0/24 via 10.100.0.3");
        String hostname = lab.execCapture(serverByIp.get("10.0.1.2"), List.of("hostname")).stdout().trim();
        assertThat(hostname).isEqualTo(serverByIp.get("10.0.1.2"));
    }

    @Test
    void verifyReportsEveryCheckPassed() {
        ItSupport.CliResult r = ItSupport.cli("verify", "--lab", name);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("verify: (\\d+) checks, \\1 passed");
    }

    @Test
    void theKernelHoldsWhatThePlanSays() {
        assertThat(io.kubenetlab.lab.LabDiff.compare(lab, lab.plan().machines())).as("plan --diff on a healthy lab").isEmpty();
    }
}
