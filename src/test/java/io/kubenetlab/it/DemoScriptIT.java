package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, {@code scripts/demo.sh}, run as a user runs it (under a lab name of its own, so
 * a user's "service-network" is never touched): every check it makes passes, and destroy then leaves
 * nothing. Its checks once depended on the order pods are listed in (by name, random suffixes), and
 * failed every other run with nothing testing it.
 */
class DemoScriptIT {
    @TempDir
    Path tmp;

    @Test
    void theMainJobDeploysTheArticleLabAndItsChecksPass() throws IOException {
        ItSupport.requireRoot();
        String lab = ItSupport.uniqueLab("demo");
        String rootBefore = ItSupport.rootNamespaceSnapshot();
        Path log = tmp.resolve("demo.log");
        ProcessBuilder pb = new ProcessBuilder("bash", ItSupport.REPO.resolve("scripts/demo.sh").toString(), "--name", lab)
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // The suite has set the machine up and built the jar the launcher runs; setup.sh would rebuild it beneath other tests.
        pb.environment().put("KUBENETLAB_DEMO_NO_SETUP", "1");
        try {
            int exit = ItSupport.exitWithin(pb.start(), ItSupport.CLI_TIMEOUT_SECONDS, "scripts/demo.sh --name " + lab);
            String out = Files.readString(log);
            assertThat(exit).as("scripts/demo.sh exit; its output:\n" + out).isZero();
            assertThat(out).contains("demo: OK").doesNotContain("FAIL")
                    .contains("remove it with: kubenetlab destroy --name " + lab);
        } finally {
            ItSupport.cli("destroy", "--name", lab);
        }
        ItSupport.assertGone(lab);
        assertThat(ItSupport.rootNamespaceSnapshot()).as("root namespace after destroy").isEqualTo(rootBefore);
    }
}
