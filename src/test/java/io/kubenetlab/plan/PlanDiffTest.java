package io.kubenetlab.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanDiffTest {
    static final String RULES = "*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n"
            + "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n"
            + "-A KUBE-SERVICES -d 10.3.241.152/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-X\n-A KUBE-SERVICES -j RETURN\nCOMMIT\n";

    static MachinePlan node() {
        return new MachinePlan("node1", MachinePlan.Kind.NODE, "knl-x-node1", null,
                List.of(LinkPlan.loopback(), LinkPlan.vethPeer("eth0", "vethab", "knl-x-router", null, "kubenetlab:x:node1/eth0"),
                        LinkPlan.bridge("cbr0", "02:00:00:00:00:01", null, "kubenetlab:x:node1/cbr0")),
                List.of(new AddressPlan("10.100.0.2/24", "eth0"), new AddressPlan("10.0.1.1/24", "cbr0")),
                List.of(RoutePlan.via("default", "10.100.0.1"), RoutePlan.via("10.0.2.0/24", "10.100.0.3")),
                List.of(), List.of(), Map.of("net.ipv4.ip_forward", "1"),
                List.of(new Ruleset("kube-proxy", Ruleset.IPTABLES_LEGACY, Ruleset.Sync.INCREMENTAL, RULES)), List.of());
    }

    static LiveMachine live(List<RoutePlan> routes, String rules, boolean cbr0Up, String forward) {
        return new LiveMachine("node1", true,
                List.of(new LiveMachine.Link("lo", LinkPlan.Kind.LOOPBACK, null, "00:00:00:00:00:00", 65536, null, false, true, null, null, null),
                        new LiveMachine.Link("eth0", LinkPlan.Kind.VETH, null, "aa:bb:cc:dd:ee:ff", 1500, "kubenetlab:x:node1/eth0", false, true, null, null, null),
                        new LiveMachine.Link("cbr0", LinkPlan.Kind.BRIDGE, null, "02:00:00:00:00:01", 1500, "kubenetlab:x:node1/cbr0", false, cbr0Up, null, null, null)),
                List.of(new AddressPlan("10.100.0.2/24", "eth0"), new AddressPlan("10.0.1.1/24", "cbr0")),
                routes, List.of(), List.of(), Map.of("net.ipv4.ip_forward", forward), Map.of(Ruleset.IPTABLES_LEGACY, rules), Map.of(Ruleset.IPTABLES_LEGACY, RULES));
    }

    static final List<RoutePlan> LIVE_ROUTES = List.of(new RoutePlan("default", List.of("10.100.0.1"), "eth0", false),
            new RoutePlan("10.0.2.0/24", List.of("10.100.0.3"), "eth0", false));

    @Test
    void aHealthyMachineHasNoDifference() {
        assertThat(PlanDiff.compare(node(), live(LIVE_ROUTES, RULES + "# saved\n", true, "1"))).isEmpty();
    }

    @Test
    void aDeletedRouteIsMissing() {
        var diff = PlanDiff.compare(node(), live(LIVE_ROUTES.subList(0, 1), RULES, true, "1"));
        assertThat(diff).hasSize(1);
        assertThat(diff.get(0).toString()).isEqualTo("node1: missing route 10.0.2.0/24: via 10.100.0.3");
    }

    @Test
    void aRouteAddedByHandOrChangedShowsUp() {
        var diff = PlanDiff.compare(node(), live(List.of(LIVE_ROUTES.get(0), new RoutePlan("10.0.2.0/24", List.of("10.100.0.9"), "eth0", false),
                new RoutePlan("192.168.9.0/24", List.of("10.100.0.1"), "eth0", false)), RULES, true, "1"));
        assertThat(diff).extracting(Object::toString).containsExactly(
                "node1: route 10.0.2.0/24: expected via 10.100.0.3, found via 10.100.0.9 dev eth0",
                "node1: unexpected route 192.168.9.0/24: via 10.100.0.1 dev eth0");
    }

    @Test
    void linkStateSysctlsAndRules() {
        String changed = RULES.replace("-A KUBE-SERVICES -j RETURN\n", "-A KUBE-SERVICES -j DROP\n");
        var diff = PlanDiff.compare(node(), live(LIVE_ROUTES, changed, false, "0"));
        assertThat(diff).extracting(Object::toString).containsExactly(
                "node1: link cbr0 state: expected up, found down",
                "node1: sysctl net.ipv4.ip_forward: expected 1, found 0",
                "node1: missing iptables-legacy rule: -A KUBE-SERVICES -j RETURN",
                "node1: unexpected iptables-legacy rule: -A KUBE-SERVICES -j DROP");
    }

    @Test
    void rulesInAnotherOrderAreADifference() {
        String swapped = RULES.replace("-A KUBE-SERVICES -d 10.3.241.152/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-X\n-A KUBE-SERVICES -j RETURN\n",
                "-A KUBE-SERVICES -j RETURN\n-A KUBE-SERVICES -d 10.3.241.152/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-X\n");
        assertThat(PlanDiff.compare(node(), live(LIVE_ROUTES, swapped, true, "1"))).extracting(PlanDiff.Difference::what)
                .containsExactly("iptables-legacy chain nat/KUBE-SERVICES order");
    }

    @Test
    void aMissingNamespaceIsOneDifference() {
        assertThat(PlanDiff.compare(node(), LiveMachine.missing("node1"))).extracting(Object::toString)
                .containsExactly("node1: missing network namespace knl-x-node1");
    }

    @Test
    void aRouteMatchesWhateverDeviceTheKernelPickedUnlessPlanned() {
        assertThat(PlanDiff.matches(RoutePlan.via("default", "10.0.0.1"), new RoutePlan("default", List.of("10.0.0.1"), "eth0", false))).isTrue();
        assertThat(PlanDiff.matches(new RoutePlan("x", List.of("1.2.3.4"), "flannel.1", true), new RoutePlan("x", List.of("1.2.3.4"), "eth0", true))).isFalse();
        assertThat(PlanDiff.matches(RoutePlan.multipath("y", List.of("a", "b")), new RoutePlan("y", List.of("b", "a"), null, false))).isTrue();
    }

    /** {@code nft list ruleset} of a small kube-proxy-like table, captured from nft 1.0.6. */
    static final String NFT = "table ip kube-proxy {\n"
            + "\tcomment \"rules for kube-proxy\"\n"
            + "\tset cluster-ips {\n"
            + "\t\ttype ipv4_addr\n"
            + "\t\tcomment \"Active ClusterIPs\"\n"
            + "\t\telements = { 10.3.240.10, 10.3.241.152,\n"
            + "\t\t\t     10.3.251.232 }\n"
            + "\t}\n"
            + "\n"
            + "\tmap service-ips {\n"
            + "\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n"
            + "\t\tcomment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\"\n"
            + "\t\telements = { 10.3.240.10 . udp . 53 : goto service-abc,\n"
            + "\t\t\t     10.3.241.152 . tcp . 80 : goto service-abc }\n"
            + "\t}\n"
            + "\n"
            + "\tset affinity-x {\n"
            + "\t\ttype ipv4_addr\n"
            + "\t\tflags dynamic,timeout\n"
            + "\t\ttimeout 3h\n"
            + "\t}\n"
            + "\n"
            + "\tchain services {\n"
            + "\t\tip daddr . meta l4proto . th dport vmap @service-ips\n"
            + "\t}\n"
            + "\n"
            + "\tchain service-abc {\n"
            + "\t\tcounter packets 0 bytes 0 ip saddr 10.0.0.1 drop\n"
            + "\t}\n"
            + "\n"
            + "\tchain nat-prerouting {\n"
            + "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
            + "\t\tjump services\n"
            + "\t}\n"
            + "}\n"
            + "";

    @Test
    void nftListingsAreComparedBlockByBlockWithElementsSorted() {
        var blocks = PlanDiff.nftBlocks(NFT);
        assertThat(blocks.keySet()).containsExactly("ip kube-proxy/set cluster-ips", "ip kube-proxy/map service-ips",
                "ip kube-proxy/set affinity-x", "ip kube-proxy/chain services", "ip kube-proxy/chain service-abc", "ip kube-proxy/chain nat-prerouting");
        assertThat(blocks.get("ip kube-proxy/set cluster-ips")).containsExactly("type ipv4_addr", "comment \"Active ClusterIPs\"",
                "element 10.3.240.10", "element 10.3.241.152", "element 10.3.251.232");
        assertThat(blocks.get("ip kube-proxy/chain service-abc")).containsExactly("counter ip saddr 10.0.0.1 drop");
        // A dynamic set's elements are traffic (affinity), not plan.
        String withAffinity = NFT.replace("timeout 3h\n", "timeout 3h\n\t\telements = { 10.0.1.3 timeout 3h expires 2h59m }\n");
        assertThat(PlanDiff.nftBlocks(withAffinity)).isEqualTo(blocks);
        // Listing order of elements is the kernel's: not a difference. A missing element is.
        String reordered = NFT.replace("10.3.240.10, 10.3.241.152,", "10.3.241.152, 10.3.240.10,");
        List<PlanDiff.Difference> none = new java.util.ArrayList<>();
        PlanDiff.rules("node1", Ruleset.NFTABLES, NFT, reordered, none);
        assertThat(none).isEmpty();
        List<PlanDiff.Difference> one = new java.util.ArrayList<>();
        PlanDiff.rules("node1", Ruleset.NFTABLES, NFT, NFT.replace(" 10.3.241.152,", ""), one);
        assertThat(one).extracting(Object::toString).containsExactly("node1: missing nftables ip kube-proxy/set cluster-ips: element 10.3.241.152");
    }
}
