package io.kubenetlab.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.k8s.Container;
import io.kubenetlab.k8s.PodManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's terminationGracePeriodSeconds and its containers' preStop hooks, as read from a manifest. */
class GracefulDeletionFieldsTest {
    @TempDir
    Path dir;

    private PodManifest pod(String specExtra, String containerExtra) throws IOException {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                spec:
                %s  containers:
                    - name: c
                      image: alpine
                      ports:
                        - name: http
                          containerPort: 8080
                %s""".formatted(specExtra, containerExtra));
        return (PodManifest) ManifestLoader.load(List.of(f)).get(0);
    }

    private ConfigException error(String specExtra, String containerExtra) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> pod(specExtra, containerExtra));
        assertThat(e).isNotNull();
        return e;
    }

    @Test
    void gracePeriodDefaultsTo30AndNegativeBecomesOne() throws IOException {
        assertThat(pod("", "").spec().terminationGracePeriodSeconds()).isEqualTo(30);
        assertThat(pod("  terminationGracePeriodSeconds: 3\n", "").spec().terminationGracePeriodSeconds()).isEqualTo(3);
        assertThat(pod("  terminationGracePeriodSeconds: 0\n", "").spec().terminationGracePeriodSeconds()).isZero();
        assertThat(pod("  terminationGracePeriodSeconds: -5\n", "").spec().terminationGracePeriodSeconds()).isEqualTo(1);
        assertThat(error("  terminationGracePeriodSeconds: soon\n", "").field()).isEqualTo("spec.terminationGracePeriodSeconds");
    }

    @Test
    void preStopHandlers() throws IOException {
        Container exec = pod("", """
                      lifecycle:
                        preStop:
                          exec:
                            command: ["sh", "-c", "touch /tmp/x"]
                """).spec().containers().get(0);
        assertThat(exec.preStop().exec().command()).containsExactly("sh", "-c", "touch /tmp/x");
        Container http = pod("", """
                      lifecycle:
                        preStop:
                          httpGet:
                            path: drain
                            port: http
                """).spec().containers().get(0);
        assertThat(http.preStop().httpGet().path()).isEqualTo("/drain");
        assertThat(http.preStop().httpGet().port()).isEqualTo(8080);
        Container sleep = pod("", """
                      lifecycle:
                        preStop:
                          sleep:
                            seconds: 2
                """).spec().containers().get(0);
        assertThat(sleep.preStop().sleepSeconds()).isEqualTo(2);
        assertThat(pod("", "").spec().containers().get(0).preStop()).isNull();
    }

    @Test
    void badHooksNameTheirField() {
        ConfigException two = error("", """
                      lifecycle:
                        preStop:
                          exec:
                            command: ["true"]
                          sleep:
                            seconds: 1
                """);
        assertThat(two.reason()).contains("may not specify more than 1 handler type");
        assertThat(two.field()).contains("lifecycle.preStop");
        ConfigException none = error("", """
                      lifecycle:
                        preStop: {}
                """);
        assertThat(none.reason()).contains("must specify a handler type");
        ConfigException tcp = error("", """
                      lifecycle:
                        preStop:
                          tcpSocket:
                            port: 8080
                """);
        assertThat(tcp.field()).endsWith("lifecycle.preStop.tcpSocket");
        ConfigException post = error("", """
                      lifecycle:
                        postStart:
                          exec:
                            command: ["true"]
                """);
        assertThat(post.field()).endsWith("lifecycle.postStart");
        ConfigException port = error("", """
                      lifecycle:
                        preStop:
                          httpGet:
                            port: nope
                """);
        assertThat(port.field()).endsWith("lifecycle.preStop.httpGet.port");
        ConfigException unknown = error("", """
                      lifecycle:
                        preStop:
                          exec:
                            cmd: ["true"]
                """);
        assertThat(unknown.reason()).contains("unknown field");
    }
}
