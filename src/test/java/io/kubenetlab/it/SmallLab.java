package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kernel.Procs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A two-node lab with one web Deployment (2 replicas of the article's server) and a client pod, plus
 * whatever manifests a test adds; and the real kubectl against it, with a discovery cache of its own.
 */
final class SmallLab {
    static final Path KUBECTL = ItSupport.KUBECTL;

    static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: python:2.7
                      command: ["sh", "-c", "echo \\"<p>Hello from $(hostname)</p>\\" > index.html; python -m SimpleHTTPServer 8080"]
                      ports: %s
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: http}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client}
            spec:
              containers:
                - {name: c, image: alpine, command: ["sleep", "100000"]}
            """;

    private SmallLab() {}

    /** The lab file, in {@code dir}: web's container ports as given (a YAML flow list), then {@code extra}. */
    static Path write(Path dir, String proxyMode, String webPorts, String extra) {
        try {
            Files.writeString(dir.resolve("objects.yaml"), WEB.formatted(webPorts) + (extra.isBlank() ? "" : "---\n" + extra));
            Path lab = dir.resolve("lab.yaml");
            Files.writeString(lab, """
                    name: unused
                    proxyMode: %s
                    nodeNetwork: {cidr: 10.100.0.0/24, gateway: 10.100.0.1}
                    nodes:
                      - {name: node1, address: 10.100.0.2}
                      - {name: node2, address: 10.100.0.3}
                    manifests:
                      - objects.yaml
                    """.formatted(proxyMode));
            return lab;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Out(int exit, String out, String err) {}

    /** kubectl with the lab's kubeconfig and a private discovery cache. */
    static Out kubectl(Path kubeconfig, Path cache, String... args) {
        List<String> argv = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(), "--cache-dir", cache.toString()));
        argv.addAll(List.of(args));
        Kernel.Result r = Kernel.linux().run(argv, null, false);
        return new Out(r.exit(), r.stdout(), r.stderr());
    }

    static Out ok(Path kubeconfig, Path cache, String... args) {
        Out o = kubectl(kubeconfig, cache, args);
        assertThat(o.exit()).as("kubectl " + String.join(" ", args) + ": " + o.err()).isZero();
        return o;
    }

    /** Polls until {@code check} holds; generous, the machine may be busy. */
    static void eventually(String what, long millis, Supplier<Boolean> check) {
        long deadline = System.currentTimeMillis() + millis;
        while (!check.get()) {
            assertThat(System.currentTimeMillis()).as(what + " within " + millis + " ms").isLessThan(deadline);
            Procs.sleep(100);
        }
    }
}
