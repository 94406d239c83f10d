package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.kernel.Procs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods as kubelet runs them: several containers, env, exit codes, restart policies, outside hosts. */
class PodLifecycleIT {
    @TempDir
    static Path tmp;
    static String name;
    static Lab lab;

    @BeforeAll
    static void deploy() throws IOException {
        ItSupport.requireRoot();
        Files.writeString(tmp.resolve("m.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: duo, labels: {app: duo}}
                spec:
                  nodeName: node2
                  containers:
                    - name: web
                      image: python:3
                      command: ["python", "-m", "http.server", "9000"]
                      ports: [{containerPort: 9000, name: web}]
                    - name: side
                      image: alpine
                      env: [{name: GREETING, value: "hi there"}]
                      command: ["sh", "-c", "echo \\"$GREETING from $(hostname) in $(pwd)\\"; sleep 600"]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: fails}
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: alpine, command: ["sh", "-c", "echo bye; exit 4"]}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: retries}
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: c, image: alpine, command: ["sh", "-c", "echo attempt; exit 1"]}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: db-client}
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: alpine, command: ["sh", "-c", "echo 'GET / HTTP/1.0\\\\r\\\\n\\\\r\\\\n' | nc 192.0.2.42 5432"]}]
                """);
        Files.writeString(tmp.resolve("lab.yaml"), """
                name: unused
                nodeNetwork: {cidr: 10.100.0.0/24, gateway: 10.100.0.1}
                nodes:
                  - {name: node1, address: 10.100.0.2}
                  - {name: node2, address: 10.100.0.3}
                networks:
                  - {name: outside, cidr: 192.0.2.0/24, gateway: 192.0.2.1}
                hosts:
                  - {name: db, address: 192.0.2.42, network: outside, command: ["python3", "-m", "http.server", "5432"], ports: [5432]}
                manifests: [m.yaml]
                """);
        name = ItSupport.uniqueLab("it-pods");
        lab = Lab.deploy(tmp.resolve("lab.yaml"), Lab.Options.defaults().withName(name));
    }

    @AfterAll
    static void destroy() {
        if (lab != null) lab.close();
        ItSupport.assertGone(name);
    }

    @Test
    void containersOfAPodShareItsNetworkButHaveTheirOwnDirectories() {
        assertThat(lab.status(lab.pod("duo")).ready()).isTrue();
        assertThat(lab.pod("duo").node()).isEqualTo("node2");
        assertThat(lab.pod("duo").ip().toString()).isEqualTo("10.0.1.2");
        String side = lab.logs("duo", "side");
        assertThat(side).startsWith("hi there from duo in ").contains("/side/root");
        String viaLocalhost = lab.execCapture("duo", List.of("sh", "-c", "echo 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -N 127.0.0.1 9000")).stdout();
        assertThat(viaLocalhost).contains("200 OK");
    }

    @Test
    void aFailedNeverPodReportsItsExitCode() {
        PodStatus st = lab.status(lab.pod("fails"));
        assertThat(st.phase()).isEqualTo("Failed");
        assertThat(st.containers().get(0).exitCode()).isEqualTo(4);
        assertThat(io.kubenetlab.output.KubeView.statusColumn(st)).isEqualTo("Error");
        assertThat(lab.logs("fails", null)).isEqualTo("bye\n");
    }

    @Test
    void anOnFailurePodIsRestartedWithBackOff() {
        long deadline = System.currentTimeMillis() + 25_000;
        PodStatus st = lab.status(lab.pod("retries"));
        while (st.restarts() < 1 && System.currentTimeMillis() < deadline) {
            Procs.sleep(200);
            st = lab.status(lab.pod("retries"));
        }
        assertThat(st.restarts()).isGreaterThanOrEqualTo(1);
        assertThat(st.phase()).isEqualTo("Running");
        // The back-off (10 s first) holds the restart: the log shows the attempts, not a tight loop.
        long deadline2 = System.currentTimeMillis() + 15_000;
        while (lab.logs("retries", null).lines().count() < 2 && System.currentTimeMillis() < deadline2) Procs.sleep(200);
        assertThat(lab.logs("retries", null).lines().count()).isBetween(2L, 3L);
    }

    @Test
    void podsReachAnOutsideHostThroughTheGateway() {
        assertThat(lab.logs("db-client", null)).contains("HTTP/1.0 200 OK");
        assertThat(lab.logs("db", null)).contains("\"GET / HTTP/1.0\" 200");
        String route = lab.execCapture("db", List.of("ip", "route")).stdout();
        assertThat(route).contains("default via 192.0.2.1");
    }
}
