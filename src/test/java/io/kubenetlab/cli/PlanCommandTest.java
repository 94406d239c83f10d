package io.kubenetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** {@code kubenetlab plan -t}: a lab file's plan, offline, no lab, no root, the same bytes every time. */
class PlanCommandTest {
    @Test
    void printsEveryMachineOfTheArticleLab() {
        CliRun r = CliRun.of("plan", "-t", "topologies/service-network.yaml");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Lab service-network: network plugin routed (")
                .contains("router  (router, netns knl-service-network-router)")
                .contains("node1  (node, netns knl-service-network-node1)")
                .contains("    10.0.2.0/24 via 10.100.0.3\n")
                .contains("lb  (load-balancer, netns knl-service-network-lb)")
                .contains("    203.0.113.100/32 dev eth0")
                .contains("    kube-proxy  (iptables-legacy, changed chains only): filter ");
        assertThat(r.out()).contains("(pod on node2, netns knl-service-network-service-test-");
    }

    @Test
    void oneMachineWithItsRulesInFull() {
        CliRun r = CliRun.of("plan", "-t", "topologies/service-network.yaml", "--machine", "node1");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("node1  (node,").doesNotContain("node2  (node,")
                .contains("      -A KUBE-SERVICES -m comment --comment \"default/service-test cluster IP\"");
    }

    @Test
    void asDataTheSameBytesEachTime() {
        CliRun a = CliRun.of("plan", "-t", "topologies/service-network.yaml", "-o", "yaml");
        CliRun b = CliRun.of("plan", "-t", "topologies/service-network.yaml", "-o", "yaml");
        assertThat(a.exit()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        Map<String, Object> doc = new Yaml().load(a.out());
        assertThat(doc).containsEntry("lab", "service-network").containsEntry("cni", "routed").containsEntry("proxyMode", "iptables");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> machines = (List<Map<String, Object>>) doc.get("machines");
        assertThat(machines.get(0)).containsEntry("name", "router").containsEntry("kind", "router");
        Map<String, Object> node1 = machines.stream().filter(m -> m.get("name").equals("node1")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rulesets = (List<Map<String, Object>>) node1.get("rulesets");
        assertThat(rulesets.get(1)).containsEntry("owner", "kube-proxy").containsEntry("sync", "incremental");
        assertThat((String) rulesets.get(1).get("text")).startsWith("*filter\n");
        CliRun json = CliRun.of("plan", "-t", "topologies/service-network.yaml", "-o", "json", "--machine", "router");
        assertThat(json.out()).startsWith("{").contains("\"cni\" : \"routed\"");
    }

    @Test
    void theNetworkPluginCanBeChosen() {
        CliRun r = CliRun.of("plan", "-t", "topologies/service-network.yaml", "--cni", "host-gw", "--machine", "node1");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("network plugin host-gw").contains("    10.0.2.0/24 via 10.100.0.3\n")
                .contains("    flannel  (iptables-legacy, loaded once)");
        CliRun router = CliRun.of("plan", "-t", "topologies/service-network.yaml", "--cni", "host-gw", "--machine", "router");
        assertThat(router.out()).doesNotContain("10.0.1.0/24 via").doesNotContain("10.0.2.0/24 via");
    }

    @Test
    void badInputGetsAClearError() {
        assertThat(CliRun.of("plan", "-t", "topologies/service-network.yaml", "--cni", "weave").err())
                .contains("--cni: unknown network plugin \"weave\" (known: routed, host-gw, vxlan, bgp)");
        assertThat(CliRun.of("plan", "-t", "topologies/service-network.yaml", "--machine", "node9").err())
                .contains("no machine or pod named \"node9\"");
        assertThat(CliRun.of("plan", "-t", "topologies/service-network.yaml", "-o", "xml").err()).contains("--output: unknown format \"xml\"");
        assertThat(CliRun.of("plan", "-t", "topologies/service-network.yaml", "--diff").err()).contains("use one or the other");
        assertThat(CliRun.of("plan", "-t", "topologies/no-such-file.yaml").exit()).isNotZero();
    }
}
