package io.kubenetlab.manifest;

import io.kubenetlab.k8s.Probe;
import io.kubenetlab.k8s.PodManifest;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.k8s.Deployment;
import io.kubenetlab.k8s.Container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.config.YamlNode;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProbeParserTest {

    /** A pod whose first container declares port 8080 named http and the given probe lines (indented under the container). */
    private static String pod(String probeLines) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                    - name: web
                      image: python:3
                      ports: [{containerPort: 8080, name: http}, {containerPort: 9090}]
                """ + probeLines.indent(6);
    }

    private static Container container(String yaml) {
        KubeObject o = ManifestLoader.parse(YamlNode.loadAll("m.yaml", new StringReader(yaml)).get(0));
        return ((PodManifest) o).spec().containers().get(0);
    }

    private static ConfigException error(String probeLines) {
        return catchThrowableOfType(ConfigException.class, () -> container(pod(probeLines)));
    }

    @Test
    void noProbesAreNull() {
        Container c = container(pod(""));
        assertThat(c.readinessProbe()).isNull();
        assertThat(c.livenessProbe()).isNull();
        assertThat(c.startupProbe()).isNull();
    }

    @Test
    void defaultsAreKubelets() {
        Probe p = container(pod("readinessProbe: {tcpSocket: {port: 8080}}")).readinessProbe();
        assertThat(p.tcpSocket()).isEqualTo(new Probe.TcpSocketAction(8080, null, null));
        assertThat(p.handlerType()).isEqualTo("tcpSocket");
        assertThat(List.of(p.initialDelaySeconds(), p.periodSeconds(), p.timeoutSeconds(), p.successThreshold(), p.failureThreshold()))
                .containsExactly(0, 10, 1, 1, 3);
        assertThat(p.terminationGracePeriodSeconds()).isNull();
    }

    @Test
    void everyFieldIsRead() {
        Container c = container(pod("""
                readinessProbe:
                  httpGet:
                    path: healthz
                    port: http
                    host: 127.0.0.1
                    scheme: HTTP
                    httpHeaders: [{name: X-Probe, value: yes-sir}]
                  initialDelaySeconds: 2
                  periodSeconds: 1
                  timeoutSeconds: 3
                  successThreshold: 2
                  failureThreshold: 5
                livenessProbe:
                  exec: {command: [cat, /tmp/healthy]}
                  terminationGracePeriodSeconds: 4
                startupProbe:
                  tcpSocket: {port: http}
                  failureThreshold: 30
                  periodSeconds: 1
                """));
        Probe r = c.readinessProbe();
        assertThat(r.httpGet()).isEqualTo(new Probe.HttpGetAction("/healthz", 8080, "http", "127.0.0.1",
                List.of(new Probe.HttpHeader("X-Probe", "yes-sir"))));
        assertThat(List.of(r.initialDelaySeconds(), r.periodSeconds(), r.timeoutSeconds(), r.successThreshold(), r.failureThreshold()))
                .containsExactly(2, 1, 3, 2, 5);
        assertThat(r.describe()).isEqualTo("http-get http://127.0.0.1:http/healthz delay=2s timeout=3s period=1s #success=2 #failure=5");
        assertThat(c.livenessProbe().exec().command()).containsExactly("cat", "/tmp/healthy");
        assertThat(c.livenessProbe().terminationGracePeriodSeconds()).isEqualTo(4);
        assertThat(c.startupProbe().tcpSocket()).isEqualTo(new Probe.TcpSocketAction(8080, "http", null));
        assertThat(c.startupProbe().failureThreshold()).isEqualTo(30);
    }

    @Test
    void aDeploymentTemplateCarriesProbesToo() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {app: w}}
                  template:
                    metadata: {labels: {app: w}}
                    spec:
                      containers:
                        - name: c
                          image: alpine
                          readinessProbe:
                            periodSeconds: 0
                            exec: {command: ["true"]}
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ManifestLoader.parse(YamlNode.loadAll("d.yaml", new StringReader(yaml)).get(0)));
        assertThat(e.getMessage()).isEqualTo("d.yaml:13: spec.template.spec.containers[0].readinessProbe.periodSeconds: "
                + "Invalid value: 0: must be greater than or equal to 1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "periodSeconds: 0|periodSeconds|Invalid value: 0: must be greater than or equal to 1",
            "timeoutSeconds: 0|timeoutSeconds|Invalid value: 0: must be greater than or equal to 1",
            "successThreshold: 0|successThreshold|Invalid value: 0: must be greater than or equal to 1",
            "failureThreshold: -2|failureThreshold|Invalid value: -2: must be greater than or equal to 1",
            "initialDelaySeconds: -1|initialDelaySeconds|Invalid value: -1: must be greater than or equal to 0",
            "periodSeconds: often|periodSeconds|must be an integer",
    })
    void timingIsValidated(String line, String field, String reason) {
        ConfigException e = error("readinessProbe:\n  tcpSocket: {port: 8080}\n  " + line + "\n");
        assertThat(e.getMessage()).isEqualTo("m.yaml:11: spec.containers[0].readinessProbe." + field + ": " + reason);
    }

    @ParameterizedTest
    @CsvSource({"livenessProbe", "startupProbe"})
    void livenessAndStartupNeedASuccessThresholdOfOne(String kind) {
        ConfigException e = error(kind + ":\n  tcpSocket: {port: 8080}\n  successThreshold: 2\n");
        assertThat(e.getMessage()).isEqualTo("m.yaml:11: spec.containers[0]." + kind + ".successThreshold: Invalid value: 2: must be 1");
    }

    @Test
    void readinessMayHaveAHigherSuccessThreshold() {
        assertThat(container(pod("readinessProbe:\n  tcpSocket: {port: 8080}\n  successThreshold: 2\n")).readinessProbe().successThreshold())
                .isEqualTo(2);
    }

    @Test
    void exactlyOneHandler() {
        // As the API server: handlers are checked in the order exec, httpGet, tcpSocket, grpc; the later one is named.
        assertThat(error("readinessProbe:\n  tcpSocket: {port: 8080}\n  httpGet: {port: 8080}\n").getMessage())
                .isEqualTo("m.yaml:10: spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type");
        assertThat(error("livenessProbe:\n  periodSeconds: 3\n").getMessage())
                .isEqualTo("m.yaml:10: spec.containers[0].livenessProbe: Required value: must specify a handler type");
        assertThat(error("livenessProbe:\n  grpc: {port: 8080}\n").getMessage())
                .contains("livenessProbe.grpc: grpc probes are not supported");
    }

    @Test
    void portsAreNumbersInRangeOrDeclaredNames() {
        assertThat(error("readinessProbe: {tcpSocket: {port: 70000}}").getMessage())
                .isEqualTo("m.yaml:9: spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: 70000: must be between 1 and 65535, inclusive");
        assertThat(error("readinessProbe: {httpGet: {port: metrics}}").getMessage())
                .isEqualTo("m.yaml:9: spec.containers[0].readinessProbe.httpGet.port: Invalid value: \"metrics\": "
                        + "the container declares no port named \"metrics\" (its named ports: http)");
        assertThat(error("readinessProbe: {httpGet: {port: \"8080\"}}").getMessage())
                .contains("httpGet.port: Invalid value: \"8080\": must contain only alpha-numeric characters");
        assertThat(error("readinessProbe: {tcpSocket: {}}").getMessage())
                .isEqualTo("m.yaml:9: spec.containers[0].readinessProbe.tcpSocket.port: is required");
        // A port number need not be declared, as in Kubernetes.
        assertThat(container(pod("readinessProbe: {tcpSocket: {port: 7000}}")).readinessProbe().tcpSocket().port()).isEqualTo(7000);
    }

    @Test
    void handlersAreValidated() {
        assertThat(error("readinessProbe: {httpGet: {port: 8080, scheme: HTTPS}}").getMessage())
                .contains("httpGet.scheme: Unsupported value: \"HTTPS\": supported values: \"HTTP\"");
        assertThat(error("readinessProbe: {httpGet: {port: 8080, httpHeaders: [{name: \"a b\", value: x}]}}").getMessage())
                .contains("httpGet.httpHeaders[0].name: Invalid value: \"a b\": a valid HTTP header must consist of alphanumeric characters or '-'");
        assertThat(error("readinessProbe: {exec: {command: []}}").getMessage())
                .isEqualTo("m.yaml:9: spec.containers[0].readinessProbe.exec.command: Required value");
        assertThat(error("readinessProbe: {exec: {}}").getMessage())
                .isEqualTo("m.yaml:9: spec.containers[0].readinessProbe.exec.command: Required value");
        assertThat(error("readinessProbe: {tcpSocket: {port: 8080, portt: 1}}").getMessage())
                .contains("tcpSocket.portt: unknown field \"portt\"");
        assertThat(error("readinessProbe: {tcpSocket: {port: 8080}, periodSecond: 1}").getMessage())
                .contains("readinessProbe.periodSecond: unknown field \"periodSecond\"");
        assertThat(error("readinessProbe: {tcpSocket: {port: 8080}, terminationGracePeriodSeconds: 3}").getMessage())
                .contains("must not be set for readinessProbes");
        assertThat(error("livenessProbe: {tcpSocket: {port: 8080}, terminationGracePeriodSeconds: 0}").getMessage())
                .contains("livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0");
    }

    @Test
    void aPathWithoutSlashGetsOneAndDefaultsToRoot() {
        assertThat(container(pod("readinessProbe: {httpGet: {port: 8080}}")).readinessProbe().httpGet().path()).isEqualTo("/");
    }

    @Test
    void probesSurviveTheStateFile() throws Exception {
        Container c = container(pod("readinessProbe: {httpGet: {port: http, path: /x, httpHeaders: [{name: A, value: b}]}}\n"
                + "livenessProbe: {exec: {command: [\"true\"]}}"));
        var rec = new io.kubenetlab.model.ContainerRecord("web", "python:3", "python", List.of("x"), java.util.Map.of(), c.ports(),
                c.readinessProbe(), c.livenessProbe(), null);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var back = json.readValue(json.writeValueAsString(rec), io.kubenetlab.model.ContainerRecord.class);
        assertThat(back).isEqualTo(rec);
        // A state file written before probes existed still reads.
        var old = json.readValue("{\"name\":\"c\",\"image\":\"alpine\",\"profile\":\"alpine\",\"argv\":[],\"env\":{},\"ports\":[]}",
                io.kubenetlab.model.ContainerRecord.class);
        assertThat(old.readinessProbe()).isNull();
        assertThat(old.hasProbes()).isFalse();
    }
}
