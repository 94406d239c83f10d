package io.kubenetlab.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.model.Defaults;
import io.kubenetlab.model.LabException;
import io.kubenetlab.store.LabStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of one lab's Kubernetes API, apart from the engine: it starts the lab's controller again
 * if it died, reads the token and certificate once per controller, and does what kubectl would
 * ({@code scale}, {@code delete pod}, waiting for Deployments).
 */
public final class LabClient {
    private final LabStore store;
    private final String lab;
    private ApiClient api;
    private ControllerFiles.Endpoint endpoint;

    public LabClient(LabStore store, String lab) {
        this.store = store;
        this.lab = lab;
    }

    /** The API client (its controller is started again if it died). */
    public synchronized ApiClient api() {
        var e = ControllerProcess.ensureRunning(store, lab);
        if (api == null || !e.equals(endpoint)) {
            // Token and certificate are read once per controller, not on every call (waits poll the API).
            var files = new ControllerFiles(store, lab);
            api = new ApiClient(e.url(), files.token(), files.clientTls());
            endpoint = e;
        }
        return api;
    }

    /** The kubeconfig kubectl uses for this lab. */
    public Path kubeconfig() {
        return new ControllerFiles(store, lab).kubeconfig();
    }

    /** {@code kubectl scale}: returns once the Deployment has its replicas, all ready. */
    public void scale(String deployment, String namespace, int replicas) {
        if (replicas < 0) throw new LabException("--replicas must be 0 or more");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("spec").put("replicas", replicas);
        api().patch("/apis/apps/v1/namespaces/" + namespace + "/deployments/" + deployment + "/scale", "application/merge-patch+json", body);
        awaitDeploymentsReady();
        awaitNoTerminatingPods(namespace);
    }

    /** Waits until the namespace's deleted pods are gone (their grace periods end when their processes exit). */
    private void awaitNoTerminatingPods(String namespace) {
        long deadline = System.nanoTime() + Duration.ofSeconds(Defaults.READY_TIMEOUT_SECONDS).toNanos();
        while (true) {
            List<String> terminating = new ArrayList<>();
            for (var p : api().get("/api/v1/namespaces/" + namespace + "/pods").path("items")) {
                if (p.path("metadata").has("deletionTimestamp")) terminating.add(p.path("metadata").path("name").asText());
            }
            if (terminating.isEmpty()) return;
            if (System.nanoTime() > deadline) throw new LabException("pods still terminating: " + String.join(", ", terminating));
            Procs.sleep(20);
        }
    }

    /** {@code kubectl delete pod}: returns once the pod is gone (its processes exited or its grace period ended). */
    public void deletePod(String namespace, String name) {
        String path = "/api/v1/namespaces/" + namespace + "/pods/" + name;
        api().delete(path);
        api().awaitGone(path, Duration.ofSeconds(Defaults.READY_TIMEOUT_SECONDS));
    }

    /**
     * {@code kubectl delete pod NAME --grace-period=0 --force}: the pod leaves its Services' endpoints
     * and every node's rules, and its processes get SIGKILL, within the request; returns once it is gone.
     */
    public void forceDeletePod(String namespace, String name) {
        String path = "/api/v1/namespaces/" + namespace + "/pods/" + name;
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        options.put("gracePeriodSeconds", 0).put("propagationPolicy", "Background");
        api().delete(path, options);
        api().awaitGone(path, Duration.ofSeconds(Defaults.READY_TIMEOUT_SECONDS));
    }

    /**
     * Waits until one Deployment has exactly its desired replicas, all ready, and no pod of its
     * namespace is still terminating (after a scale down); fails after {@code timeout}.
     */
    public void awaitDeploymentReady(String namespace, String deployment, Duration timeout) {
        String path = "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + deployment;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var d = api().get(path);
            int want = d.path("spec").path("replicas").asInt(1);
            int ready = d.path("status").path("readyReplicas").asInt();
            int have = d.path("status").path("replicas").asInt();
            if (ready == want && have == want && terminatingPods(namespace).isEmpty()) return;
            if (System.nanoTime() > deadline) {
                throw new LabException("Deployment " + namespace + "/" + deployment + " not ready after " + timeout.toMillis() + " ms: "
                        + ready + " of " + want + " replicas ready, " + have + " exist");
            }
            Procs.sleep(20);
        }
    }

    private List<String> terminatingPods(String namespace) {
        List<String> terminating = new ArrayList<>();
        for (var p : api().get("/api/v1/namespaces/" + namespace + "/pods").path("items")) {
            if (p.path("metadata").has("deletionTimestamp")) terminating.add(p.path("metadata").path("name").asText());
        }
        return terminating;
    }

    /** Waits until every Deployment has exactly its replicas, all ready (the controller saves its state meanwhile). */
    public void awaitDeploymentsReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(Defaults.READY_TIMEOUT_SECONDS).toNanos();
        while (true) {
            var list = api().get("/apis/apps/v1/deployments");
            List<String> waiting = new ArrayList<>();
            for (var d : list.path("items")) {
                int want = d.path("spec").path("replicas").asInt();
                if (d.path("status").path("readyReplicas").asInt() != want || d.path("status").path("replicas").asInt() != want) {
                    waiting.add(d.path("metadata").path("name").asText());
                }
            }
            if (waiting.isEmpty()) return;
            if (System.nanoTime() > deadline) throw new LabException("Deployments not ready: " + String.join(", ", waiting));
            Procs.sleep(20);
        }
    }
}
