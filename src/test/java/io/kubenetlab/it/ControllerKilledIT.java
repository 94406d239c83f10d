package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.client.ControllerFiles;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.lab.LabDiff;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.store.LabStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Kill at every step, the controller's half (issue 16): on the article's lab, a change through the API
 * makes the controller sync, and the controller is SIGKILLed in the middle of it (while it creates pod
 * sandboxes, while it removes them, right after it answered, while it creates a Service). Then
 * {@link Lab#api()} starts it again, and the lab must recover: surviving pods keep their IPs, every
 * Service its ClusterIP and NodePorts, the change completes, nothing is left over (every namespace of
 * the lab belongs to a pod or machine of its state, every pod's sandbox lives), and every node's live
 * rules and links equal a fresh render of the plan ({@code plan --diff}).
 */
class ControllerKilledIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENT = "service-test";

    @Test
    void theLabRecoversFromAControllerKilledMidSync() throws Exception {
        ItSupport.requireRoot();
        long t0 = System.nanoTime();
        String rootBefore = ItSupport.rootNamespaceSnapshot();
        String name = ItSupport.uniqueLab("kst");
        List<String> failures = new ArrayList<>();
        int rounds = 0;
        try (Lab lab = ItSupport.deployArticle(name)) {
            lab.api(); // the controller runs
            Map<String, String> ips = podIps(lab);
            Map<String, String> services = services(lab);

            // 1. Scale up: killed while it makes the new pods' sandboxes (their first namespace exists).
            Set<String> netnsBefore = new TreeSet<>(ItSupport.netnsOf(name));
            rounds++;
            killDuring(lab, "scale 2 -> 4, killed while the new pods' sandboxes are made", failures,
                    () -> scaleAsync(lab, 4),
                    () -> ItSupport.netnsOf(name).stream().anyMatch(n -> !netnsBefore.contains(n)),
                    () -> lab.awaitReady(DEPLOYMENT, Duration.ofSeconds(60)), 4, ips, services);

            // 2. Scale down: killed once the first removed pod's namespace is gone (the rest of the removal undone).
            Set<String> four = new TreeSet<>(ItSupport.netnsOf(name));
            rounds++;
            killDuring(lab, "scale 4 -> 2, killed while pods are removed", failures,
                    () -> scaleAsync(lab, 2),
                    () -> !new TreeSet<>(ItSupport.netnsOf(name)).containsAll(four),
                    () -> lab.awaitReady(DEPLOYMENT, Duration.ofSeconds(90)), 2, ips, services);

            // 3. Killed at once after the API answered a scale: the change must have been saved before the answer.
            rounds++;
            killDuring(lab, "scale 2 -> 3, killed as the API answers", failures,
                    () -> {
                        scale(lab, 3);
                        return CompletableFuture.completedFuture(null);
                    },
                    () -> true, () -> lab.awaitReady(DEPLOYMENT, Duration.ofSeconds(60)), 3, ips, services);

            // 4. Creating Services, killed 0..60 ms after the request was sent (before, during or after its sync).
            for (int delay : new int[] {0, 5, 15, 30, 60}) {
                rounds++;
                String svc = "kst-svc-" + delay;
                long[] sent = new long[1];
                killDuring(lab, "create Service " + svc + ", killed " + delay + " ms after the request", failures,
                        () -> {
                            sent[0] = System.nanoTime();
                            return CompletableFuture.runAsync(() -> createService(lab, svc));
                        },
                        () -> System.nanoTime() - sent[0] >= delay * 1_000_000L,
                        () -> {
                            // A client whose request got no answer tries again: AlreadyExists means the first one was kept.
                            if (lab.state().service("default", svc).isEmpty()) createService(lab, svc);
                            services.put("default/" + svc, describe(lab.state().service("default", svc).orElseThrow()));
                        }, 3, ips, services);
            }

            // 5. Back to 2 replicas, killed a tenth of a second into it.
            rounds++;
            long[] sent = new long[1];
            killDuring(lab, "scale 3 -> 2, killed 100 ms after the request", failures,
                    () -> {
                        sent[0] = System.nanoTime();
                        return scaleAsync(lab, 2);
                    },
                    () -> System.nanoTime() - sent[0] >= 100_000_000L,
                    () -> lab.awaitReady(DEPLOYMENT, Duration.ofSeconds(90)), 2, ips, services);
        }
        try {
            ItSupport.assertGone(name);
        } catch (AssertionError e) {
            failures.add("after destroy: " + e.getMessage());
        }
        if (!ItSupport.rootNamespaceSnapshot().equals(rootBefore)) failures.add("the root namespace changed");
        System.out.printf("ControllerKilledIT: %d kills, %d failures, %d s%n", rounds, failures.size(), (System.nanoTime() - t0) / 1_000_000_000L);
        assertThat(failures).as("what did not recover after the controller was killed mid-sync").isEmpty();
    }

    /**
     * Starts a change, SIGKILLs the controller once {@code when} holds (polled every millisecond, at most
     * 30 s), starts it again through {@link Lab#api()}, lets the change complete, and checks the lab.
     */
    private static void killDuring(Lab lab, String what, List<String> failures, java.util.concurrent.Callable<CompletableFuture<?>> change,
                                   BooleanSupplier when, Runnable complete, int replicas, Map<String, String> ips,
                                   Map<String, String> services) throws Exception {
        int before = failures.size();
        ControllerFiles files = new ControllerFiles(LabStore.fromEnvironment(), lab.name());
        long pid = files.endpoint().orElseThrow().pid();
        CompletableFuture<?> request = change.call();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!when.getAsBoolean() && System.nanoTime() < deadline) Thread.onSpinWait();
        boolean hit = when.getAsBoolean();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < gone) Procs.sleep(5);
        if (!hit) failures.add(what + ": the moment to kill never came");
        boolean answered;
        try {
            request.get(30, TimeUnit.SECONDS);
            answered = true;
        } catch (java.util.concurrent.ExecutionException e) {
            answered = false; // it died with the controller: it may or may not have been kept, a client tries again
        }
        lab.api(); // starts the controller again
        long newPid = files.endpoint().orElseThrow().pid();
        if (newPid == pid) failures.add(what + ": the controller was not started again");
        try {
            // An answered change must have been kept: only an unanswered one is sent again.
            if (!answered) change.call().get(30, TimeUnit.SECONDS);
            complete.run();
            check(lab, replicas, ips, services);
        } catch (Exception | AssertionError e) {
            failures.add(what + ": " + e.getMessage());
        }
        System.out.println("ControllerKilledIT: " + what + " (request " + (answered ? "answered" : "not answered") + " before the kill): " + (failures.size() == before ? "recovered" : String.join("\n", failures.subList(before, failures.size()))));
    }

    /** Surviving pods kept their IPs, Services their ClusterIPs and NodePorts; nothing extra; live state equals the plan. */
    private static void check(Lab lab, int replicas, Map<String, String> ips, Map<String, String> services) {
        List<PodRecord> pods = lab.pods().stream().filter(p -> p.ownerName() != null && p.ownerName().startsWith(DEPLOYMENT)).toList();
        assertThat(pods).as("the Deployment's pods").hasSize(replicas);
        Map<String, String> now = podIps(lab);
        ips.forEach((pod, ip) -> {
            if (now.containsKey(pod)) assertThat(now.get(pod)).as("IP of surviving pod " + pod).isEqualTo(ip);
        });
        ips.putAll(now);
        Map<String, String> svcNow = services(lab);
        services.forEach((key, v) -> assertThat(svcNow.get(key)).as("Service " + key).isEqualTo(v));
        LabState s = lab.state();
        Set<String> owned = new TreeSet<>();
        s.pods.forEach(p -> owned.add(p.netns()));
        s.machines.forEach(m -> owned.add(m.netns()));
        assertThat(new TreeSet<>(ItSupport.netnsOf(lab.name()))).as("the lab's namespaces: those of its pods and machines").isEqualTo(owned);
        for (PodRecord p : s.pods) assertThat(Procs.alive(p.sandbox())).as("sandbox of " + p.name()).isTrue();
        // Every node's live rules (and links, routes, sysctls) equal a fresh render, once the controller settled.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<?> diff = LabDiff.compare(lab, lab.plan().machines());
        while (!diff.isEmpty() && System.nanoTime() < deadline) {
            Procs.sleep(200);
            diff = LabDiff.compare(lab, lab.plan().machines());
        }
        assertThat(diff).as("plan --diff").isEmpty();
        for (var node : lab.topology().nodes()) {
            for (ServiceRecord svc : s.services) {
                if (svc.clusterIP() == null || svc.headless()) continue;
                assertThat(lab.liveRules(node.name())).as(node.name() + "'s rules for " + svc.key()).contains(svc.clusterIP());
            }
        }
    }

    private static Map<String, String> podIps(Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (PodRecord p : lab.pods()) out.put(p.name(), String.valueOf(p.ip()));
        return out;
    }

    private static Map<String, String> services(Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (ServiceRecord s : lab.state().services) out.put(s.key(), describe(s));
        return out;
    }

    private static String describe(ServiceRecord s) {
        return s.clusterIP() + " " + s.ports().stream().map(p -> p.port() + ":" + p.nodePort()).toList() + " hc " + s.healthCheckNodePort();
    }

    private static CompletableFuture<?> scaleAsync(Lab lab, int replicas) {
        return CompletableFuture.runAsync(() -> scale(lab, replicas));
    }

    /** The patch kubectl scale sends; returns when the API answered (not when the pods are there). */
    private static void scale(Lab lab, int replicas) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("spec").put("replicas", replicas);
        lab.api().patch("/apis/apps/v1/namespaces/default/deployments/" + DEPLOYMENT + "/scale", "application/merge-patch+json", body);
    }

    /** A NodePort Service for the Deployment's pods, as kubectl expose would make it. */
    private static void createService(Lab lab, String name) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree("""
                    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "%s", "namespace": "default"},
                     "spec": {"type": "NodePort", "selector": {"app": "service_test_pod"}, "ports": [{"port": 80, "targetPort": 8080}]}}
                    """.formatted(name));
            lab.api().post("/api/v1/namespaces/default/services", body);
        } catch (io.kubenetlab.client.ApiClient.Error e) {
            if (e.code() != 409) throw e;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
