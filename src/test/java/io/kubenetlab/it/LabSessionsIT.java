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
            String lab = labName(child, new StringBuilder());
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
    void theNextJvmsFirstLabReapsAKilledJvmsLabAndSigtermDestroysItsOwn() throws Exception {
        ItSupport.requireRoot();
        Process killed = startChild("i15s-prev");
        String killedLab = labName(killed, new StringBuilder());
        Process next = null;
        String nextLab = null;
        try {
            killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
            assertThat(ItSupport.netnsOf(killedLab)).isNotEmpty();

            next = startChild("i15s-next");
            StringBuilder said = new StringBuilder();
            nextLab = labName(next, said);
            assertThat(said.toString()).as("the next JVM's first lab reaps the dead one's")
                    .contains("kubenetlab: destroyed lab " + killedLab + ", left by a test run that is gone (pid " + killed.pid());
            ItSupport.assertGone(killedLab);
            assertThat(ItSupport.netnsOf(nextLab)).isNotEmpty();

            next.destroy(); // SIGTERM: the shutdown hook destroys the lab
            assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
            ItSupport.assertGone(nextLab);
        } finally {
            killed.destroyForcibly();
            if (next != null) next.destroyForcibly();
            for (String lab : new String[] {killedLab, nextLab}) {
                if (lab != null && STORE.exists(lab)) io.kubenetlab.lab.Lab.destroy(lab, STORE);
            }
        }
    }

    private static Process startChild(String prefix) throws IOException {
        return new ProcessBuilder(SelfJar.java(), "-cp", SelfJar.classpath(), LabOwnerChild.class.getName(), prefix)
                .redirectErrorStream(true).start();
    }

    /** The lab the child started (it prints its name once the lab is up); what it said before goes to {@code said}. */
    private static String labName(Process child, StringBuilder said) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("LAB ")) {
                // Nothing else is read from the child: its output must not fill the pipe and block it.
                Thread drain = new Thread(() -> {
                    try {
                        out.lines().forEach(l -> { });
                    } catch (java.io.UncheckedIOException closed) {
                        // the child was killed and its pipe closed: nothing left to read
                    }
                }, "child-output");
                drain.setDaemon(true);
                drain.start();
                return line.substring(4).strip();
            }
            said.append(line).append('\n');
        }
        throw new AssertionError("the child JVM exited without starting its lab (exit " + ItSupport.exitWithin(child, 10, "the child JVM") + "): " + said);
    }

}
