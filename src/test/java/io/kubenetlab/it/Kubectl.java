package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real kubectl for a test class: its own discovery cache (tests running at once do not share one)
 * and a scratch directory for the manifests it applies; {@link #close()} removes both.
 */
final class Kubectl implements AutoCloseable {
    /** What one kubectl run printed. */
    record Out(int exit, String out, String err) {}

    private final Path cacheDir;
    private final Path scratch;

    private Kubectl(Path cacheDir, Path scratch) {
        this.cacheDir = cacheDir;
        this.scratch = scratch;
    }

    /** Fails (not skips) when kubectl is missing. */
    static Kubectl create(String scratchPrefix) throws IOException {
        ItSupport.requireKubectl();
        return new Kubectl(Files.createTempDirectory("knl-kubectl-cache"), Files.createTempDirectory(scratchPrefix));
    }

    /** Where the test writes its manifests. */
    Path scratch() {
        return scratch;
    }

    /** kubectl's argv against a lab's API. */
    List<String> argv(Lab lab, String... args) {
        List<String> argv = new ArrayList<>(List.of(ItSupport.KUBECTL.toString(), "--cache-dir", cacheDir.toString(),
                "--kubeconfig", lab.kubeconfig().toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    Out run(Lab lab, String... args) {
        Kernel.Result r = Kernel.linux().run(argv(lab, args), null, false);
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
}
