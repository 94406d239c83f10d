package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.lab.LabDiff;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.plan.PlanDiff;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The article lab on flannel's host-gw plugin, on both runtimes: nodes route each other's pod CIDRs
 * over the node network and the gateway holds none; the article's checks pass; pods reach the
 * outside database masqueraded to their node; {@code plan --diff} finds nothing on the healthy lab
 * and finds a route deleted by hand; destroy leaves nothing.
 */
@ParameterizedClass(name = "runtime {0}")
@ValueSource(strings = {"netns", "docker"})
class NetworkPluginsIT {
    @Parameter
    String runtime;

    static String name;
    static Lab lab;
    static String rootBefore;

    @BeforeParameterizedClassInvocation
    static void deploy(String runtime) {
        ItSupport.requireRoot();
        if (runtime.equals("docker")) DockerSupport.requireEngineAndImages();
        rootBefore = ItSupport.rootNamespaceSnapshot();
        name = ItSupport.uniqueLab("it-hostgw-" + runtime);
        lab = Lab.deploy(ItSupport.ARTICLE, Lab.Options.defaults().withName(name).withRuntime(runtime).withCni("host-gw"));
    }

    @AfterParameterizedClassInvocation
    static void destroyLeavesNothing(String runtime) {
        if (lab == null) return;
        Lab deployed = lab;
        lab = null;
        ItSupport.destroyLeavesNothing(deployed, name, runtime, rootBefore);
    }

    @Test
    void nodesRouteEachOthersPodsAndTheGatewayDoesNot() {
        assertThat(lab.topology().cni()).isEqualTo("host-gw");
        String router = lab.execCapture("router", List.of("ip", "route")).stdout();
        assertThat(router).doesNotContain("10.0.1.0/24").doesNotContain("10.0.2.0/24");
        assertThat(lab.execCapture("node1", List.of("ip", "route")).stdout()).contains("10.0.2.0/24 via 10.100.0.3");
        assertThat(lab.execCapture("node2", List.of("ip", "route")).stdout()).contains("10.0.1.0/24 via 10.100.0.2");
        ItSupport.CliResult inspect = ItSupport.cli("inspect", "--lab", name);
        assertThat(inspect.out()).contains("network plugin host-gw");
    }

    @Test
    void theArticlesChecksPass() {
        ItSupport.CliResult r = ItSupport.cli("verify", "--lab", name);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("verify: 27 checks, 27 passed");
        Map<String, String> servers = lab.pods().stream().filter(p -> "service_test_pod".equals(p.labels().get("app")))
                .collect(Collectors.toMap(p -> p.ip().toString(), PodRecord::name));
        // Pod to pod across nodes, by Service: every request answered, by both servers.
        Map<String, Integer> counts = ItSupport.spread(lab, "service-test-client1", "10.3.241.152", 80, 40);
        assertThat(ItSupport.answers(counts)).isEqualTo(40);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(servers.values());
    }

    @Test
    void podTrafficLeavingTheClusterIsMasqueradedToItsNode() {
        String out = lab.execCapture("api-pod", List.of("psql", "-h", "database", "-U", "postgres", "-tAc", "select inet_client_addr()")).stdout();
        String node = lab.pod("api-pod").node();
        assertThat(out.trim()).isEqualTo(lab.topology().node(node).orElseThrow().address().toString());
    }

    @Test
    void theKernelHoldsWhatThePlanSaysAndAHandMadeChangeShows() {
        List<PlanDiff.Difference> healthy = LabDiff.compare(lab, lab.plan().machines());
        assertThat(healthy).as("plan --diff on a healthy lab").isEmpty();
        lab.execCapture("node1", List.of("ip", "route", "del", "10.0.2.0/24"));
        try {
            ItSupport.CliResult r = ItSupport.cli("plan", "--lab", name, "--diff");
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(r.out()).contains("node1: missing route 10.0.2.0/24: via 10.100.0.3")
                    .contains(name + ": 1 difference between the plan and the kernel");
        } finally {
            lab.execCapture("node1", List.of("ip", "route", "add", "10.0.2.0/24", "via", "10.100.0.3"));
        }
        assertThat(LabDiff.compare(lab, lab.plan().machines())).isEmpty();
    }
}
