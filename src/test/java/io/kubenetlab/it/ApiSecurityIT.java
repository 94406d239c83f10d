package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.client.ControllerFiles;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real lab's API from outside (issue 16): its controller listens in the root namespace on 127.0.0.1 only
 * (the lab's own address is in a lab namespace), the token and TLS key are root's with mode 0600, and
 * without the token only version and health answer (401 with a Status everywhere else).
 */
class ApiSecurityIT {
    @Test
    void theApiListensOnLoopbackOnlyKeepsItsSecretsRootOnlyAndWantsItsToken() throws Exception {
        String name = ItSupport.uniqueLab("bdi");
        try (Lab lab = ItSupport.deployArticle(name)) {
            ControllerFiles files = new ControllerFiles(LabStore.fromEnvironment(), name);
            ControllerFiles.Endpoint api = files.endpoint().orElseThrow();

            // Every listening TCP socket of the controller in the root namespace: loopback only.
            String ss = ItSupport.KERNEL.run(List.of("ss", "-Hltnp")).stdout();
            List<String> mine = new ArrayList<>();
            for (String line : ss.lines().toList()) {
                // The JDK binds 127.0.0.1 on a dual-stack socket: ss shows it as its IPv4-mapped form.
                if (line.contains("pid=" + api.pid() + ",")) mine.add(line.trim().split("\\s+")[3].replace("[::ffff:127.0.0.1]:", "127.0.0.1:"));
            }
            assertThat(mine).as("the controller's listening sockets in the root namespace:%n%s", ss).isNotEmpty()
                    .allSatisfy(local -> assertThat(local).startsWith("127.0.0.1:"));
            assertThat(mine).contains("127.0.0.1:" + api.port());

            // Secrets: root's, 0600.
            Path dir = ItSupport.stateDir(name);
            for (Path f : List.of(dir.resolve("token"), dir.resolve("ui-token"), dir.resolve("api-tls.p12"), dir.resolve("kubeconfig"))) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
                assertThat(Files.getOwner(f).getName()).as(f.toString()).isEqualTo("root");
            }

            // Without the token: version and health only.
            HttpClient http = HttpClient.newBuilder().sslContext(files.tls().clientContext()).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            int failures = 0;
            for (String path : List.of("/version", "/healthz", "/livez", "/readyz")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) failures++;
            }
            for (String path : List.of("/api", "/apis", "/api/v1/namespaces/default/pods", "/metrics", "/openapi/v3", "/api/v1/nodes")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 401 || !r.body().contains("\"kind\":\"Status\"") || !r.body().contains("\"reason\":\"Unauthorized\"")) failures++;
            }
            assertThat(failures).as("paths answering other than 200 (public) or 401 with a Status (the rest)").isZero();
        }
        ItSupport.assertGone(name);
    }
}
