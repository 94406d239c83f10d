package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.svc;
import static io.kubenetlab.proxy.NftablesUpstreamTest.UPSTREAM_NODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Partial and full syncs, applied to {@link FakeNft} (which refuses what nft refuses). The kernel's own
 * verdict on the same kinds of transactions is NftablesRulesLoadIT's.
 */
class NftablesSyncTest {
    private static final ServiceEndpoints TWO = svc("ns1", "svc1", "p80", "172.30.0.41", 80)
            .with(ready("10.180.0.1:80", null), ready("10.180.0.2:80", null));
    private static final ServiceEndpoints OTHER = svc("ns2", "svc2", "p8080", "172.30.0.42", 8080).with(ready("10.0.2.1:8080", null));

    private static String render(ServiceEndpoints... services) {
        return NftablesRules.render(List.of(services), UPSTREAM_NODE);
    }

    @Test
    void nothingChangedIsAnEmptyTransaction() {
        String r = render(TWO, OTHER);
        assertThat(NftablesSync.syncText(r, r)).isEmpty();
    }

    @Test
    void aRemovedEndpointRewritesItsServiceChainAndDeletesItsChainOnly() {
        String before = render(TWO, OTHER);
        String after = render(svc("ns1", "svc1", "p80", "172.30.0.41", 80).with(ready("10.180.0.1:80", null)), OTHER);
        assertThat(NftablesSync.syncText(before, after)).isEqualTo("""
                add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
                flush chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
                flush chain ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80
                add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
                add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 }
                delete chain ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80
                """);
        assertAppliesTo(before, after);
    }

    @Test
    void aNewServiceAddsItsChainsAndElements() {
        String before = render(OTHER);
        String after = render(OTHER, svc("ns3", "svc3", "p80", "172.30.0.43", 80).nodePort(3003).with(ready("10.0.3.1:80", null)));
        assertThat(NftablesSync.syncText(before, after)).isEqualTo("""
                add chain ip kube-proxy endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80
                flush chain ip kube-proxy endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80
                add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
                flush chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
                add chain ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80
                flush chain ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80
                add rule ip kube-proxy endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80 ip saddr 10.0.3.1 jump mark-for-masquerade
                add rule ip kube-proxy endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80 meta l4proto tcp dnat to 10.0.3.1:80
                add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
                add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80 }
                add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 jump mark-for-masquerade
                add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 goto service-4AT6LBPK-ns3/svc3/tcp/p80
                add element ip kube-proxy cluster-ips { 172.30.0.43 }
                add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
                add element ip kube-proxy service-nodeports { tcp . 3003 : goto external-4AT6LBPK-ns3/svc3/tcp/p80 }
                """);
        assertAppliesTo(before, after);
    }

    /** Losing its endpoints moves a service from service-ips to no-endpoint-services and deletes its chains. */
    @Test
    void aServiceLosingItsEndpointsRejectsAndDropsItsChains() {
        String before = render(TWO);
        String after = render(svc("ns1", "svc1", "p80", "172.30.0.41", 80).with());
        assertThat(NftablesSync.syncText(before, after)).isEqualTo("""
                delete element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 }
                flush chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
                flush chain ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80
                flush chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
                delete chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
                delete chain ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80
                delete chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
                add element ip kube-proxy no-endpoint-services { 172.30.0.41 . tcp . 80 comment "ns1/svc1:p80" : goto reject-chain }
                """);
        assertAppliesTo(before, after);
    }

    /** A stale affinity set goes after the rules using it; a changed timeout re-declares the set in place. */
    @Test
    void affinitySetsFollowTheirEndpoints() {
        ServiceEndpoints sticky = svc("ns1", "svc1", "p80", "172.30.0.41", 80).sticky(300)
                .with(ready("10.180.0.1:80", null), ready("10.180.0.2:80", null));
        String before = render(sticky);
        String fewer = render(svc("ns1", "svc1", "p80", "172.30.0.41", 80).sticky(300).with(ready("10.180.0.1:80", null)));
        List<String> tx = NftablesSync.syncText(before, fewer).lines().toList();
        int flushUser = tx.indexOf("flush chain ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80");
        int deleteSet = tx.indexOf("delete set ip kube-proxy affinity-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80");
        assertThat(flushUser).isNotNegative().isLessThan(deleteSet);
        assertAppliesTo(before, fewer);

        String longer = render(svc("ns1", "svc1", "p80", "172.30.0.41", 80).sticky(600).with(ready("10.180.0.1:80", null)));
        assertThat(NftablesSync.syncText(fewer, longer)).isEqualTo(
                "add set ip kube-proxy affinity-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 600s ; }\n");
    }

    /** A node setting changes the top-level chains only: here the mark, in its two chains. */
    @Test
    void aNewMasqueradeBitRewritesTheMasqueradeChains() {
        String before = render(TWO);
        NodeSettings bit15 = new NodeSettings("test-hostname", UPSTREAM_NODE.nodeIP(), UPSTREAM_NODE.clusterCidr(), false, 15, true, true,
                UPSTREAM_NODE.serviceCidr());
        String after = NftablesRules.render(List.of(TWO), bit15);
        assertThat(NftablesSync.syncText(before, after)).isEqualTo("""
                add chain ip kube-proxy masquerading
                flush chain ip kube-proxy masquerading
                add chain ip kube-proxy mark-for-masquerade
                flush chain ip kube-proxy mark-for-masquerade
                add rule ip kube-proxy masquerading mark and 0x00008000 == 0 return
                add rule ip kube-proxy masquerading mark set mark xor 0x00008000
                add rule ip kube-proxy masquerading masquerade fully-random
                add rule ip kube-proxy mark-for-masquerade mark set mark or 0x00008000
                """);
        assertAppliesTo(before, after);
    }

    /**
     * Unknown previous state (nothing, or nft's own listing): flush whatever table is there, re-declare the
     * base chains, flush the static sets and maps (not the affinity ones), write everything.
     */
    @Test
    void anUnknownPreviousStateIsAFullSync() {
        ServiceEndpoints sticky = svc("ns1", "svc1", "p80", "172.30.0.41", 80).sticky(300).with(ready("10.180.0.1:80", null));
        String next = render(sticky);
        String full = NftablesSync.syncText(null, next);
        assertThat(full).startsWith("""
                add table ip kube-proxy
                flush table ip kube-proxy
                add chain ip kube-proxy filter-prerouting
                delete chain ip kube-proxy filter-prerouting
                add chain ip kube-proxy filter-input
                delete chain ip kube-proxy filter-input
                """).contains("flush map ip kube-proxy service-ips\n", "flush set ip kube-proxy cluster-ips\n")
                .doesNotContain("flush set ip kube-proxy affinity-")
                .endsWith(next.substring(next.indexOf("add chain ")));
        assertThat(NftablesSync.syncText("", next)).isEqualTo(full);
        assertThat(NftablesSync.syncText("table ip kube-proxy {\n}\n", next)).isEqualTo(full);

        FakeNft nft = new FakeNft();
        nft.apply(full);
        nft.apply(full); // again over itself: a restarted controller
        assertThat(NftDumps.canonical(nft.dump())).isEqualTo(NftDumps.canonical(next));
    }

    /** A full sync over our own older table also deletes the chains and sets it knows are stale. */
    @Test
    void aFullSyncFromAKnownTableDeletesItsStaleObjects() {
        String before = render(svc("ns1", "svc1", "p80", "172.30.0.41", 80).sticky(300).with(ready("10.180.0.1:80", null)), OTHER);
        String after = render(OTHER);
        NftTable from = NftText.parse(before).orElseThrow();
        String full = NftablesSync.full(from, NftText.parse(after).orElseThrow());
        assertThat(full).contains("delete set ip kube-proxy affinity-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80\n",
                "delete chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80\n");
        FakeNft nft = new FakeNft();
        nft.apply(before);
        nft.apply(full);
        assertThat(NftDumps.canonical(nft.dump())).isEqualTo(NftDumps.canonical(after));
    }

    /** The fake is only worth its checks: these are nft's refusals that the orderings above avoid. */
    @Test
    void theFakeRefusesWhatNftRefuses() {
        FakeNft nft = new FakeNft();
        String r = render(TWO);
        nft.apply(NftablesSync.syncText(null, r));
        String chain = "service-ULMVA6XW-ns1/svc1/tcp/p80";
        assertThatThrownBy(() -> nft.apply("flush chain ip kube-proxy " + chain + "\ndelete chain ip kube-proxy " + chain + "\n"))
                .hasMessageContaining("busy"); // service-ips still points at it
        assertThatThrownBy(() -> nft.apply("add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }\n"))
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> nft.apply("delete element ip kube-proxy service-ips { 1.1.1.1 . tcp . 1 }\n")).hasMessageContaining("element");
        assertThatThrownBy(() -> nft.apply("add rule ip kube-proxy services goto nowhere\n")).hasMessageContaining("no such chain");
        assertThatThrownBy(() -> nft.apply("add rule ip kube-proxy services ip saddr @nothing drop\n")).hasMessageContaining("no such set");
        // All or nothing: the first command of a failed transaction is not applied either.
        assertThatThrownBy(() -> nft.apply("flush chain ip kube-proxy services\ndelete chain ip kube-proxy nowhere\n"));
        assertThat(NftDumps.canonical(nft.dump())).isEqualTo(NftDumps.canonical(r));
    }

    @Test
    void nextMustBeARenderedTable() {
        assertThatThrownBy(() -> NftablesSync.syncText(null, "table ip kube-proxy {\n}\n")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Between any two of these states, a partial sync lands exactly on the second one. */
    @Test
    void everyTransitionLandsOnTheNextState() {
        List<String> states = List.of(
                render(),
                render(TWO, OTHER),
                NftablesRules.render(NftablesRulesLoadIT.SERVICES, UPSTREAM_NODE),
                NftablesRules.render(NftablesRulesLoadIT.CHANGED, UPSTREAM_NODE),
                render(svc("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(3001).loadBalancerIPs("1.2.3.4")
                        .sourceRanges("203.0.113.0/25").externalPolicyLocal().sticky(60).with(ready("10.180.0.2:80", "test-hostname"))));
        for (String a : states) {
            for (String b : states) assertAppliesTo(a, b);
        }
    }

    /** From a fresh table in state {@code before}, the partial sync lands exactly on {@code after}. */
    static void assertAppliesTo(String before, String after) {
        FakeNft nft = new FakeNft();
        nft.apply(NftablesSync.syncText(null, before));
        nft.apply(NftablesSync.syncText(before, after));
        assertThat(NftDumps.canonical(nft.dump())).isEqualTo(NftDumps.canonical(after));
    }
}
