package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.PodRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every lab file we ship deploys, has every pod ready or completed, and destroys cleanly. */
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
        }
        ItSupport.assertGone(name);
    }
}
