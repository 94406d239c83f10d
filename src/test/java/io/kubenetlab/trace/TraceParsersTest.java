package io.kubenetlab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tracer's readers on output recorded from real labs (the article's lab, client1 on node1 to the
 * ClusterIP 10.3.241.152:80 from source port 40000/40001): iptables-legacy's TRACE records from NFLOG,
 * and nftables' monitor lines.
 */
class TraceParsersTest {
    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TraceParsersTest.class.getResourceAsStream("/trace/" + name)) {
            return in.readAllBytes();
        }
    }

    private static final Map<String, String> WHO = Map.of("10.0.1.2", "pod service-test-54cd58f689-tckhr on node1",
            "10.0.2.2", "pod service-test-54cd58f689-s9sfw on node2");

    @Test
    void iptablesLegacyTraceRecordsBecomePacketsWithTheirRules() throws IOException {
        List<PacketTrace> packets = NflogTraceParser.parse(resource("iptables-node1-clusterip.pcap"));
        PacketTrace syn = packets.get(0);
        assertThat(syn.arrived()).isEqualTo(new Tuple("tcp", "10.0.1.3", 40000, "10.3.241.152", 80));
        assertThat(syn.hooks().get(0).flags()).isEqualTo("syn");
        assertThat(syn.hooks()).extracting(HookPass::hook).containsExactly("PREROUTING", "FORWARD", "POSTROUTING");
        assertThat(syn.left().dst()).as("after DNAT").isIn("10.0.1.2", "10.0.2.2");
        assertThat(syn.hits()).extracting(h -> h.table() + ":" + h.chain() + ":" + h.kind() + ":" + h.number())
                .startsWith("nat:PREROUTING:rule:1", "nat:KUBE-SERVICES:rule:1");

        IptablesRules rules = new IptablesRules(new String(resource("iptables-node1.rules"), StandardCharsets.UTF_8));
        List<String> words = new RuleExplainer(RuleExplainer.names(WHO)).explain(syn.hits(), rules, syn.arrived());
        assertThat(String.join("\n", words))
                .contains("nat KUBE-SERVICES #1: -> KUBE-SVC-GBTMB5ZTD56ECL5F (default/service-test cluster IP)")
                .contains("-> KUBE-SEP-SWDHQQVZNE4DIAR4 (default/service-test -> 10.0.1.2:8080), picked endpoint 1 of 2: its probability 0.5 taken")
                .contains("DNAT 10.3.241.152:80 -> 10.0.1.2:8080 (pod service-test-54cd58f689-tckhr on node1)")
                .doesNotContain("KUBE-PROXY-FIREWALL");
        // The reply comes back as another packet, from the endpoint.
        assertThat(packets.stream().map(PacketTrace::arrived)).contains(new Tuple("tcp", "10.0.1.2", 8080, "10.0.1.3", 40000));
    }

    @Test
    void nftablesMonitorLinesBecomePacketsWithTheirRules() throws IOException {
        List<PacketTrace> packets = NftTraceParser.parse(new String(resource("nftables-node1-clusterip.txt"), StandardCharsets.UTF_8), "kntrace");
        PacketTrace syn = packets.get(0);
        assertThat(syn.arrived()).isEqualTo(new Tuple("tcp", "10.0.1.3", 40001, "10.3.241.152", 80));
        assertThat(syn.hooks().get(0).iif()).isEqualTo("cbr0");
        assertThat(syn.hooks().get(0).hits()).as("the tracer's own rule is left out").isEmpty();
        assertThat(syn.left()).isEqualTo(new Tuple("tcp", "10.0.1.3", 40001, "10.0.1.2", 8080));
        List<String> words = new RuleExplainer(RuleExplainer.names(WHO)).explain(syn.hits(), null, syn.arrived());
        assertThat(String.join("\n", words))
                .contains("services: ip daddr . meta l4proto . th dport vmap @service-ips  => goto service-EAFHE2E3-default/service-test/tcp/")
                .contains("(random choice: endpoint 1 of 2)")
                .contains("dnat to 10.0.1.2:8080  => accept (pod service-test-54cd58f689-tckhr on node1)");
    }

    @Test
    void aPacketWhoseTraceIdChangesAtForwardIsOnePacketAndItsRejectIsSaid() throws IOException {
        // Recorded with another program's packets interleaved: the kernel gave the SYN a new id at forward.
        List<PacketTrace> packets = NftTraceParser.parse(new String(resource("nftables-node1-no-endpoints.txt"), StandardCharsets.UTF_8),
                "kubenetlab-trace-21111");
        PacketTrace syn = packets.get(0);
        assertThat(syn.hooks()).extracting(HookPass::hook)
                .containsExactly("kubenetlab-trace-21111 prerouting", "kube-proxy filter-prerouting", "kube-proxy nat-prerouting", "kube-proxy filter-forward");
        assertThat(syn.hooks().get(3).oif()).isEqualTo("eth0");
        List<String> words = new RuleExplainer(RuleExplainer.names(WHO)).explain(syn.hits(), null, syn.arrived());
        assertThat(words).containsExactly(
                "filter-forward: ct state new jump service-endpoints-check  => jump service-endpoints-check",
                "service-endpoints-check: ip daddr . meta l4proto . th dport vmap @no-endpoint-services  => goto reject-chain",
                "reject-chain: reject  => drop  (packet rejected)");
    }

    @Test
    void conntrackEntriesSayWhatNatDid() {
        List<ConntrackEntry> e = ConntrackEntry.parse("tcp      6 102 TIME_WAIT src=10.100.0.100 dst=10.100.0.2 sport=40001 dport=30080 "
                + "src=10.0.2.2 dst=10.100.0.2 sport=8080 dport=16147 [ASSURED] mark=0 use=1\n");
        assertThat(e).hasSize(1);
        assertThat(e.get(0).describe()).isEqualTo("DNAT 10.100.0.2:30080 -> 10.0.2.2:8080, SNAT 10.100.0.100:40001 -> 10.100.0.2:16147");
        assertThat(e.get(0).forwarded()).isEqualTo(new Tuple("tcp", "10.100.0.2", 16147, "10.0.2.2", 8080));
        assertThat(ConntrackEntry.parse("conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n")).isEmpty();
    }

    @Test
    void tcpFlagsAreNamedAsNftNamesThem() {
        assertThat(NflogTraceParser.tcpFlags(0x12)).isEqualTo("syn | ack");
        assertThat(NflogTraceParser.tcpFlags(0x02)).isEqualTo("syn");
    }
}
