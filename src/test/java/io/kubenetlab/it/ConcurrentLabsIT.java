package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.lab.LoadGenerator;
import io.kubenetlab.model.PodRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: two article labs at once, from two processes of the real CLI. Deployed together, exercised
 * together (requests through each one's ClusterIP and NodePort answered by its own pods only; kubectl and
 * fabric8 against each one's API), then one destroyed while the other serves (its rules and state as they
 * were, not one request failed), one deployed again while the other serves, and finally both destroyed
 * together: nothing of either is left and the root namespace is as it was.
 */
class ConcurrentLabsIT {
    static final String CLUSTER_IP = "10.3.241.152";
    static final List<String> NODES = List.of("10.100.0.2", "10.100.0.3");

    /** One run of the launcher, started now; {@link #await} waits for it (bounded) and returns what it printed. */
    record CliRun(Process process, Path out, Path err, String what) {
        static CliRun start(String... args) {
            List<String> argv = new ArrayList<>(List.of(ItSupport.REPO.resolve("scripts/kubenetlab").toString()));
            argv.addAll(List.of(args));
            try {
                Path out = Files.createTempFile("knl-lod", ".out");
                Path err = Files.createTempFile("knl-lod", ".err");
                Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                return new CliRun(p, out, err, String.join(" ", args));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Its exit code and output; fails (after killing it, the process we started) past the limit. */
        ItSupport.CliResult await(Duration limit) throws Exception {
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            ItSupport.CliResult r = new ItSupport.CliResult(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            assertThat(ended).as("kubenetlab " + what + " within " + limit + "; printed: " + r.out() + r.err()).isTrue();
            return r;
        }

        ItSupport.CliResult awaitOk(Duration limit) throws Exception {
            ItSupport.CliResult r = await(limit);
            assertThat(r.exit()).as("kubenetlab " + what + ": " + r.out() + r.err()).isZero();
            return r;
        }
    }

    /** What must not change in a lab while the other one is destroyed or deployed: every node's rules, its pods and Services. */
    static String snapshot(Lab lab) {
        StringBuilder sb = new StringBuilder();
        for (String node : List.of("node1", "node2")) {
            sb.append("== ").append(node).append('\n');
            // Without comments and the built-in chains' packet counters, which move with the traffic it serves meanwhile.
            lab.liveRules(node).lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceFirst(" \\[\\d+:\\d+\\]$", ""))
                    .forEach(l -> sb.append(l).append('\n'));
        }
        var state = lab.state();
        state.pods.forEach(p -> sb.append("pod ").append(p.namespace()).append('/').append(p.name()).append(' ').append(p.ip()).append('\n'));
        state.services.forEach(s -> sb.append("svc ").append(s.key()).append(' ').append(s.clusterIP()).append(' ').append(s).append('\n'));
        sb.append("netns ").append(ItSupport.netnsOf(lab.name())).append('\n');
        return sb.toString();
    }

    static Set<String> servers(Lab lab) {
        return lab.pods().stream().map(PodRecord::name).filter(n -> n.startsWith("service-test-") && !n.startsWith("service-test-client"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Requests through the ClusterIP from a pod and through both nodes' NodePort from outside, {@code n} each; every one counted. */
    static Map<String, LoadGenerator.Result> traffic(Lab lab, int n) {
        Map<String, LoadGenerator.Result> out = new TreeMap<>();
        out.put("ClusterIP", lab.requests().from("service-test-client1").to(CLUSTER_IP, 80).times(n).run());
        for (String node : NODES) out.put("NodePort " + node, lab.requests().from("ext-client").to(node, 30080).times(n).run());
        return out;
    }

    /** Every request answered, by the lab's own pods only; returns how many were sent. */
    static int assertServedByOwnPods(Lab lab, Map<String, LoadGenerator.Result> results, Set<String> own) {
        int sent = 0;
        for (var e : results.entrySet()) {
            LoadGenerator.Result r = e.getValue();
            assertThat(r.failed()).as(lab.name() + " " + e.getKey() + " failures: " + r.failures()).isZero();
            assertThat(r.byPod().keySet()).as(lab.name() + " " + e.getKey() + ": answered only by its own pods").isSubsetOf(own);
            sent += r.sent();
        }
        return sent;
    }

    /** Sends requests to {@code lab} until {@code stop}, then once more; all must be answered by its own pods. */
    static CompletableFuture<Integer> loadUntil(Lab lab, AtomicBoolean stop, Set<String> own) {
        return CompletableFuture.supplyAsync(() -> {
            int sent = 0;
            boolean last = false;
            while (!last) {
                last = stop.get();
                sent += assertServedByOwnPods(lab, traffic(lab, 10), own);
            }
            return sent;
        });
    }

    @Test
    void twoLabsFromTwoProcessesDoNotDisturbEachOther() throws Exception {
        ItSupport.requireRoot();
        Kubectl kubectl = Kubectl.create("knl-lod-kubectl");
        String rootBefore = ItSupport.rootNamespaceSnapshot();
        String a = ItSupport.uniqueLab("lod-a");
        String b = ItSupport.uniqueLab("lod-b");
        String a2 = ItSupport.uniqueLab("lod-a2");
        String topo = ItSupport.ARTICLE.toString();
        Duration deployLimit = Duration.ofMinutes(4);
        List<String> names = List.of(a, b, a2);
        try {
            // 1. Deployed together by two processes.
            long t0 = System.nanoTime();
            CliRun deployA = CliRun.start("deploy", "-t", topo, "--name", a);
            CliRun deployB = CliRun.start("deploy", "-t", topo, "--name", b);
            deployA.awaitOk(deployLimit);
            deployB.awaitOk(deployLimit);
            System.out.printf("ConcurrentLabsIT: two labs deployed together in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            Lab labA = Lab.open(a).reader();
            Lab labB = Lab.open(b).reader();
            assertThat(servers(labA)).hasSize(2).doesNotContainAnyElementsOf(servers(labB));
            assertThat(labB.api().url()).isNotEqualTo(labA.api().url());

            // 2. Exercised together: requests, kubectl and fabric8 against each one's own API.
            int sent = 0;
            CompletableFuture<Integer> exerciseA = CompletableFuture.supplyAsync(() -> exercise(labA, kubectl, 3));
            CompletableFuture<Integer> exerciseB = CompletableFuture.supplyAsync(() -> exercise(labB, kubectl, 4));
            sent += exerciseA.get(5, TimeUnit.MINUTES) + exerciseB.get(5, TimeUnit.MINUTES);
            assertThat(servers(labA)).hasSize(3);
            assertThat(servers(labB)).hasSize(4);

            // 3. A destroyed while B serves: B's rules, pods and Services unchanged, none of its requests failed.
            Set<String> ownB = servers(labB);
            String beforeB = snapshot(labB);
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Integer> loadB = loadUntil(labB, stop, ownB);
            CliRun destroyA = CliRun.start("destroy", "--name", a);
            destroyA.awaitOk(Duration.ofMinutes(2));
            stop.set(true);
            sent += loadB.get(2, TimeUnit.MINUTES);
            ItSupport.assertGone(a);
            assertThat(snapshot(labB)).as("lab B while lab A was destroyed").isEqualTo(beforeB);

            // 4. Another lab deployed while B serves and is changed through its API.
            stop.set(false);
            loadB = loadUntil(labB, stop, ownB);
            CliRun deployA2 = CliRun.start("deploy", "-t", topo, "--name", a2);
            String podsB = kubectl.ok(labB, "get", "pods", "-l", "app=service_test_pod", "-o", "jsonpath={.items[*].metadata.name}");
            assertThat(new TreeSet<>(List.of(podsB.split(" ")))).isEqualTo(ownB);
            deployA2.awaitOk(deployLimit);
            stop.set(true);
            sent += loadB.get(2, TimeUnit.MINUTES);
            assertThat(snapshot(labB)).as("lab B while another lab was deployed").isEqualTo(beforeB);
            Lab labA2 = Lab.open(a2).reader();
            sent += assertServedByOwnPods(labA2, traffic(labA2, 20), servers(labA2));
            assertThat(servers(labA2)).hasSize(2).doesNotContainAnyElementsOf(ownB);

            // 5. Both destroyed together, by two processes.
            String beforeA2 = snapshot(labA2);
            assertThat(beforeA2).isNotEmpty();
            t0 = System.nanoTime();
            CliRun destroyA2 = CliRun.start("destroy", "--name", a2);
            CliRun destroyB = CliRun.start("destroy", "--name", b);
            destroyA2.awaitOk(Duration.ofMinutes(2));
            destroyB.awaitOk(Duration.ofMinutes(2));
            System.out.printf("ConcurrentLabsIT: two labs destroyed together in %d ms; %d requests sent, none failed%n",
                    (System.nanoTime() - t0) / 1_000_000, sent);
            for (String n : names) ItSupport.assertGone(n);
            assertThat(ItSupport.rootNamespaceSnapshot()).as("root namespace after both labs").isEqualTo(rootBefore);
        } finally {
            kubectl.close();
            for (String n : names) {
                if (Files.exists(ItSupport.stateDir(n))) ItSupport.cli("destroy", "--name", n);
            }
        }
    }

    /**
     * One lab's round: requests answered by its own pods; kubectl lists exactly its pods; fabric8 scales its
     * Deployment to {@code replicas} and sees them; the new pods answer too. Returns the requests sent.
     */
    private static int exercise(Lab lab, Kubectl kubectl, int replicas) {
        Set<String> own = servers(lab);
        int sent = assertServedByOwnPods(lab, traffic(lab, 30), own);
        Set<String> defaultPods = lab.pods().stream().filter(p -> p.namespace().equals("default")).map(PodRecord::name)
                .collect(Collectors.toCollection(TreeSet::new));
        String listed = kubectl.ok(lab, "get", "pods", "-o", "jsonpath={.items[*].metadata.name}");
        assertThat(new TreeSet<>(List.of(listed.split(" ")))).as("kubectl get pods on " + lab.name()).isEqualTo(defaultPods);
        try (KubernetesClient k8s = lab.kubernetesClient()) {
            k8s.apps().deployments().inNamespace("default").withName("service-test").scale(replicas);
            lab.awaitReady("service-test", Duration.ofSeconds(120));
            List<Pod> pods = k8s.pods().inNamespace("default").withLabel("app", "service_test_pod").list().getItems();
            assertThat(pods).extracting(p -> p.getMetadata().getName()).as("fabric8 on " + lab.name())
                    .containsExactlyInAnyOrderElementsOf(servers(lab));
        }
        Set<String> scaled = servers(lab);
        assertThat(scaled).hasSize(replicas);
        var results = traffic(lab, 30);
        sent += assertServedByOwnPods(lab, results, scaled);
        return sent;
    }
}
