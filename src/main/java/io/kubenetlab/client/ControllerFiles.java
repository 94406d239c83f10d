package io.kubenetlab.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.model.LabException;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.model.ProcessRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The controller's files in the lab's state directory: its address and process ({@code api.json}),
 * the API token and a kubeconfig for kubectl. The token and port outlive a controller restart, so a
 * kubeconfig handed out stays good.
 */
public final class ControllerFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the API listens and which process serves it. */
    public record Endpoint(String url, int port, long pid, long startTicks) {
        public ProcessRef process() {
            return new ProcessRef(pid, startTicks);
        }
    }

    private final Path dir;
    private final String lab;

    public ControllerFiles(LabStore store, String lab) {
        this.dir = store.labDir(lab);
        this.lab = lab;
    }

    public Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    public Path log() {
        return dir.resolve("controller.log");
    }

    private Path endpointFile() {
        return dir.resolve("api.json");
    }

    public Optional<Endpoint> endpoint() {
        Path f = endpointFile();
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(f.toFile(), Endpoint.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A controller started ahead of time (deploy starts it with the lab's first step, so its JVM
     * start-up overlaps the build): its process, until it serves and {@link #endpoint} names it.
     * Destroy stops it from here when the deploy died before handing over.
     */
    public Optional<ProcessRef> standby() {
        try {
            String[] f = Files.readString(dir.resolve("controller.standby")).trim().split(" ");
            return Optional.of(new ProcessRef(Long.parseLong(f[0]), Long.parseLong(f[1])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void recordStandby(ProcessRef p) {
        try {
            writePrivate(dir.resolve("controller.standby"), p.pid() + " " + p.startTicks() + "\n");
        } catch (IOException e) {
            throw new LabException("cannot write " + dir.resolve("controller.standby") + ": " + e.getMessage());
        }
    }

    /** The controller serves: it is no longer a standby (a later start must not wait for it to serve again). */
    public void forgetStandby() {
        try {
            Files.deleteIfExists(dir.resolve("controller.standby"));
            Files.deleteIfExists(go());
        } catch (IOException e) {
            throw new LabException("cannot remove " + dir.resolve("controller.standby") + ": " + e.getMessage());
        }
    }

    /** The file whose creation tells a standby controller that the lab is deployed: load it and serve. */
    public Path go() {
        return dir.resolve("controller.go");
    }

    /** The lab's API token, made once (32 random bytes) and readable by root only. */
    public synchronized String token() {
        return secret("token");
    }

    /**
     * The ui's token (another 32 random bytes, root-only), put in the URL {@code kubenetlab ui} prints: a URL
     * lands in browser history, so it must not be the API's bearer token.
     */
    public synchronized String uiToken() {
        return secret("ui-token");
    }

    private String secret(String name) {
        Path f = dir.resolve(name);
        try {
            if (Files.isRegularFile(f)) {
                keepPrivate(f);
                return Files.readString(f).trim();
            }
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            String t = HexFormat.of().formatHex(b);
            writePrivate(f, t + "\n");
            return t;
        } catch (IOException e) {
            throw new LabException("cannot keep the " + name + " in " + f + ": " + e.getMessage());
        }
    }

    /**
     * The token pods present (mounted as their service account's token): a second token of the lab,
     * accepted by its API with the same rights as the controller's, so a pod never holds the admin's.
     */
    public synchronized String serviceAccountToken() {
        Path f = new io.kubenetlab.model.LabPaths(dir).serviceAccount().resolve("token");
        try {
            if (Files.isRegularFile(f)) {
                keepPrivate(f);
                return Files.readString(f).trim();
            }
            Files.createDirectories(f.getParent());
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            String t = HexFormat.of().formatHex(b);
            writePrivate(f, t);
            return t;
        } catch (IOException e) {
            throw new LabException("cannot keep the service account token in " + f + ": " + e.getMessage());
        }
    }

    /**
     * The lab's service account files (token, ca.crt), before any pod needs them: the API's certificate
     * made valid for {@code names} (the kubernetes Service's; made again if it lacks one).
     */
    public TlsIdentity prepareServiceAccount(java.util.List<String> names) {
        TlsIdentity tls = tls(names);
        serviceAccountToken();
        Path ca = caFile();
        try {
            if (!Files.isRegularFile(ca) || !Files.readString(ca).equals(tls.pem())) writePrivate(ca, tls.pem());
        } catch (IOException e) {
            throw new LabException("cannot write " + ca + ": " + e.getMessage());
        }
        return tls;
    }

    /** The API's certificate as pods see it (their service account's ca.crt). */
    private Path caFile() {
        return new io.kubenetlab.model.LabPaths(dir).serviceAccount().resolve("ca.crt");
    }

    /** Written once the API answers: clients that find it can use it. */
    public void publish(Endpoint e) {
        try {
            writePrivate(kubeconfig(), kubeconfigText(e.url(), token(), tls().caData()));
            writePrivate(endpointFile(), JSON.writeValueAsString(e));
        } catch (IOException ex) {
            throw new LabException("cannot write the controller's files in " + dir + ": " + ex.getMessage());
        }
    }

    /** The API's TLS certificate and key (made on first use). */
    public TlsIdentity tls() {
        return TlsIdentity.load(dir.resolve("api-tls.p12"), lab);
    }

    /**
     * TLS for our own clients of the API: trust its certificate, read from the service account's
     * {@code ca.crt} (written whenever the certificate is made, before the controller serves), or from
     * the identity itself for a lab that has none.
     */
    public javax.net.ssl.SSLContext clientTls() {
        Path ca = caFile();
        return Files.isRegularFile(ca) ? TlsIdentity.trustingPem(ca) : tls().clientContext();
    }

    /** The API's TLS certificate, valid for {@code names} too (made again if it lacks one). */
    public TlsIdentity tls(java.util.List<String> names) {
        return TlsIdentity.load(dir.resolve("api-tls.p12"), lab, names);
    }

    String kubeconfigText(String url, String token, String caData) {
        String name = "kubenetlab-" + lab;
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    certificate-authority-data: %4$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                    namespace: default
                current-context: %1$s
                users:
                - name: %1$s
                  user:
                    token: %3$s
                """.formatted(name, url, token, caData);
    }

    /** A secret found on disk (kept from an older version, or loosened by hand) is made root-only again before use. */
    static void keepPrivate(Path f) throws IOException {
        var own = PosixFilePermissions.fromString("rw-------");
        if (!Files.getPosixFilePermissions(f, java.nio.file.LinkOption.NOFOLLOW_LINKS).equals(own)) Files.setPosixFilePermissions(f, own);
    }

    private static void writePrivate(Path f, String text) throws IOException {
        writePrivate(f, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Root-only from its first byte (token, key), and whole or not at all: written aside, then renamed. */
    static void writePrivate(Path f, byte[] bytes) throws IOException {
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, bytes);
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
