package io.kubenetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxClasspathTest {
    @TempDir Path lab;

    @Test
    void entriesUnderTheSandboxesPrivateDirectoriesMoveIntoTheLab() {
        String cp = "/work/x/target/classes:/tmp/clone/target/kubenetlab.jar:/dev/shm/a/b.jar:/tmpfoo/c.jar";
        assertThat(SandboxClasspath.of(cp, Path.of("/run/kubenetlab/l"))).isEqualTo(
                "/work/x/target/classes:/run/kubenetlab/l/classpath/1-kubenetlab.jar:/run/kubenetlab/l/classpath/2-b.jar:/tmpfoo/c.jar");
        assertThat(SandboxClasspath.of("/work/a.jar:/usr/share/java/b.jar", lab)).isEqualTo("/work/a.jar:/usr/share/java/b.jar");
    }

    @Test
    void stagingCopiesJarsAndDirectories() throws Exception {
        Path src = Files.createTempDirectory("knl-cp-test");
        try {
            Files.writeString(src.resolve("k.jar"), "jar");
            Files.createDirectories(src.resolve("classes/io"));
            Files.writeString(src.resolve("classes/io/A.class"), "class");
            String cp = src.resolve("k.jar") + ":" + src.resolve("classes");
            SandboxClasspath.stage(cp, lab);
            String mapped = SandboxClasspath.of(cp, lab);
            assertThat(mapped).isEqualTo(lab.resolve("classpath/0-k.jar") + ":" + lab.resolve("classpath/1-classes"));
            assertThat(lab.resolve("classpath/0-k.jar")).hasContent("jar");
            assertThat(lab.resolve("classpath/1-classes/io/A.class")).hasContent("class");
        } finally {
            io.kubenetlab.store.LabStore.deleteTree(src);
        }
    }

    @Test
    void aStateDirectoryTheSandboxesCannotSeeIsRefusedBeforeAnythingIsMade() throws Exception {
        Path root = Files.createTempDirectory("knl-state-in-tmp");
        try {
            var topology = io.kubenetlab.topology.TopologyLoader.load(Path.of("topologies/service-network.yaml"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Lab.deploy(topology, Lab.Options.defaults().withName("x"),
                            new io.kubenetlab.store.LabStore(root)))
                    .isInstanceOf(io.kubenetlab.model.LabException.class)
                    .hasMessageContaining("the state directory " + root + " (KUBENETLAB_STATE_DIR) lies under [/tmp, /dev/shm]");
            try (var files = Files.list(root)) {
                assertThat(files).as("nothing made").isEmpty();
            }
        } finally {
            io.kubenetlab.store.LabStore.deleteTree(root);
        }
    }
}
