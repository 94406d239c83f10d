package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real kubectl for a test class: its own discovery cache (tests running at once do not share one)
 * and a scratch directory for the manifests it applies; {@link #close()} removes both.
 */
final class Kubectl implements AutoCloseable {
    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) ->");

    /** What one kubectl run printed. */
    record Out(int exit, String out, String err) {}

    private final Path binary;
    private final Path cacheDir;
    private final Path scratch;

    private Kubectl(Path binary, Path cacheDir, Path scratch) {
        this.binary = binary;
        this.cacheDir = cacheDir;
        this.scratch = scratch;
    }

    /** Fails (not skips) when kubectl is missing. */
    static Kubectl create(String scratchPrefix) throws IOException {
        return create(scratchPrefix, ItSupport.requireKubectl());
    }

    /** The same, running {@code binary} (a kubectl of a given version). */
    static Kubectl create(String scratchPrefix, Path binary) throws IOException {
        return new Kubectl(binary, Files.createTempDirectory("knl-kubectl-cache"), Files.createTempDirectory(scratchPrefix));
    }

    /** Where the test writes its manifests. */
    Path scratch() {
        return scratch;
    }

    /** kubectl's argv against a lab's API. */
    List<String> argv(Lab lab, String... args) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--cache-dir", cacheDir.toString(),
                "--kubeconfig", lab.kubeconfig().toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    Out run(Lab lab, String... args) {
        return runWithInput(lab, null, args);
    }

    /** A run with {@code stdin} on its standard input. */
    Out runWithInput(Lab lab, String stdin, String... args) {
        Kernel.Result r = Kernel.linux().run(argv(lab, args), stdin, false);
        return new Out(r.exit(), r.stdout(), r.stderr());
    }

    /** Its output, asserting it succeeded. */
    String ok(Lab lab, String... args) {
        Out o = run(lab, args);
        assertThat(o.exit()).as("kubectl " + String.join(" ", args) + ": " + o.err()).isZero();
        return o.out();
    }

    @Override
    public void close() {
        LabStore.deleteTree(cacheDir);
        LabStore.deleteTree(scratch);
    }

    /** The local ports kubectl port-forward prints, in order, once it has printed {@code n}. */
    static List<Integer> forwardedPorts(Process p, int n) throws InterruptedException {
        ByteArrayOutputStream seen = collect(p.getInputStream());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<Integer> ports = new ArrayList<>();
            Matcher m = FORWARDING.matcher(seen.toString());
            while (m.find()) ports.add(Integer.parseInt(m.group(1)));
            if (ports.size() >= n) return ports;
            assertThat(p.isAlive()).as("kubectl port-forward: " + seen).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("kubectl port-forward printed no local port: " + seen);
    }

    /** What a stream says, collected as it comes by a thread of its own; toString reads it so far. */
    static ByteArrayOutputStream collect(InputStream in) {
        ByteArrayOutputStream seen = new ByteArrayOutputStream() {
            @Override
            public synchronized String toString() {
                return super.toString(StandardCharsets.UTF_8);
            }
        };
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (seen) {
                        seen.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return seen;
    }

    /** An HTTP/1.0 GET to a local (forwarded) port: the whole answer. */
    static String httpGet(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Processes whose command line is {@code sleep MARKER}, anywhere on the host (a pod's are visible from it). */
    static List<Long> sleeping(String marker) {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.equals("/usr/bin/sleep " + marker)
                || c.equals("sleep " + marker) || c.equals("/bin/sleep " + marker)).orElse(false)).map(ProcessHandle::pid).toList();
    }

    /**
     * Starts an exec that runs two {@code sleep MARKER}s (on a terminal through script(1) when {@code tty}),
     * waits until both run, kills kubectl with SIGKILL (the connection breaks without a close) and returns
     * what is left of the sleeps after up to 10 s.
     */
    List<Long> sleepsLeftAfterAKilledExec(Lab lab, String pod, String marker, boolean tty) throws Exception {
        List<String> argv = tty
                ? List.of("script", "-qec", String.join(" ", argv(lab, "exec", "-it", pod, "--", "sh", "-c", "'sleep " + marker + " & sleep " + marker + "'")), "/dev/null")
                : argv(lab, "exec", pod, "--", "sh", "-c", "sleep " + marker + " & sleep " + marker);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sleeping(marker).size() < 2 && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(sleeping(marker)).as("the exec's two sleeps, tty=" + tty).hasSize(2);
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!sleeping(marker).isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
        return sleeping(marker);
    }
}
