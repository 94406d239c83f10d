package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's main job, {@code scripts/demo.sh}, run as a user runs it (under a lab name of its own, so
 * a user's "service-network" is never touched): every check it makes passes, and destroy then leaves
 * nothing. Its checks once depended on the order pods are listed in (by name, random suffixes), and
 * failed every other run with nothing testing it.
 */
class DemoScriptIT {
    @Test
    void theMainJobDeploysTheArticleLabAndItsChecksPass() {
        ItSupport.requireRoot();
        String lab = ItSupport.uniqueLab("demo");
        String rootBefore = ItSupport.rootNamespaceSnapshot();
        try {
            // The suite has set the machine up and built the jar the launcher runs; setup.sh would rebuild it beneath other tests.
            ItSupport.CliResult r = ItSupport.run(List.of("bash", ItSupport.REPO.resolve("scripts/demo.sh").toString(), "--name", lab),
                    Map.of("KUBENETLAB_DEMO_NO_SETUP", "1"));
            String out = r.out() + r.err();
            assertThat(r.exit()).as("scripts/demo.sh exit; its output:\n" + out).isZero();
            assertThat(out).contains("demo: OK").doesNotContain("FAIL")
                    .contains("remove it with: kubenetlab destroy --name " + lab);
        } finally {
            ItSupport.cli("destroy", "--name", lab);
        }
        ItSupport.assertGone(lab);
        assertThat(ItSupport.rootNamespaceSnapshot()).as("root namespace after destroy").isEqualTo(rootBefore);
    }
}
