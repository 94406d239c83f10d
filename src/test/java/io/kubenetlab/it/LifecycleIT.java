package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.LabException;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.kernel.Procs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploy, redeploy, destroy, rollback and crash recovery leave exactly nothing behind. */
class LifecycleIT {
    @TempDir
    Path tmp;

    @Test
    void destroyRemovesEverythingAndLeavesTheRootNamespaceUnchanged() {
        ItSupport.requireRoot();
        String before = ItSupport.rootNamespaceSnapshot();
        String name = ItSupport.uniqueLab("it-destroy");
        try (Lab lab = ItSupport.deployArticle(name)) {
            assertThat(ItSupport.netnsOf(name)).hasSize(6 + 6); // router, 2 nodes, ext-client, database, lb; 2 servers, 2 clients, kube-dns, api-pod
            assertThat(ItSupport.processesOf(name)).isNotEmpty();
            assertThat(ItSupport.rootNamespaceSnapshot()).as("deploy must not touch the root namespace").isEqualTo(before);
        }
        ItSupport.assertGone(name);
        assertThat(ItSupport.rootNamespaceSnapshot()).isEqualTo(before);
        // Twice is fine.
        Lab.destroy(name, LabStore.fromEnvironment());
        ItSupport.CliResult again = ItSupport.cli("destroy", "--name", name);
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("does not exist");
    }

    @Test
    void theSameLabDeployedTwiceGetsTheSameNamesAndAddresses() {
        String name = ItSupport.uniqueLab("it-redeploy");
        Map<String, String> first, second;
        try (Lab lab = ItSupport.deployArticle(name)) {
            first = addresses(lab);
        }
        try (Lab lab = ItSupport.deployArticle(name)) {
            second = addresses(lab);
        }
        assertThat(second).isEqualTo(first).hasSize(6);
        ItSupport.assertGone(name);
    }

    private static Map<String, String> addresses(Lab lab) {
        return lab.pods().stream().collect(Collectors.toMap(PodRecord::name, p -> p.node() + " " + p.ip(), (a, b) -> a, TreeMap::new));
    }

    @Test
    void aLabNameAlreadyRunningIsRefusedAndTheRunningLabIsUntouched() {
        String name = ItSupport.uniqueLab("it-twice");
        try (Lab lab = ItSupport.deployArticle(name)) {
            List<String> netns = ItSupport.netnsOf(name);
            ItSupport.CliResult r = ItSupport.cli("deploy", "-t", ItSupport.ARTICLE.toString(), "--name", name);
            assertThat(r.exit()).isNotZero();
            assertThat(r.err()).contains("lab \"" + name + "\" is already running");
            assertThat(ItSupport.netnsOf(name)).containsExactlyInAnyOrderElementsOf(netns);
            assertThat(ItSupport.httpGet(lab, "ext-client", "10.0.2.2", 8080)).contains("Hello from");
        }
        ItSupport.assertGone(name);
    }

    @Test
    void aDeployThatFailsHalfWayRollsBack() throws IOException {
        ItSupport.requireRoot();
        String before = ItSupport.rootNamespaceSnapshot();
        // The Deployment's server exits at once: the deploy fails after machines and pods exist.
        Path topo = labWith("""
                kind: Deployment
                apiVersion: apps/v1
                metadata: {name: crash}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: crash}}
                  template:
                    metadata: {labels: {app: crash}}
                    spec:
                      containers:
                        - name: c
                          image: alpine
                          command: ["sh", "-c", "echo going down; exit 3"]
                          ports: [{containerPort: 8080}]
                """);
        String name = ItSupport.uniqueLab("it-rollback");
        assertThatThrownBy(() -> Lab.deploy(topo, Lab.Options.defaults().withName(name).withReadyTimeout(Duration.ofSeconds(20))))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("exited")
                .hasMessageContaining("going down");
        ItSupport.assertGone(name);
        assertThat(ItSupport.rootNamespaceSnapshot()).isEqualTo(before);
    }

    @Test
    void destroyCleansUpAfterADeployKilledHalfWay() throws Exception {
        ItSupport.requireRoot();
        // Servers that never listen: deploy waits, and we kill it with SIGKILL meanwhile.
        String name = ItSupport.uniqueLab("it-killed");
        Process deploy = startCliDeploy(neverReady(2), name);
        Path state = ItSupport.stateDir(name).resolve("state.json");
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(state) && Files.readString(state).contains("\"sandbox\" : {")
                    && ItSupport.processesOf(name).size() >= 6) break;
            Procs.sleep(20);
        }
        assertThat(ItSupport.processesOf(name)).as("pods started before the kill").hasSizeGreaterThanOrEqualTo(6);
        ItSupport.exitWithin(deploy.destroyForcibly(), 30, "the SIGKILLed deploy");
        assertThat(ItSupport.netnsOf(name)).isNotEmpty();
        ItSupport.CliResult r = ItSupport.cli("destroy", "--name", name);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        ItSupport.assertGone(name);
    }

    @Test
    void aDeployStoppedWithSigtermRollsBackEverythingItStarted() throws Exception {
        ItSupport.requireRoot();
        // Many pods, so SIGTERM lands while sandboxes are still being started.
        String name = ItSupport.uniqueLab("it-sigterm");
        Process deploy = startCliDeploy(neverReady(60), name);
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline && ItSupport.processesOf(name).size() < 10) Procs.sleep(5);
        assertThat(ItSupport.processesOf(name)).as("sandboxes started before SIGTERM").isNotEmpty();
        deploy.destroy(); // SIGTERM: the JVM's shutdown hook rolls back
        assertThat(ItSupport.exitWithin(deploy, 60, "the deploy stopped with SIGTERM (its rollback)")).isNotZero();
        ItSupport.assertGone(name);
    }

    /** A lab whose Deployment's servers run but never listen on their declared port. */
    private Path neverReady(int replicas) throws IOException {
        return labWith("""
                kind: Deployment
                apiVersion: apps/v1
                metadata: {name: stuck}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: stuck}}
                  template:
                    metadata: {labels: {app: stuck}}
                    spec:
                      containers:
                        - name: c
                          image: alpine
                          command: ["sleep", "600"]
                          ports: [{containerPort: 8080}]
                """.formatted(replicas));
    }

    private Process startCliDeploy(Path topo, String name) throws IOException {
        return new ProcessBuilder(ItSupport.REPO.resolve("scripts/kubenetlab").toString(), "deploy", "-t", topo.toString(),
                "--name", name, "--timeout", "120").redirectErrorStream(true).redirectOutput(tmp.resolve("deploy.log").toFile()).start();
    }

    private Path labWith(String manifest) throws IOException {
        Files.writeString(tmp.resolve("m.yaml"), manifest);
        Path topo = tmp.resolve("lab.yaml");
        Files.writeString(topo, """
                name: unused
                nodeNetwork: {cidr: 10.100.0.0/24, gateway: 10.100.0.1}
                nodes:
                  - {name: node1, address: 10.100.0.2, podCIDR: 10.0.1.0/24}
                  - {name: node2, address: 10.100.0.3, podCIDR: 10.0.2.0/24}
                manifests: [m.yaml]
                """);
        return topo;
    }
}
