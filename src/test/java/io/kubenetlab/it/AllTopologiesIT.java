package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.PodRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lab file we ship deploys, has every pod ready or completed, holds exactly what its plan says
 * ({@code plan --diff}), and destroys cleanly; and its plan is printed by a user without root.
 */
class AllTopologiesIT {
    static Stream<Path> topologies() throws IOException {
        try (Stream<Path> s = Files.list(ItSupport.REPO.resolve("topologies"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void deploysAndDestroys(Path topology) {
        ItSupport.requireRoot();
        String name = ItSupport.uniqueLab("it-topo");
        try (Lab lab = Lab.deploy(topology, Lab.Options.defaults().withName(name))) {
            assertThat(lab.pods()).isNotEmpty();
            for (PodRecord p : lab.pods()) {
                var st = lab.status(p);
                assertThat(st.ready() || st.phase().equals("Succeeded")).as(p.name() + " " + st).isTrue();
            }
            assertThat(io.kubenetlab.lab.LabDiff.compare(lab, lab.plan().machines())).as("plan --diff").isEmpty();
        }
        ItSupport.assertGone(name);
    }

    /**
     * {@code kubenetlab plan -t} as nobody (uid 65534), from a copy of the jar and the lab files
     * anyone may read: it needs no root and creates nothing (no state directory, no namespace).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void isPlannedWithoutRoot(Path topology, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        ItSupport.requireRoot();
        Path dir = Files.createDirectories(tmp.resolve("world-readable"));
        Path jar = Files.copy(ItSupport.REPO.resolve("target/kubenetlab.jar"), dir.resolve("kubenetlab.jar"));
        Path labs = dir.resolve("topologies");
        try (Stream<Path> files = Files.walk(ItSupport.REPO.resolve("topologies"))) {
            for (Path f : files.toList()) {
                Path to = labs.resolve(ItSupport.REPO.resolve("topologies").relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        for (Path p : List.of(tmp, dir)) Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String stateDir = dir.resolve("no-state").toString();
        ProcessBuilder pb = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                "env", "KUBENETLAB_STATE_DIR=" + stateDir, "java", "-cp", jar.toString(), "io.kubenetlab.cli.Main",
                "plan", "-t", labs.resolve(topology.getFileName().toString()).toString());
        // Output to a file (read once it ended): reading a pipe to its end would wait as long as a hung plan.
        Path outFile = tmp.resolve("plan.out");
        pb.redirectErrorStream(true).redirectOutput(outFile.toFile());
        int exit = ItSupport.exitWithin(pb.start(), 120, "kubenetlab plan as nobody");
        String out = Files.readString(outFile);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("network plugin").contains("(router, netns knl-").contains("(node, netns knl-");
        assertThat(Path.of(stateDir)).doesNotExist();
    }
}
