package io.kubenetlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {
    private static final List<String> SERVICE_NAMES = List.of("10.3.240.1", "10.100.0.2", "kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

    @TempDir
    Path dir;

    @Test
    void aNewCertificateNamesLoopbackAndTheKubernetesService() {
        TlsIdentity tls = TlsIdentity.load(dir.resolve("api.p12"), "lab", SERVICE_NAMES);
        assertThat(tls.names()).containsExactly("127.0.0.1", "localhost", "10.3.240.1", "10.100.0.2", "kubernetes",
                "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");
        assertThat(tls.pem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
    }

    @Test
    void aKeptCertificateWithTheNamesIsKept() throws Exception {
        Path f = dir.resolve("api.p12");
        String first = TlsIdentity.load(f, "lab", SERVICE_NAMES).pem();
        assertThat(TlsIdentity.load(f, "lab", SERVICE_NAMES).pem()).isEqualTo(first);
        assertThat(TlsIdentity.load(f, "lab").pem()).as("a client only loads it").isEqualTo(first);
        assertThat(Files.getPosixFilePermissions(f)).hasSize(2);
    }

    /** A lab deployed before the kubernetes Service has a certificate for loopback only: it is made again. */
    @Test
    void aKeptCertificateLackingANameIsMadeAgain() {
        Path f = dir.resolve("api.p12");
        TlsIdentity old = TlsIdentity.load(f, "lab");
        assertThat(old.names()).containsExactly("127.0.0.1", "localhost");
        TlsIdentity now = TlsIdentity.load(f, "lab", SERVICE_NAMES);
        assertThat(now.pem()).isNotEqualTo(old.pem());
        assertThat(now.names()).containsAll(SERVICE_NAMES);
        assertThat(TlsIdentity.load(f, "lab").names()).containsAll(SERVICE_NAMES);
    }
}
