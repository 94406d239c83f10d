package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kubenetlab run from a jar under /tmp (a checkout cloned there): every sandbox mounts a /tmp of its
 * own, so the DNS pod's JVM could not see the jar; deploy stages it into the lab's state directory.
 */
class JarInTmpIT {
    @Test
    void aLabDeployedFromAJarInTmpHasClusterDns() throws Exception {
        ItSupport.requireRoot();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "knl-jar-in-tmp");
        String name = ItSupport.uniqueLab("jtmp");
        try {
            Path jar = Files.copy(ItSupport.REPO.resolve("target/kubenetlab.jar"), dir.resolve("kubenetlab.jar"));
            Process p = new ProcessBuilder("java", "-jar", jar.toString(), "deploy", "-t", ItSupport.ARTICLE.toString(), "--name", name)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("deploy.out").toFile()).start();
            int exit = ItSupport.exitWithin(p, ItSupport.CLI_TIMEOUT_SECONDS, "deploy from a jar in /tmp");
            assertThat(exit).as(Files.readString(dir.resolve("deploy.out"))).isZero();
            Lab lab = Lab.open(name);
            var r = lab.execCapture("service-test-client1", List.of("nslookup", "service-test"));
            assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
            assertThat(r.stdout()).contains("Address: 10.3.241.152");
            lab.destroy();
            ItSupport.assertGone(name);
        } finally {
            if (io.kubenetlab.store.LabStore.fromEnvironment().exists(name)) Lab.destroy(name, io.kubenetlab.store.LabStore.fromEnvironment());
            io.kubenetlab.store.LabStore.deleteTree(dir);
        }
    }
}
