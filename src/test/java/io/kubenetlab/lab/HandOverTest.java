package io.kubenetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy hands its memory of what it applied to the controller it starts: the controller's first
 * sync then runs nothing on a lab deploy has just synced, where one without the handover reads every
 * machine back and reloads every node's rules. A handover is used once, and only by the controller
 * deploy started: any other start drops a leftover one (it may be stale).
 */
class HandOverTest {
    @TempDir
    Path stateRoot;
    FakeLab lab;

    @BeforeEach
    void deployAndSync() {
        lab = FakeLab.article(stateRoot, "ho");
        new Reconciler(lab.engine).sync(lab.engine.statuses());
        assertThat(lab.kernel.commands()).as("deploy's sync ran commands").isNotEmpty();
    }

    /** A controller's engine over the lab as deploy saved it, on a kernel of its own. */
    private LabEngine controller(FakeKernel kernel) {
        return new LabEngine(lab.store, kernel, lab.store.load("ho"), lab.runtime);
    }

    private Path handOverFile() {
        return lab.store.labDir("ho").resolve("applied.json");
    }

    @Test
    void aControllerThatTookOverDeploysMemorySyncsWithoutRunningAnything() {
        lab.engine.handOver();
        FakeKernel kernel = new FakeKernel();
        LabEngine c = controller(kernel);

        assertThat(c.takeOver(true)).isTrue();
        assertThat(handOverFile()).as("used once").doesNotExist();
        new Reconciler(c).sync(c.statuses());

        assertThat(kernel.commands()).as("nothing differs from what deploy applied").isEmpty();
    }

    @Test
    void withoutTheHandoverTheFirstSyncReadsTheMachinesAndReloadsTheRules() {
        FakeKernel kernel = new FakeKernel();
        LabEngine c = controller(kernel);

        assertThat(c.takeOver(true)).isFalse();
        new Reconciler(c).sync(c.statuses());

        assertThat(kernel.commands()).as("reads every machine back").anyMatch(cmd -> cmd.argv().contains("-j"));
        assertThat(kernel.restoresInto(lab.netns("node1"))).as("node1's rules loaded again").isNotEmpty();
    }

    @Test
    void aControllerStartedAgainDropsALeftoverHandover() throws Exception {
        lab.engine.handOver();
        LabEngine c = controller(new FakeKernel());

        assertThat(c.takeOver(false)).isFalse();
        assertThat(handOverFile()).doesNotExist();
    }

    @Test
    void theHandoverHoldsEveryMachineDeployApplied() throws Exception {
        lab.engine.handOver();

        String json = Files.readString(handOverFile());
        for (String machine : new String[] {"router", "node1", "node2", "lb", "database", "ext-client"}) {
            assertThat(json).contains("\"name\":\"" + machine + "\"");
        }
    }
}
