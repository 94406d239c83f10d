package io.kubenetlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.store.LabStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's secrets on disk (API token, ui token, service account token, TLS key, kubeconfig): owner-only, 0600. */
class ControllerFilesTest {
    @TempDir
    Path root;

    @Test
    void everySecretIsReadableByItsOwnerOnly() throws Exception {
        LabStore store = new LabStore(root);
        Files.createDirectories(store.labDir("sec"));
        ControllerFiles files = new ControllerFiles(store, "sec");
        files.token();
        files.uiToken();
        files.prepareServiceAccount(List.of("kubernetes.default.svc"));
        files.publish(new ControllerFiles.Endpoint("https://127.0.0.1:6443", 6443, 1, 1));

        Path dir = store.labDir("sec");
        String me = System.getProperty("user.name");
        for (Path f : List.of(dir.resolve("token"), dir.resolve("ui-token"), dir.resolve("api-tls.p12"), dir.resolve("kubeconfig"),
                new io.kubenetlab.model.LabPaths(dir).serviceAccount().resolve("token"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
            // The controller runs as root (it builds namespaces): its files are root's; here, this test's user's.
            assertThat(Files.getOwner(f).getName()).as(f.toString()).isEqualTo(me);
        }
    }

    @Test
    void aLoosenedSecretIsMadeOwnerOnlyAgainBeforeUse() throws Exception {
        LabStore store = new LabStore(root);
        Files.createDirectories(store.labDir("sec"));
        ControllerFiles files = new ControllerFiles(store, "sec");
        String token = files.token();
        files.tls();
        Path dir = store.labDir("sec");
        for (String name : List.of("token", "api-tls.p12")) Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(new ControllerFiles(store, "sec").token()).isEqualTo(token);
        new ControllerFiles(store, "sec").tls();

        for (String name : List.of("token", "api-tls.p12")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name)))).as(name).isEqualTo("rw-------");
        }
    }
}
