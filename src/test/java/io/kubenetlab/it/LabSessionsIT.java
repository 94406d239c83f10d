package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.KubenetLab;
import io.kubenetlab.kernel.SelfJar;
import io.kubenetlab.store.LabSession;
import io.kubenetlab.store.LabStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Labs of a test JVM that dies (issue 15): a JVM killed by SIGKILL leaves its lab, which
 * {@code kubenetlab destroy --orphans} (or the next JVM's first lab) removes — but never a lab of a
 * running JVM nor one of the CLI; a JVM stopped by SIGTERM destroys its labs itself.
 */
class LabSessionsIT {
    private static final LabStore STORE = LabStore.fromEnvironment();

    @Test
    void aKilledJvmsLabIsReapedAndOnlyIt() throws Exception {
        ItSupport.requireRoot();
        Path dir = Files.createTempDirectory("knl-sessions");
        String cliLab = ItSupport.uniqueLab("i15s-cli");
        // A lab without a session (as the CLI deploys them): the reaper must leave it alone.
        Files.writeString(dir.resolve("lab.yaml"), KubenetLab.builder().nodes(1).labFile());
        try (var cli = io.kubenetlab.lab.Lab.deploy(dir.resolve("lab.yaml"), io.kubenetlab.lab.Lab.Options.defaults().withName(cliLab))) {
            Process child = startChild("i15s-kill");
            String lab = labName(child);
            try {
                assertThat(STORE.labDir(lab).resolve(LabSession.FILE)).content().startsWith("pid " + child.pid() + "\n");
                assertThat(KubenetLab.destroyOrphans()).as("a running JVM's lab is not an orphan").doesNotContain(lab);
                assertThat(ItSupport.netnsOf(lab)).isNotEmpty();

                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
                assertThat(ItSupport.netnsOf(lab)).as("a killed JVM cannot clean up").isNotEmpty();

                ItSupport.CliResult r = ItSupport.cli("destroy", "--orphans");
                assertThat(r.exit()).as(r.err()).isZero();
                assertThat(r.out()).containsPattern("lab " + lab + " destroyed in [0-9]+ ms \\(its test run is gone: pid " + child.pid());
                assertThat(r.out()).doesNotContain(cliLab);
                ItSupport.assertGone(lab);
                assertThat(STORE.exists(cliLab)).isTrue();
                assertThat(ItSupport.cli("destroy", "--orphans").out()).contains("no orphaned labs: nothing to do");
            } finally {
                child.destroyForcibly();
                if (STORE.exists(lab)) io.kubenetlab.lab.Lab.destroy(lab, STORE);
            }
        } finally {
            io.kubenetlab.store.LabStore.deleteTree(dir);
        }
        ItSupport.assertGone(cliLab);
    }

    @Test
    void aJvmStoppedBySigtermDestroysItsLabs() throws Exception {
        ItSupport.requireRoot();
        Process child = startChild("i15s-term");
        String lab = labName(child);
        try {
            assertThat(ItSupport.netnsOf(lab)).isNotEmpty();
            child.destroy(); // SIGTERM: the shutdown hook destroys the lab
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            ItSupport.assertGone(lab);
        } finally {
            child.destroyForcibly();
            if (STORE.exists(lab)) io.kubenetlab.lab.Lab.destroy(lab, STORE);
        }
    }

    private static Process startChild(String prefix) throws IOException {
        return new ProcessBuilder(SelfJar.java(), "-cp", SelfJar.classpath(), LabOwnerChild.class.getName(), prefix)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The lab the child started (it prints its name once the lab is up). */
    private static String labName(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("LAB ")) return line.substring(4).strip();
        }
        throw new AssertionError("the child JVM exited without starting its lab (exit " + waitExit(child) + ")");
    }

    private static int waitExit(Process p) {
        try {
            return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

}
