package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.servingTerminating;
import static io.kubenetlab.proxy.Fixtures.endpoint;
import static io.kubenetlab.proxy.Fixtures.svc;
import static io.kubenetlab.proxy.NftablesUpstreamTest.BASE_RULES;
import static io.kubenetlab.proxy.NftablesUpstreamTest.UPSTREAM_NODE;
import static io.kubenetlab.proxy.NftablesUpstreamTest.asUpstreamMark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.net.Cidr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Focused cases. Their inputs are those of upstream's packet-flow tests (TestNoEndpointsReject,
 * TestExternalTrafficPolicyLocal, TestLoadBalancer, TestTerminatingEndpointsTrafficPolicyLocal,
 * TestInternalTrafficPolicy), which upstream checks by tracing packets, not with a literal dump; the
 * expected lines here were written by hand from upstream's proxier.go (docs/kube-proxy-nftables.md
 * section 5) and hashes computed with sha256sum + base32. Each is compared in upstream's canonical
 * form, on top of upstream's literal base rules.
 */
class NftablesRulesTest {

    private static void assertRenders(List<ServiceEndpoints> services, String serviceLines) {
        assertRenders(services, UPSTREAM_NODE, BASE_RULES, serviceLines);
    }

    private static void assertRenders(List<ServiceEndpoints> services, NodeSettings node, String base, String serviceLines) {
        String rendered = NftablesRules.render(services, node);
        assertThat(NftDumps.canonical(asUpstreamMark(rendered))).isEqualTo(NftDumps.canonical(base + serviceLines));
    }

    @Test
    void noEndpointsRejectsEveryAddressThroughTheNoEndpointMaps() {
        assertRenders(List.of(svc("ns1", "svc1", "p80", "172.30.0.41", 80).externalIPs("192.168.99.11").nodePort(3001)
                .loadBalancerIPs("1.2.3.4").with()), """
                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy no-endpoint-services { 172.30.0.41 . tcp . 80 comment "ns1/svc1:p80" : goto reject-chain }
                add element ip kube-proxy no-endpoint-services { 192.168.99.11 . tcp . 80 comment "ns1/svc1:p80" : goto reject-chain }
                add element ip kube-proxy no-endpoint-services { 1.2.3.4 . tcp . 80 comment "ns1/svc1:p80" : goto reject-chain }
                add element ip kube-proxy no-endpoint-nodeports { tcp . 3001 comment "ns1/svc1:p80" : goto reject-chain }
                """);
    }

    @Test
    void externalPolicyLocalSendsOutsidersToLocalEndpointsAndShortCircuitsPodsAndTheNode() {
        assertRenders(List.of(svc("ns1", "svc1", "p80", "172.30.0.41", 80).externalIPs("192.168.99.11").nodePort(3001)
                .loadBalancerIPs("1.2.3.4").externalPolicyLocal().healthCheckNodePort(30000)
                .with(ready("10.180.0.1:80", null), ready("10.180.2.1:80", "test-hostname"))), """
                add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
                add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
                add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 , 1 : goto endpoint-MLKSHPWN-ns1/svc1/tcp/p80__10.180.2.1/80 }
                add chain ip kube-proxy local-ULMVA6XW-ns1/svc1/tcp/p80
                add rule ip kube-proxy local-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-MLKSHPWN-ns1/svc1/tcp/p80__10.180.2.1/80 }
                add chain ip kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80
                add rule ip kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80 ip saddr 10.0.0.0/8 goto service-ULMVA6XW-ns1/svc1/tcp/p80 comment "short-circuit pod traffic"
                add rule ip kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80 fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
                add rule ip kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80 fib saddr type local goto service-ULMVA6XW-ns1/svc1/tcp/p80 comment "short-circuit local traffic"
                add rule ip kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80 goto local-ULMVA6XW-ns1/svc1/tcp/p80
                add chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
                add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 ip saddr 10.180.0.1 jump mark-for-masquerade
                add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80
                add chain ip kube-proxy endpoint-MLKSHPWN-ns1/svc1/tcp/p80__10.180.2.1/80
                add rule ip kube-proxy endpoint-MLKSHPWN-ns1/svc1/tcp/p80__10.180.2.1/80 ip saddr 10.180.2.1 jump mark-for-masquerade
                add rule ip kube-proxy endpoint-MLKSHPWN-ns1/svc1/tcp/p80__10.180.2.1/80 meta l4proto tcp dnat to 10.180.2.1:80

                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-ips { 192.168.99.11 . tcp . 80 : goto external-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-nodeports { tcp . 3001 : goto external-ULMVA6XW-ns1/svc1/tcp/p80 }
                """);
    }

    @Test
    void clientIpAffinityHasOneTimedSetPerEndpoint() {
        assertRenders(List.of(svc("ns1", "svc1", "p80", "172.30.0.41", 80).sticky(300)
                .with(ready("10.180.0.2:80", null), ready("10.180.0.10:80", null))), """
                add set ip kube-proxy affinity-M5KBLWWX-ns1/svc1/tcp/p80__10.180.0.10/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 300s ; }
                add set ip kube-proxy affinity-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 300s ; }
                add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
                add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
                add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip saddr @affinity-M5KBLWWX-ns1/svc1/tcp/p80__10.180.0.10/80 goto endpoint-M5KBLWWX-ns1/svc1/tcp/p80__10.180.0.10/80
                add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip saddr @affinity-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80 goto endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80
                add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-M5KBLWWX-ns1/svc1/tcp/p80__10.180.0.10/80 , 1 : goto endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80 }
                add chain ip kube-proxy endpoint-M5KBLWWX-ns1/svc1/tcp/p80__10.180.0.10/80
                add rule ip kube-proxy endpoint-M5KBLWWX-ns1/svc1/tcp/p80__10.180.0.10/80 ip saddr 10.180.0.10 jump mark-for-masquerade
                add rule ip kube-proxy endpoint-M5KBLWWX-ns1/svc1/tcp/p80__10.180.0.10/80 update @affinity-M5KBLWWX-ns1/svc1/tcp/p80__10.180.0.10/80 { ip saddr }
                add rule ip kube-proxy endpoint-M5KBLWWX-ns1/svc1/tcp/p80__10.180.0.10/80 meta l4proto tcp dnat to 10.180.0.10:80
                add chain ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80
                add rule ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80 ip saddr 10.180.0.2 jump mark-for-masquerade
                add rule ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80 update @affinity-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80 { ip saddr }
                add rule ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80 meta l4proto tcp dnat to 10.180.0.2:80

                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
                """);
    }

    /** The node IP is in the first range: the LB IPs are allowed as sources too (a VIP looping back). */
    @Test
    void loadBalancerSourceRangesIncludingTheNodeIp() {
        assertRenders(List.of(svc("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(3001).loadBalancerIPs("1.2.3.4", "5.6.7.8")
                .sourceRanges("192.168.0.0/24", " 203.0.113.0/25").with(ready("10.180.0.1:80", null))), """
                add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
                add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
                add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 }
                add chain ip kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80
                add rule ip kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80 jump mark-for-masquerade
                add rule ip kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80 goto service-ULMVA6XW-ns1/svc1/tcp/p80
                add chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
                add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 ip saddr 10.180.0.1 jump mark-for-masquerade
                add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80
                add chain ip kube-proxy firewall-ULMVA6XW-ns1/svc1/tcp/p80
                add rule ip kube-proxy firewall-ULMVA6XW-ns1/svc1/tcp/p80 ip saddr != { 192.168.0.0/24 , 203.0.113.0/25 , 1.2.3.4 , 5.6.7.8 } drop

                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-ips { 5.6.7.8 . tcp . 80 : goto external-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-nodeports { tcp . 3001 : goto external-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy firewall-ips { 1.2.3.4 . tcp . 80 : goto firewall-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy firewall-ips { 5.6.7.8 . tcp . 80 : goto firewall-ULMVA6XW-ns1/svc1/tcp/p80 }
                """);
    }

    /** Unlike iptables mode (KUBE-FW only with endpoints), upstream's usesFWChain ignores the endpoints. */
    @Test
    void theFirewallChainExistsWithoutEndpoints() {
        assertRenders(List.of(svc("ns1", "svc1", "p80", "172.30.0.41", 80).loadBalancerIPs("1.2.3.4")
                .sourceRanges("203.0.113.0/25").with()), """
                add chain ip kube-proxy firewall-ULMVA6XW-ns1/svc1/tcp/p80
                add rule ip kube-proxy firewall-ULMVA6XW-ns1/svc1/tcp/p80 ip saddr != { 203.0.113.0/25 } drop
                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy no-endpoint-services { 172.30.0.41 . tcp . 80 comment "ns1/svc1:p80" : goto reject-chain }
                add element ip kube-proxy no-endpoint-services { 1.2.3.4 . tcp . 80 comment "ns1/svc1:p80" : goto reject-chain }
                add element ip kube-proxy firewall-ips { 1.2.3.4 . tcp . 80 : goto firewall-ULMVA6XW-ns1/svc1/tcp/p80 }
                """);
    }

    /**
     * ETP=Local with only terminating local endpoints: external traffic falls back to the serving
     * terminating ones on this node, the cluster IP uses the ready one elsewhere; the endpoint chains
     * are the union. (Upstream's "only terminating endpoints exist" case; the unnamed port leaves a
     * trailing "/" in the names.)
     */
    @Test
    void terminatingLocalEndpointsAreTheExternalFallback() {
        assertRenders(List.of(svc("ns1", "svc1", "", "172.30.1.1", 80).loadBalancerIPs("1.2.3.4").externalPolicyLocal()
                .healthCheckNodePort(30000).with(servingTerminating("10.0.1.2:80", "test-hostname"),
                        servingTerminating("10.0.1.3:80", "test-hostname"),
                        endpoint("10.0.1.4:80", "test-hostname", false, false, true),
                        ready("10.0.1.5:80", "node-1"))), """
                add chain ip kube-proxy service-6KJ5P52A-ns1/svc1/tcp/
                add rule ip kube-proxy service-6KJ5P52A-ns1/svc1/tcp/ ip daddr 172.30.1.1 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
                add rule ip kube-proxy service-6KJ5P52A-ns1/svc1/tcp/ numgen random mod 1 vmap { 0 : goto endpoint-EXTQ3I4Y-ns1/svc1/tcp/__10.0.1.5/80 }
                add chain ip kube-proxy local-6KJ5P52A-ns1/svc1/tcp/
                add rule ip kube-proxy local-6KJ5P52A-ns1/svc1/tcp/ numgen random mod 2 vmap { 0 : goto endpoint-NOHC5GMX-ns1/svc1/tcp/__10.0.1.2/80 , 1 : goto endpoint-YSKWIFLA-ns1/svc1/tcp/__10.0.1.3/80 }
                add chain ip kube-proxy external-6KJ5P52A-ns1/svc1/tcp/
                add rule ip kube-proxy external-6KJ5P52A-ns1/svc1/tcp/ ip saddr 10.0.0.0/8 goto service-6KJ5P52A-ns1/svc1/tcp/ comment "short-circuit pod traffic"
                add rule ip kube-proxy external-6KJ5P52A-ns1/svc1/tcp/ fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
                add rule ip kube-proxy external-6KJ5P52A-ns1/svc1/tcp/ fib saddr type local goto service-6KJ5P52A-ns1/svc1/tcp/ comment "short-circuit local traffic"
                add rule ip kube-proxy external-6KJ5P52A-ns1/svc1/tcp/ goto local-6KJ5P52A-ns1/svc1/tcp/
                add chain ip kube-proxy endpoint-NOHC5GMX-ns1/svc1/tcp/__10.0.1.2/80
                add rule ip kube-proxy endpoint-NOHC5GMX-ns1/svc1/tcp/__10.0.1.2/80 ip saddr 10.0.1.2 jump mark-for-masquerade
                add rule ip kube-proxy endpoint-NOHC5GMX-ns1/svc1/tcp/__10.0.1.2/80 meta l4proto tcp dnat to 10.0.1.2:80
                add chain ip kube-proxy endpoint-YSKWIFLA-ns1/svc1/tcp/__10.0.1.3/80
                add rule ip kube-proxy endpoint-YSKWIFLA-ns1/svc1/tcp/__10.0.1.3/80 ip saddr 10.0.1.3 jump mark-for-masquerade
                add rule ip kube-proxy endpoint-YSKWIFLA-ns1/svc1/tcp/__10.0.1.3/80 meta l4proto tcp dnat to 10.0.1.3:80
                add chain ip kube-proxy endpoint-EXTQ3I4Y-ns1/svc1/tcp/__10.0.1.5/80
                add rule ip kube-proxy endpoint-EXTQ3I4Y-ns1/svc1/tcp/__10.0.1.5/80 ip saddr 10.0.1.5 jump mark-for-masquerade
                add rule ip kube-proxy endpoint-EXTQ3I4Y-ns1/svc1/tcp/__10.0.1.5/80 meta l4proto tcp dnat to 10.0.1.5:80

                add element ip kube-proxy cluster-ips { 172.30.1.1 }
                add element ip kube-proxy service-ips { 172.30.1.1 . tcp . 80 : goto service-6KJ5P52A-ns1/svc1/tcp/ }
                add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-6KJ5P52A-ns1/svc1/tcp/ }
                """);
    }

    /** ITP=Local and no endpoint on this node: the cluster IP drops (endpoints exist elsewhere), no chain. */
    @Test
    void internalPolicyLocalWithoutALocalEndpointDrops() {
        assertRenders(List.of(svc("ns1", "svc1", "", "172.30.1.1", 80).internalPolicyLocal()
                .with(ready("10.0.1.1:80", "node0"), ready("10.0.1.2:80", "node1"))), """
                add element ip kube-proxy cluster-ips { 172.30.1.1 }
                add element ip kube-proxy no-endpoint-services { 172.30.1.1 . tcp . 80 comment "ns1/svc1" : drop }
                """);
    }

    /** Upstream's --masquerade-all: every packet to the cluster IP is marked, pods' too. */
    @Test
    void masqueradeAllMarksEveryClusterIpPacket() {
        String rendered = NftablesRules.render(List.of(svc("ns1", "svc1", "p80", "172.30.0.41", 80).with(ready("10.180.0.1:80", null))),
                UPSTREAM_NODE.withMasqueradeAll(true));
        assertThat(rendered).contains("add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 jump mark-for-masquerade\n")
                .doesNotContain("ip saddr != 10.0.0.0/8");
    }

    /** No local-traffic detector: no off-cluster masquerade rule, no pod short-circuit (the node's stays). */
    @Test
    void withoutAClusterCidrThereIsNoLocalDetector() {
        NodeSettings node = NodeSettings.of("test-hostname", Fixtures.ip("192.168.0.2"), null).withServiceCidr(Cidr.parse("172.30.0.0/16"));
        String rendered = NftablesRules.render(List.of(svc("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(3001).externalPolicyLocal()
                .with(ready("10.180.0.1:80", "test-hostname"))), node);
        assertThat(rendered).doesNotContain("ip saddr != ", "short-circuit pod traffic", "jump mark-for-masquerade\nadd rule ip kube-proxy service-")
                .contains("fib saddr type local goto service-ULMVA6XW-ns1/svc1/tcp/p80 comment \"short-circuit local traffic\"");
    }

    /** Without a node IP the NodePort rules take upstream's match-all form; without a ServiceCIDR nothing is dropped. */
    @Test
    void withoutNodeIpOrServiceCidr() {
        NodeSettings node = NodeSettings.of("n", null, Cidr.parse("10.0.0.0/8"));
        String rendered = NftablesRules.render(List.of(), node);
        assertThat(rendered).doesNotContain("nodeport-ips", "Drop traffic to unallocated ClusterIPs")
                .contains("add rule ip kube-proxy services fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports\n",
                        "add rule ip kube-proxy nodeport-endpoints-check ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports\n");
    }

    @Test
    void markFollowsTheMasqueradeBit() {
        NodeSettings node = new NodeSettings("n", Fixtures.ip("192.168.0.2"), null, false, 15, true, true, null);
        assertThat(NftablesRules.render(List.of(), node)).contains("mark set mark or 0x00008000\n", "mark and 0x00008000 == 0 return\n");
    }

    @Test
    void udpAndSctpUseTheirProtocolInKeysNamesAndDnat() {
        String rendered = NftablesRules.render(List.of(
                svc("ns4", "dns", "dns", "172.30.0.10", 53).protocol("UDP").nodePort(30053).with(ready("10.180.0.9:53", null)),
                svc("ns7", "sctp", "assoc", "172.30.0.47", 9999).protocol("SCTP").with(ready("10.180.0.7:9999", null))), UPSTREAM_NODE);
        assertThat(rendered).contains("172.30.0.10 . udp . 53 : goto service-", "/ns4/dns/udp/dns\n".substring(1),
                "{ udp . 30053 : goto external-", "ip daddr 172.30.0.10 udp dport 53 ip saddr != 10.0.0.0/8",
                "meta l4proto udp dnat to 10.180.0.9:53", "meta l4proto sctp dnat to 10.180.0.7:9999", "172.30.0.47 . sctp . 9999");
    }

    /** A multi-port service adds its cluster IP once to cluster-ips. */
    @Test
    void aClusterIpIsOneElementForAllItsPorts() {
        String rendered = NftablesRules.render(List.of(
                svc("ns1", "web", "http", "172.30.0.50", 80).with(ready("10.180.0.1:80", null)),
                svc("ns1", "web", "https", "172.30.0.50", 443).with(ready("10.180.0.1:443", null))), UPSTREAM_NODE);
        assertThat(rendered.lines().filter(l -> l.equals("add element ip kube-proxy cluster-ips { 172.30.0.50 }"))).hasSize(1);
        assertThat(rendered).contains("172.30.0.50 . tcp . 80 : goto service-", "172.30.0.50 . tcp . 443 : goto service-");
    }

    @Test
    void servicePortsWithoutClusterIpAreSkippedAndDuplicatesRejected() {
        assertThat(NftablesRules.render(List.of(svc("ns1", "headless", "", null, 80).with(ready("10.180.0.1:80", null))), UPSTREAM_NODE))
                .isEqualTo(NftablesRules.render(List.of(), UPSTREAM_NODE));
        ServiceEndpoints one = svc("ns1", "svc1", "p80", "172.30.0.41", 80).with();
        assertThatThrownBy(() -> NftablesRules.render(List.of(one, one), UPSTREAM_NODE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ns1/svc1:p80");
    }

    @Test
    void outputDoesNotDependOnInputOrder() {
        List<ServiceEndpoints> services = new ArrayList<>(NftablesRulesLoadIT.SERVICES);
        String first = NftablesRules.render(services, UPSTREAM_NODE);
        Collections.reverse(services);
        assertThat(NftablesRules.render(services, UPSTREAM_NODE)).isEqualTo(first);
    }

    /** Every declaration comes before its first use, as nft -f reads the text top to bottom. */
    @Test
    void declarationsComeBeforeUse() {
        List<String> lines = NftablesRules.render(NftablesRulesLoadIT.SERVICES, UPSTREAM_NODE).lines().toList();
        assertThat(lines.get(0)).isEqualTo("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }");
        int lastSet = lastIndex(lines, "add set ", "add map ");
        int firstChain = firstIndex(lines, "add chain ");
        int lastChain = lastIndex(lines, "add chain ");
        int firstRule = firstIndex(lines, "add rule ");
        int lastRule = lastIndex(lines, "add rule ");
        int firstElement = firstIndex(lines, "add element ");
        assertThat(lastSet).isLessThan(firstChain);
        assertThat(lastChain).isLessThan(firstRule);
        assertThat(lastRule).isLessThan(firstElement);
        assertThat(lines).allMatch(l -> l.startsWith("add "));
    }

    @Test
    void textRoundTripsThroughTheModel() {
        String rendered = NftablesRules.render(NftablesRulesLoadIT.SERVICES, UPSTREAM_NODE);
        assertThat(NftText.write(NftText.parse(rendered).orElseThrow())).isEqualTo(rendered);
        assertThat(NftText.parse("table ip kube-proxy {\n\tchain services {\n\t}\n}\n")).isEmpty();
        assertThat(NftText.parse("")).isEmpty();
        assertThat(NftText.parse(null)).isEmpty();
    }

    private static int firstIndex(List<String> lines, String... prefixes) {
        for (int i = 0; i < lines.size(); i++) for (String p : prefixes) if (lines.get(i).startsWith(p)) return i;
        return -1;
    }

    private static int lastIndex(List<String> lines, String... prefixes) {
        for (int i = lines.size() - 1; i >= 0; i--) for (String p : prefixes) if (lines.get(i).startsWith(p)) return i;
        return -1;
    }
}
