package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.kubenetlab.junit5.KubenetLab;
import io.kubenetlab.junit5.LabInstance;
import io.kubenetlab.Lab;
import io.kubenetlab.LabBuilder;
import io.kubenetlab.Requests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The JUnit 5 extension seen from outside (issue 15): fixture test classes run through JUnit's
 * launcher, so what happens after them can be checked. A per-class lab lives through all its tests
 * and is gone after the class, a failing test's report carries the lab's logs; per-method labs are
 * fresh for each test and gone after it; a lab that cannot be deployed fails the class, never skips it.
 * (The fixtures are static nested classes: failsafe does not run them on their own.)
 */
class JUnit5ExtensionLifecycleIT {
    /** Lab names the fixtures saw, by fixture and test. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    @KubenetLab(topology = "topologies/service-network.yaml", namePrefix = "i15j-pc")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClassFixture {
        @LabInstance static Lab lab;

        @Test
        @Order(1)
        void passes() {
            SEEN.put("perClass.1", lab.name());
            assertThat(ItSupport.netnsOf(lab.name())).isNotEmpty();
        }

        @Test
        @Order(2)
        void failsAndItsReportGetsTheLabsLogs() {
            SEEN.put("perClass.2", lab.name());
            assertThat(lab.requests().from("service-test-client1").to("service-test", 80).times(2).run().answered()).as("deliberate").isEqualTo(99);
        }
    }

    @KubenetLab(topology = "topologies/service-network.yaml", namePrefix = "i15j-pm", lifecycle = KubenetLab.Lifecycle.PER_METHOD)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerMethodFixture {
        @LabInstance Lab lab;

        @Test
        @Order(1)
        void first(@LabInstance Lab param) {
            assertThat(param).isSameAs(lab);
            SEEN.put("perMethod.1", lab.name());
            assertThat(ItSupport.netnsOf(lab.name())).isNotEmpty();
        }

        @Test
        @Order(2)
        void secondGetsAFreshLabAndTheFirstIsGone() {
            SEEN.put("perMethod.2", lab.name());
            assertThat(lab.name()).isNotEqualTo(SEEN.get("perMethod.1"));
            ItSupport.assertGone(SEEN.get("perMethod.1"));
            assertThat(ItSupport.netnsOf(lab.name())).isNotEmpty();
        }
    }

    @KubenetLab(builder = "webLab", namePrefix = "i15j-b")
    static class BuiltFixture {
        @LabInstance static Lab lab;

        static LabBuilder webLab() {
            return io.kubenetlab.KubenetLab.builder().nodes(2).deployment("web", 2).service("web", 80, 8080).pod("client");
        }

        @Test
        void aLabBuiltInCodeServesItsService() {
            SEEN.put("built", lab.name());
            Requests.Result r = lab.requests().from("client").to("web", 80).times(20).run();
            assertThat(r.failed()).as("failures: %s", r.failures()).isZero();
            assertThat(lab.pods("web")).hasSize(2);
            assertThat(r.byPod().keySet()).containsExactlyInAnyOrderElementsOf(lab.pods("web"));
            assertThat(lab.exec("client", "nslookup", "web.default.svc.cluster.local").stdout()).containsPattern("Address: 10\\.3\\.");
        }
    }

    @KubenetLab(topology = "topologies/no-such-lab.yaml", namePrefix = "i15j-bad")
    static class MissingTopologyFixture {
        @Test
        void neverRuns() {
            SEEN.put("missing", "ran");
        }
    }

    /** What a run of one fixture class reported. */
    record Run(TestExecutionSummary summary, List<ReportEntry> entries, List<Throwable> containerFailures) {}

    static Run run(Class<?> fixture) {
        List<ReportEntry> entries = new ArrayList<>();
        List<Throwable> containerFailures = new ArrayList<>();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                entries.add(entry);
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isContainer()) result.getThrowable().ifPresent(containerFailures::add);
            }
        };
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), summary, listener);
        return new Run(summary.getSummary(), entries, containerFailures);
    }

    @Test
    void aPerClassLabServesAllTestsIsGoneAfterAndAFailingTestGetsItsLogs() throws Exception {
        ItSupport.requireRoot();
        Run r = run(PerClassFixture.class);
        String name = SEEN.get("perClass.1");
        assertThat(name).matches("i15j-pc-[a-z0-9]{6}");
        assertThat(SEEN.get("perClass.2")).isEqualTo(name);
        assertThat(r.summary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(r.summary().getTestsFailedCount()).isEqualTo(1);
        assertThat(r.summary().getFailures().get(0).getException()).hasMessageContaining("deliberate");
        ItSupport.assertGone(name);

        Map<String, String> kv = new java.util.HashMap<>();
        r.entries().forEach(e -> kv.putAll(e.getKeyValuePairs()));
        assertThat(kv).containsKeys("kubenetlab.logs", "kubenetlab.controller-log");
        Path dir = Path.of(kv.get("kubenetlab.logs"));
        assertThat(dir).isDirectory().endsWith(Path.of("kubenetlab-logs", name));
        assertThat(Files.readString(dir.resolve("controller.log"))).isNotBlank();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).contains("service-test-client1_test-client1.log");
        }
        assertThat(r.entries().stream().filter(e -> e.getKeyValuePairs().containsKey("kubenetlab.logs"))).as("only the failing test publishes logs")
                .hasSize(1);
        String deployed = r.entries().stream().map(e -> e.getKeyValuePairs().get("kubenetlab.lab")).filter(v -> v != null).findFirst().orElseThrow();
        assertThat(deployed).matches(name + " deployed in [0-9]+ ms");
        System.out.println("JUnit5ExtensionLifecycleIT: " + deployed);
    }

    @Test
    void perMethodLabsAreFreshForEachTestAndGoneAfterIt() {
        ItSupport.requireRoot();
        Run r = run(PerMethodFixture.class);
        assertThat(r.summary().getFailures()).as("failures of the fixture: %s",
                r.summary().getFailures().stream().map(f -> f.getException().toString()).toList()).isEmpty();
        assertThat(r.summary().getTestsSucceededCount()).isEqualTo(2);
        assertThat(SEEN.get("perMethod.2")).matches("i15j-pm-[a-z0-9]{6}");
        ItSupport.assertGone(SEEN.get("perMethod.1"));
        ItSupport.assertGone(SEEN.get("perMethod.2"));
    }

    @Test
    void aBuilderMethodGivesTheClassALabBuiltInCode() {
        ItSupport.requireRoot();
        Run r = run(BuiltFixture.class);
        assertThat(r.summary().getFailures()).as("failures of the fixture: %s",
                r.summary().getFailures().stream().map(f -> f.getException().toString()).toList()).isEmpty();
        assertThat(r.summary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(SEEN.get("built")).matches("i15j-b-[a-z0-9]{6}");
        ItSupport.assertGone(SEEN.get("built"));
    }

    @Test
    void aLabThatCannotBeDeployedFailsTheClassInsteadOfSkippingIt() {
        Run r = run(MissingTopologyFixture.class);
        assertThat(SEEN).doesNotContainKey("missing");
        assertThat(r.summary().getTestsSkippedCount()).isZero();
        assertThat(r.summary().getContainersFailedCount()).isEqualTo(1);
        assertThat(r.containerFailures()).singleElement().extracting(Throwable::getMessage).asString().contains("no-such-lab.yaml");
    }
}
