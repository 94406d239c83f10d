package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.LabState;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.runtime.docker.DockerEngine;
import io.kubenetlab.runtime.docker.DockerImages;
import io.kubenetlab.runtime.docker.DockerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * The docker runtime's container lifecycle, checked with Testcontainers against the local engine.
 * No test pulls an image: every image is one scripts/build-images.sh made, and the pull policy says
 * never. Testcontainers needs (set by the failsafe configuration): TESTCONTAINERS_RYUK_DISABLED=true,
 * TESTCONTAINERS_HOST_OVERRIDE=localhost (this VM has a /.dockerenv), DOCKER_HOST.
 */
class DockerLifecycleIT {
    static final ImagePullPolicy NEVER = image -> false;
    static DockerEngine engine;
    static String lab;

    @BeforeAll
    static void engine() {
        ItSupport.requireRoot();
        DockerSupport.requireEngineAndImages();
        engine = DockerEngine.connect();
        lab = ItSupport.uniqueLab("it-dk");
    }

    @AfterAll
    static void cleanUp() {
        if (engine == null) return;
        for (String id : engine.withLabel(DockerRuntime.LABEL_LAB, lab)) engine.remove(id);
        engine.close();
    }

    static GenericContainer<?> local(String image) {
        return new GenericContainer<>(DockerImageName.parse(image)).withImagePullPolicy(NEVER)
                .withCreateContainerCmdModifier(c -> c.getHostConfig().withNetworkMode("none"));
    }

    @Test
    void thePython27ImageServesTheArticlesSimpleHttpServerOnPython3() throws Exception {
        try (GenericContainer<?> c = local("kubenetlab/python:2.7")
                .withEnv("PYTHONUNBUFFERED", "1") // its "Serving HTTP" line reaches the log at once
                .withCommand("/bin/bash", "-c", "echo \"<p>Hello from $(hostname)</p>\" > index.html; python -m SimpleHTTPServer 8080")
                .waitingFor(Wait.forLogMessage(".*Serving HTTP on 0.0.0.0 port 8080.*", 1).withStartupTimeout(Duration.ofSeconds(20)))) {
            c.start();
            var r = c.execInContainer("sh", "-c", "echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 3 127.0.0.1 8080");
            assertThat(r.getStdout()).contains("HTTP/1.0 200 OK", "<p>Hello from ");
        }
    }

    @Test
    void theAlpineImagesNcExitsOnceTheAnswerIsIn() throws Exception {
        try (GenericContainer<?> c = local("kubenetlab/alpine:latest").withCommand("sleep", "infinity")) {
            c.start();
            // nc here is the profile's shim (netcat-openbsd with -N), first on the image's PATH.
            assertThat(c.execInContainer("sh", "-c", "command -v nc").getStdout().trim()).isEqualTo("/opt/kubenetlab/images/alpine/bin/nc");
            var r = c.execInContainer("sh", "-c", "nc -l 127.0.0.1 9000 -c 'echo pong' 2>/dev/null & sleep 0.3; "
                    + "(nc.openbsd -l 127.0.0.1 9001 <<EOF\npong\nEOF\n) & sleep 0.3; echo ping | timeout 5 nc 127.0.0.1 9001; echo rc=$?");
            assertThat(r.getStdout()).contains("pong", "rc=0");
        }
    }

    @Test
    void theEngineGatewayInspectsLogsAndRemovesAContainerTestcontainersStarted() {
        GenericContainer<?> c = local(DockerImages.MACHINE).withCommand("sh", "-c", "echo started; sleep infinity")
                .waitingFor(Wait.forLogMessage("started\\n", 1));
        c.start();
        try {
            DockerEngine.State st = engine.inspect(c.getContainerId());
            assertThat(st.running()).isTrue();
            assertThat(st.pid()).isPositive();
            assertThat(engine.logs(c.getContainerId())).isEqualTo("started\n");
            engine.remove(c.getContainerId());
            assertThat(engine.inspect(c.getContainerId())).isNull();
            engine.remove(c.getContainerId()); // gone already is fine
        } finally {
            if (engine.inspect(c.getContainerId()) != null) c.stop();
        }
    }

    @Test
    void aMachineContainerHasEveryCapabilityButSysResourceNoNetworkItsSysctlsAndTheLabsLabels() {
        String id = engine.run(new DockerEngine.Spec("knl-" + lab + "-node", DockerImages.MACHINE, "node", List.of("sleep", "infinity"),
                List.of(), Map.of(DockerRuntime.LABEL_LAB, lab), Map.of("net.ipv4.ip_forward", "1"), Map.of(), null, true, true, "no"));
        InspectContainerResponse r = DockerClientFactory.instance().client().inspectContainerCmd(id).exec();
        assertThat(r.getHostConfig().getNetworkMode()).isEqualTo("none");
        assertThat(r.getHostConfig().getPrivileged()).isFalse();
        assertThat(List.of(r.getHostConfig().getCapAdd())).extracting(Object::toString).containsExactly("ALL");
        assertThat(List.of(r.getHostConfig().getCapDrop())).extracting(Object::toString).containsExactly("SYS_RESOURCE");
        assertThat(r.getHostConfig().getSecurityOpts()).contains("seccomp=unconfined", "apparmor=unconfined");
        assertThat(r.getConfig().getLabels()).containsEntry(DockerRuntime.LABEL_LAB, lab);
        long pid = engine.inspect(id).pid();
        Kernel.Result links = ItSupport.KERNEL.run(List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "ip", "-o", "link"));
        assertThat(links.stdout().lines().toList()).hasSize(1).allMatch(l -> l.contains("lo:")); // --network none: lo only
        Kernel.Result fwd = ItSupport.KERNEL.run(List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "sysctl", "-n", "net.ipv4.ip_forward"));
        assertThat(fwd.stdout().trim()).isEqualTo("1");
        engine.remove(id);
    }

    @Test
    void aPodContainerJoinsItsSandboxAndKeepsItsNetworkAcrossRestarts() throws Exception {
        String sandbox = engine.run(new DockerEngine.Spec("knl-" + lab + "-pod", DockerImages.MACHINE, "my-pod", List.of("sleep", "infinity"),
                List.of(), Map.of(DockerRuntime.LABEL_LAB, lab), Map.of(), Map.of(), null, false, true, "no"));
        String app = engine.run(new DockerEngine.Spec("knl-" + lab + "-pod_app", "kubenetlab/alpine:latest", null,
                List.of("sh", "-c", "hostname; sleep 0.2; exit 3"), List.of(), Map.of(DockerRuntime.LABEL_LAB, lab), Map.of(), Map.of(),
                sandbox, false, false, "always"));
        String sandboxNet = Files.readSymbolicLink(Path.of("/proc/" + engine.inspect(sandbox).pid() + "/ns/net")).toString();
        long deadline = System.currentTimeMillis() + 20_000;
        DockerEngine.State st = engine.inspect(app);
        while (st.restartCount() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            st = engine.inspect(app);
        }
        assertThat(st.restartCount()).as("restarts per restartPolicy Always").isGreaterThanOrEqualTo(2);
        assertThat(engine.logs(app)).startsWith("my-pod\n"); // the sandbox's hostname
        // Between two restarts the container runs for 0.2 s: catch it running and compare namespaces.
        String appNet = null;
        while (appNet == null && System.currentTimeMillis() < deadline) {
            st = engine.inspect(app);
            try {
                if (st.running()) appNet = Files.readSymbolicLink(Path.of("/proc/" + st.pid() + "/ns/net")).toString();
            } catch (java.nio.file.NoSuchFileException e) {
                // exited meanwhile: the next run
            }
            if (appNet == null) Thread.sleep(10);
        }
        assertThat(appNet).as("a restarted container is still in the pod's network namespace").isEqualTo(sandboxNet);
        engine.remove(app);
        engine.remove(sandbox);
    }

    @Test
    void destroyRemovesExactlyTheContainersLabelledWithTheLab() {
        String other = ItSupport.uniqueLab("it-dk-other");
        String mine = engine.run(new DockerEngine.Spec("knl-" + lab + "-a", DockerImages.MACHINE, null, List.of("sleep", "infinity"),
                List.of(), Map.of(DockerRuntime.LABEL_LAB, lab), Map.of(), Map.of(), null, false, true, "no"));
        String theirs = engine.run(new DockerEngine.Spec("knl-" + other + "-a", DockerImages.MACHINE, null, List.of("sleep", "infinity"),
                List.of(), Map.of(DockerRuntime.LABEL_LAB, other), Map.of(), Map.of(), null, false, true, "no"));
        try {
            LabState s = new LabState();
            s.name = lab;
            DockerRuntime rt = new DockerRuntime(Kernel.linux(), Path.of("/run/kubenetlab"));
            rt.destroy(s);
            rt.destroy(s); // twice is fine
            rt.close();
            assertThat(engine.inspect(mine)).isNull();
            assertThat(engine.inspect(theirs)).isNotNull();
        } finally {
            engine.remove(theirs);
        }
    }

    @Test
    void aMissingLocalImageIsRefusedBeforeAnythingIsCreated(@TempDir Path dir) throws Exception {
        String name = ItSupport.uniqueLab("it-dk-noimg");
        Path topo = ItSupport.articleWith(dir, "");
        Files.writeString(topo, Files.readString(topo).replace("manifests:", "images: {alpine: kubenetlab/no-such-image:1}\nmanifests:"));
        assertThatThrownBy(() -> Lab.deploy(topo, Lab.Options.defaults().withName(name).withRuntime("docker")))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("kubenetlab/no-such-image:1")
                .hasMessageContaining("scripts/build-images.sh");
        ItSupport.assertGone(name);
        assertThat(DockerSupport.containersOf(name)).isEmpty();
        ItSupport.CliResult cli = ItSupport.cli("deploy", "-t", topo.toString(), "--name", name, "--runtime", "docker");
        assertThat(cli.exit()).isNotZero();
        assertThat(cli.err()).contains("scripts/build-images.sh");
        ItSupport.assertGone(name);
    }
}
