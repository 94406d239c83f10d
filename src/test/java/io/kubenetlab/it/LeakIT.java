package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.trace.TraceReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Nothing of a lab remains on the machine after destroy, whatever its workloads did. The article's lab
 * on the bgp network plugin has every kind of process a lab runs: pods, the cluster DNS (a JVM), the
 * outside PostgreSQL host, BIRD on the nodes and the gateway, the controller (a JVM), and a trace adds
 * tables and a monitor. Its workloads write into /tmp and /dev/shm as programs do; each sandbox has its
 * own of both, as a container has, so the host never sees those files. After destroy, a snapshot of
 * /dev/shm, /tmp, /run, /etc/netns, the host's mounts and the root namespace equals the one taken before
 * deploy (what else changed meanwhile is explained by a live process), and nothing carries the lab's name.
 */
class LeakIT {

    @Test
    void aLabWithEveryKindOfProcessLeavesNothingAfterDestroy() {
        ItSupport.requireRoot();
        LeakCheck.Snapshot before = LeakCheck.Snapshot.take();
        String name = ItSupport.uniqueLab("it-leak");
        List<Path> markers = new java.util.ArrayList<>();
        SoftAssertions softly = new SoftAssertions();
        Lab lab = Lab.deploy(ItSupport.ARTICLE, Lab.Options.defaults().withName(name).withCni("bgp"));
        try {
            // Traffic through a Service, the outside database by name, a trace, BIRD's sessions.
            assertThat(ItSupport.spread(lab, "service-test-client1", "10.3.241.152", 80, 30).allAnswered()).hasSize(2); // 30: both pods answer but for a 2^-29 chance
            assertThat(lab.execCapture("api-pod", List.of("psql", "-h", "database", "-U", "postgres", "-tAc", "select 40 + 2")).stdout().trim())
                    .isEqualTo("42");
            TraceReport trace = lab.trace("ext-client", "service-test-lb", null, 0);
            assertThat(trace.verdict()).startsWith("reached pod default/service-test-");
            ItSupport.CliResult bgp = ItSupport.cli("bgp", "--lab", name);
            assertThat(bgp.exit()).as(bgp.err()).isZero();
            assertThat(bgp.out()).contains("Established");

            // Workloads' files in /tmp and /dev/shm (named for the lab, so a leak is found by name too)
            // stay in their sandboxes: a pod, an outside host, a node.
            for (String where : List.of("service-test-client1", "database", "node1")) {
                for (String dir : List.of("/tmp", "/dev/shm")) {
                    Path file = Path.of(dir, name + "-" + where);
                    markers.add(file);
                    var r = lab.execCapture(where, List.of("sh", "-c", "echo written by " + where + " > " + file + " && cat " + file));
                    assertThat(r.stdout()).as("%s writes %s (%s)", where, file, r.stderr()).isEqualTo("written by " + where + "\n");
                    softly.assertThat(file).as(where + "'s " + dir + " is its own, not the host's").doesNotExist();
                }
            }
            // PostgreSQL's shared memory segments are in the database's /dev/shm, not the host's.
            softly.assertThat(lab.execCapture("database", List.of("ls", "/dev/shm")).stdout()).contains("PostgreSQL.");
        } finally {
            lab.close();
        }
        try {
            // Every leak at once (a test that stopped at the first would hide the others).
            softly.assertThat(LeakCheck.namedFor(name, ItSupport.stateDir(name))).as("what carries the name of lab " + name + " after destroy").isEmpty();
            softly.assertThat(LeakCheck.Snapshot.take().leaksSince(before, name, ItSupport.stateDir(name)))
                    .as("left on the machine by lab " + name + " (a snapshot after destroy against one before deploy)").isEmpty();
            softly.assertAll();
            ItSupport.assertGone(name);
        } finally {
            // A failed run cleans up after itself: the markers a sandbox without its own /tmp or /dev/shm left.
            for (Path m : markers) {
                try {
                    Files.deleteIfExists(m);
                } catch (java.io.IOException ignored) {
                    // reported above
                }
            }
        }
    }
}
