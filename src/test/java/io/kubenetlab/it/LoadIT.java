package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.lab.LoadGenerator;
import io.kubenetlab.model.PodRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, under load: 10,000 requests (at least: the load goes on until the changes are over) through the article's ClusterIP (from a pod) and its NodePort on
 * both nodes (from the outside host), while the Deployment scales 2 -> 10 -> 2 and then rolls out a new
 * template; not one may fail. The Deployment first gets a tcpSocket readiness probe through the API, as a
 * user would: without one a new pod joins the endpoints as soon as its process runs, before it listens
 * (as in Kubernetes). Removed pods must leave every node's rules before they stop serving (graceful
 * termination), so none of the requests reaches a pod that is gone.
 */
class LoadIT {
    static final int TOTAL = 10_000;
    /** Requests per exec: few, so the load stops soon after the last change. */
    static final int BATCH = 20;
    static final String CLUSTER_IP = "10.3.241.152";
    static final List<String> NODES = List.of("10.100.0.2", "10.100.0.3");
    static final Pattern DNAT_8080 = Pattern.compile("(?:--to-destination |dnat to )(10\\.0\\.\\d+\\.\\d+):8080");

    /** One sender: a source and a target, sending batches until enough are sent and the changes are over. */
    record Route(String from, String host, int port) {
        String label() {
            return from + " -> " + host + ":" + port;
        }
    }

    /** Every request accounted for, by route: sent, answered (by pod), failed (by reason). */
    static final class Tally {
        int sent;
        int answered;
        int failed;
        final Map<String, Integer> byPod = new TreeMap<>();
        final Map<String, Integer> failures = new TreeMap<>();
        final Map<String, Integer> sentByRoute = new TreeMap<>();

        synchronized void add(Route route, LoadGenerator.Result r) {
            sent += r.sent();
            answered += r.answered();
            failed += r.failed();
            r.byPod().forEach((k, v) -> byPod.merge(k, v, Integer::sum));
            r.failures().forEach((k, v) -> failures.merge(route.label() + ": " + k, v, Integer::sum));
            if (r.failed() > 0) System.out.printf("LoadIT: %s %d failed at %s: %s%n", route.label(), r.failed(), java.time.Instant.now(), r.failures());
            sentByRoute.merge(route.label(), r.sent(), Integer::sum);
        }

        synchronized int sent() {
            return sent;
        }
    }

    @Test
    void tenThousandRequestsWhileTheDeploymentScalesAndRollsOut() throws Exception {
        String name = ItSupport.uniqueLab("lod-load");
        try (Lab lab = ItSupport.deployArticle(name); KubernetesClient k8s = lab.kubernetesClient()) {
            var deployments = k8s.apps().deployments().inNamespace("default");
            // edit: a patch, so the controller's status updates in between cannot make it a 409 conflict
            deployments.withName("service-test").edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setReadinessProbe(new ProbeBuilder()
                        .withNewTcpSocket().withNewPort(8080).endTcpSocket().withPeriodSeconds(1).build());
                return d;
            });
            lab.awaitReady("service-test", Duration.ofSeconds(90));
            assertRulesFollowPods(lab, 2);

            List<Route> routes = List.of(
                    new Route("service-test-client1", CLUSTER_IP, 80),
                    new Route("service-test-client1", CLUSTER_IP, 80),
                    new Route("service-test-client1", CLUSTER_IP, 80),
                    new Route("ext-client", NODES.get(0), 30080),
                    new Route("ext-client", NODES.get(1), 30080),
                    new Route("ext-client", NODES.get(1), 30080));
            Tally tally = new Tally();
            AtomicInteger issued = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean changesDone = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean abort = new java.util.concurrent.atomic.AtomicBoolean();
            Set<String> everyPod = new TreeSet<>(podNames(lab));
            ExecutorService senders = Executors.newFixedThreadPool(routes.size());
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.MINUTES.toNanos(12);
            List<Future<?>> running = new ArrayList<>();
            for (Route r : routes) {
                running.add(senders.submit(() -> {
                    // Until TOTAL are sent and the changes are over: a slow machine sends all of them during the changes.
                    while (!abort.get() && !(changesDone.get() && issued.get() >= TOTAL)) {
                        issued.addAndGet(BATCH);
                        tally.add(r, lab.requests().from(r.from()).to(r.host(), r.port()).times(BATCH).run());
                    }
                    return null;
                }));
            }

            // The changes, through the API as a user makes them, spread over the load (each begins once that many requests
            // are done); the requests done at each step's start and end.
            Map<String, int[]> phases = new LinkedHashMap<>();
            try {
                awaitSent(tally, TOTAL / 20, deadline);
                phase(phases, "scale 2 -> 10", tally, () -> {
                    deployments.withName("service-test").scale(10);
                    lab.awaitReady("service-test", Duration.ofSeconds(120));
                    everyPod.addAll(podNames(lab));
                    assertRulesFollowPods(lab, 10);
                });
                awaitSent(tally, TOTAL * 35 / 100, deadline);
                phase(phases, "scale 10 -> 2", tally, () -> {
                    deployments.withName("service-test").scale(2);
                    lab.awaitReady("service-test", Duration.ofSeconds(120));
                    assertRulesFollowPods(lab, 2);
                });
                awaitSent(tally, TOTAL * 65 / 100, deadline);
                phase(phases, "rollout of a new template", tally, () -> {
                    deployments.withName("service-test").edit(x -> {
                        var meta = x.getSpec().getTemplate().getMetadata();
                        if (meta.getAnnotations() == null) meta.setAnnotations(new java.util.HashMap<>());
                        meta.getAnnotations().put("kubenetlab.io/rollout", "load-" + System.nanoTime());
                        x.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                                .add(new io.fabric8.kubernetes.api.model.EnvVar("ROLLOUT", "2", null));
                        return x;
                    });
                    awaitNewPods(lab, everyPod);
                    lab.awaitReady("service-test", Duration.ofSeconds(120));
                    everyPod.addAll(podNames(lab));
                    assertRulesFollowPods(lab, 2);
                });
                changesDone.set(true);
                senders.shutdown();
                for (Future<?> f : running) {
                    while (!f.isDone() && System.nanoTime() < deadline) {
                        try {
                            f.get(10, TimeUnit.SECONDS);
                        } catch (java.util.concurrent.TimeoutException e) {
                            System.out.printf("LoadIT: %d sent after %d s%n", tally.sent(), (System.nanoTime() - t0) / 1_000_000_000);
                        }
                    }
                    assertThat(f.isDone()).as("the senders finish within 12 minutes (%d sent; failures %s)", tally.sent(), tally.failures).isTrue();
                    f.get();
                }
            } finally {
                abort.set(true);
                senders.shutdownNow();
                senders.awaitTermination(1, TimeUnit.MINUTES);
            }
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            System.out.printf("LoadIT: %d requests sent, %d answered, %d failed in %d ms; by route %s; phases (requests done at start, end) %s;"
                            + " answered by %d pods; failures %s%n", tally.sent, tally.answered, tally.failed, tookMs, tally.sentByRoute,
                    phases.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + ".." + e.getValue()[1]).toList(),
                    tally.byPod.size(), tally.failures);
            assertThat(tally.sent).as("every request counted").isGreaterThanOrEqualTo(TOTAL).isEqualTo(issued.get());
            assertThat(tally.failed).as("failed requests (answered %d of %d): %s", tally.answered, tally.sent, tally.failures).isZero();
            assertThat(tally.answered).isEqualTo(tally.sent);
            assertThat(tally.byPod.keySet()).as("answered only by the Deployment's pods").isSubsetOf(everyPod);
            assertThat(tally.byPod.keySet().size()).as("pods of every step answered (2 + 8 scaled up + 2 rolled out)").isGreaterThanOrEqualTo(10);
            // The senders loop without pause, and their requests are counted a batch at a time: a quick step (a scale-down
            // takes about 2 s on a quiet machine) sees few completed batches, and one proves the load ran through it.
            for (var e : phases.entrySet()) {
                assertThat(e.getValue()[1] - e.getValue()[0]).as("requests sent during \"" + e.getKey() + "\": the load ran while it happened")
                        .isGreaterThanOrEqualTo(BATCH);
            }
        }
        ItSupport.assertGone(name);
    }

    /** Waits until {@code n} requests are done (bounded by the test's deadline). */
    private static void awaitSent(Tally tally, int n, long deadline) {
        while (tally.sent() < n) {
            assertThat(System.nanoTime()).as("%d requests done in time (%d so far)", n, tally.sent()).isLessThan(deadline);
            io.kubenetlab.kernel.Procs.sleep(100);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void phase(Map<String, int[]> phases, String what, Tally tally, Step step) throws Exception {
        int start = tally.sent();
        long t0 = System.nanoTime();
        step.run();
        phases.put(what, new int[] {start, tally.sent()});
        System.out.printf("LoadIT: %s took %d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
    }

    private static List<String> podNames(Lab lab) {
        return lab.pods().stream().filter(p -> p.name().startsWith("service-test-") && !p.name().startsWith("service-test-client"))
                .map(PodRecord::name).toList();
    }

    /** The rollout has begun: a pod not seen before exists (awaitReady would otherwise pass on the old ones). */
    private static void awaitNewPods(Lab lab, Set<String> seen) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (podNames(lab).stream().allMatch(seen::contains)) {
            assertThat(System.currentTimeMillis()).as("the rollout creates new pods within 30 s").isLessThan(deadline);
            io.kubenetlab.kernel.Procs.sleep(50);
        }
    }

    /** Every node's live rules send port-8080 traffic to exactly the Deployment's pods, {@code n} of them. */
    private static void assertRulesFollowPods(Lab lab, int n) {
        Set<String> ips = new TreeSet<>();
        List<String> names = podNames(lab);
        for (PodRecord p : lab.pods()) if (names.contains(p.name())) ips.add(p.ip().toString());
        assertThat(ips).hasSize(n);
        for (String node : List.of("node1", "node2")) {
            Set<String> dnat = new TreeSet<>();
            Matcher m = DNAT_8080.matcher(lab.liveRules(node));
            while (m.find()) dnat.add(m.group(1));
            assertThat(dnat).as("backends in " + node + "'s rules").isEqualTo(ips);
        }
    }
}
