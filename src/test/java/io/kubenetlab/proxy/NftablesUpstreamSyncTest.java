package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.svc;
import static io.kubenetlab.proxy.NftablesUpstreamTest.BASE_RULES;
import static io.kubenetlab.proxy.NftablesUpstreamTest.UPSTREAM_NODE;
import static io.kubenetlab.proxy.NftablesUpstreamTest.asUpstreamMark;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Upstream's TestSyncProxyRulesRepeated (v1.33), step by step: the same services and endpoint changes,
 * each synced from the previous state into {@link FakeNft}, whose table is compared with upstream's
 * literal dump after upstream's canonical sort, and the number of commands with upstream's
 * NumOperations(). Two deliberate differences, both in the expectations below:
 * <ul>
 *   <li>Stale chains: upstream flushes them and deletes them in a later, separate transaction (for
 *       kernels before 6.2); we delete them in the same transaction, after their last reference. So
 *       upstream's dumps show those chains empty for one step where ours no longer have them, and our
 *       counts include the deletes.</li>
 *   <li>Granularity: upstream rewrites every chain of a changed Service; we rewrite the chains whose
 *       rules changed, so an endpoint chain that did not change is not written again.</li>
 * </ul>
 */
class NftablesUpstreamSyncTest {
    private static final String SVC1 = """
            add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
            add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
            add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5TPGNJF2-ns1/svc1/tcp/p80__10.0.1.1/80 }
            add chain ip kube-proxy endpoint-5TPGNJF2-ns1/svc1/tcp/p80__10.0.1.1/80
            add rule ip kube-proxy endpoint-5TPGNJF2-ns1/svc1/tcp/p80__10.0.1.1/80 ip saddr 10.0.1.1 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-5TPGNJF2-ns1/svc1/tcp/p80__10.0.1.1/80 meta l4proto tcp dnat to 10.0.1.1:80
            """;
    private static final String SVC2 = """
            add chain ip kube-proxy service-MHHHYRWA-ns2/svc2/tcp/p8080
            add rule ip kube-proxy service-MHHHYRWA-ns2/svc2/tcp/p8080 ip daddr 172.30.0.42 tcp dport 8080 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
            add rule ip kube-proxy service-MHHHYRWA-ns2/svc2/tcp/p8080 numgen random mod 1 vmap { 0 : goto endpoint-7RVP4LUQ-ns2/svc2/tcp/p8080__10.0.2.1/8080 }
            add chain ip kube-proxy endpoint-7RVP4LUQ-ns2/svc2/tcp/p8080__10.0.2.1/8080
            add rule ip kube-proxy endpoint-7RVP4LUQ-ns2/svc2/tcp/p8080__10.0.2.1/8080 ip saddr 10.0.2.1 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-7RVP4LUQ-ns2/svc2/tcp/p8080__10.0.2.1/8080 meta l4proto tcp dnat to 10.0.2.1:8080
            """;
    private static final String SVC3 = """
            add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
            add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
            add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80 }
            add chain ip kube-proxy endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80
            add rule ip kube-proxy endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80 ip saddr 10.0.3.1 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80 meta l4proto tcp dnat to 10.0.3.1:80
            """;
    private static final String SVC3_MOVED = """
            add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
            add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
            add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80 }
            add chain ip kube-proxy endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80
            add chain ip kube-proxy endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80
            add rule ip kube-proxy endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80 ip saddr 10.0.3.2 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80 meta l4proto tcp dnat to 10.0.3.2:80
            """;
    private static final String SVC3_TWO = """
            add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
            add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
            add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80 , 1 : goto endpoint-TQ2QKHCZ-ns3/svc3/tcp/p80__10.0.3.3/80 }
            add chain ip kube-proxy endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80
            add rule ip kube-proxy endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80 ip saddr 10.0.3.2 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80 meta l4proto tcp dnat to 10.0.3.2:80
            add chain ip kube-proxy endpoint-TQ2QKHCZ-ns3/svc3/tcp/p80__10.0.3.3/80
            add rule ip kube-proxy endpoint-TQ2QKHCZ-ns3/svc3/tcp/p80__10.0.3.3/80 ip saddr 10.0.3.3 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-TQ2QKHCZ-ns3/svc3/tcp/p80__10.0.3.3/80 meta l4proto tcp dnat to 10.0.3.3:80
            """;
    private static final String SVC4 = """
            add chain ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80
            add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 ip daddr 172.30.0.44 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
            add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-WAHRBT2B-ns4/svc4/tcp/p80__10.0.4.1/80 }
            add chain ip kube-proxy endpoint-WAHRBT2B-ns4/svc4/tcp/p80__10.0.4.1/80
            add rule ip kube-proxy endpoint-WAHRBT2B-ns4/svc4/tcp/p80__10.0.4.1/80 ip saddr 10.0.4.1 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-WAHRBT2B-ns4/svc4/tcp/p80__10.0.4.1/80 meta l4proto tcp dnat to 10.0.4.1:80
            """;
    /** Upstream's dump keeps a stale chain, flushed, until a later sync deletes it; ours does not. */
    private static final String SVC2_STALE = """
            add chain ip kube-proxy service-MHHHYRWA-ns2/svc2/tcp/p8080
            add chain ip kube-proxy endpoint-7RVP4LUQ-ns2/svc2/tcp/p8080__10.0.2.1/8080
            """;

    private static ServiceEndpoints svc1() {
        return svc("ns1", "svc1", "p80", "172.30.0.41", 80).with(ready("10.0.1.1:80", null));
    }

    private static ServiceEndpoints svc2() {
        return svc("ns2", "svc2", "p8080", "172.30.0.42", 8080).with(ready("10.0.2.1:8080", null));
    }

    private static ServiceEndpoints svc3(String... ipPorts) {
        return svc("ns3", "svc3", "p80", "172.30.0.43", 80).with(List.of(ipPorts).stream().map(e -> ready(e, null)).toList());
    }

    private static ServiceEndpoints svc4(String... ipPorts) {
        return svc("ns4", "svc4", "p80", "172.30.0.44", 80).with(List.of(ipPorts).stream().map(e -> ready(e, null)).toList());
    }

    private final FakeNft nft = new FakeNft();
    private String holds;

    /** Syncs to the services, checks the table against upstream's dump and returns the commands' count. */
    private int sync(String upstreamDump, String ourDifference, ServiceEndpoints... services) {
        String next = NftablesRules.render(List.of(services), UPSTREAM_NODE);
        nft.apply(NftablesSync.syncText(holds, next));
        holds = next;
        String expected = upstreamDump;
        for (String line : ourDifference.lines().toList()) expected = expected.replace(line + "\n", "");
        assertThat(NftDumps.canonical(asUpstreamMark(nft.dump()))).isEqualTo(NftDumps.canonical(expected));
        return nft.lastOperations;
    }

    private int sync(String upstreamDump, ServiceEndpoints... services) {
        return sync(upstreamDump, "", services);
    }

    @Test
    void syncProxyRulesRepeated() {
        List<Integer> ops = new ArrayList<>();
        // Initial state: a full sync.
        sync(BASE_RULES + """
                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy cluster-ips { 172.30.0.42 }
                add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-ips { 172.30.0.42 . tcp . 8080 : goto service-MHHHYRWA-ns2/svc2/tcp/p8080 }
                """ + SVC1 + SVC2, svc1(), svc2());

        // Add a new service and its endpoints: 2 elements, add+flush 2 chains and their 2 rules each (upstream: 10).
        ops.add(sync(BASE_RULES + """
                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy cluster-ips { 172.30.0.42 }
                add element ip kube-proxy cluster-ips { 172.30.0.43 }
                add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-ips { 172.30.0.42 . tcp . 8080 : goto service-MHHHYRWA-ns2/svc2/tcp/p8080 }
                add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
                """ + SVC1 + SVC2 + SVC3, svc1(), svc2(), svc3("10.0.3.1:80")));

        // Delete a service: 2 elements deleted, 2 chains flushed (upstream: 4) and deleted now (upstream: later).
        String afterDelete = BASE_RULES + """
                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy cluster-ips { 172.30.0.43 }
                add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
                """ + SVC1 + SVC2_STALE + SVC3;
        ops.add(sync(afterDelete, SVC2_STALE, svc1(), svc3("10.0.3.1:80")));

        // Upstream's next sync deletes the stale chains in a transaction of their own: nothing left for us (upstream: 0).
        ops.add(sync(afterDelete.replace(SVC2_STALE, ""), svc1(), svc3("10.0.3.1:80")));

        // Add a service without endpoints: cluster-ips and no-endpoint-services (upstream: 2).
        String withSvc4NoEndpoints = BASE_RULES + """
                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy cluster-ips { 172.30.0.43 }
                add element ip kube-proxy cluster-ips { 172.30.0.44 }
                add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
                add element ip kube-proxy no-endpoint-services { 172.30.0.44 . tcp . 80 comment "ns4/svc4:p80" : goto reject-chain }
                """ + SVC1 + SVC3;
        ops.add(sync(withSvc4NoEndpoints, svc1(), svc3("10.0.3.1:80"), svc4()));

        // Then its endpoints: one element out, one in, add+flush 2 chains and 4 rules (upstream: 10).
        String elements3 = """
                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy cluster-ips { 172.30.0.43 }
                add element ip kube-proxy cluster-ips { 172.30.0.44 }
                add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
                add element ip kube-proxy service-ips { 172.30.0.44 . tcp . 80 : goto service-LAUZTJTB-ns4/svc4/tcp/p80 }
                """;
        ops.add(sync(BASE_RULES + elements3 + SVC1 + SVC3 + SVC4, svc1(), svc3("10.0.3.1:80"), svc4("10.0.4.1:80")));

        // Change an endpoint: add+flush the service chain and the new endpoint chain, 4 rules, flush the old
        // endpoint chain (upstream: 9) and delete it (upstream: in a later sync).
        ops.add(sync(BASE_RULES + elements3 + SVC1 + SVC3_MOVED + SVC4,
                "add chain ip kube-proxy endpoint-2OCDJSZQ-ns3/svc3/tcp/p80__10.0.3.1/80",
                svc1(), svc3("10.0.3.2:80"), svc4("10.0.4.1:80")));

        // Add an endpoint: add+flush the service chain and the new endpoint chain, 4 rules. Upstream also
        // rewrites the unchanged endpoint chain of 10.0.3.2 (upstream: 12).
        String twoEndpoints = BASE_RULES + elements3 + SVC1 + SVC3_TWO + SVC4;
        ops.add(sync(twoEndpoints, svc1(), svc3("10.0.3.2:80", "10.0.3.3:80"), svc4("10.0.4.1:80")));

        // Empty the service: one element out, one in, 3 chains flushed (upstream: 5) and deleted (upstream: later).
        String svc3Stale = """
                add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
                add chain ip kube-proxy endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80
                add chain ip kube-proxy endpoint-TQ2QKHCZ-ns3/svc3/tcp/p80__10.0.3.3/80
                """;
        ops.add(sync(BASE_RULES + """
                add element ip kube-proxy cluster-ips { 172.30.0.41 }
                add element ip kube-proxy cluster-ips { 172.30.0.43 }
                add element ip kube-proxy cluster-ips { 172.30.0.44 }
                add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
                add element ip kube-proxy no-endpoint-services { 172.30.0.43 . tcp . 80 comment "ns3/svc3:p80" : goto reject-chain }
                add element ip kube-proxy service-ips { 172.30.0.44 . tcp . 80 : goto service-LAUZTJTB-ns4/svc4/tcp/p80 }
                """ + SVC1 + svc3Stale + SVC4, svc3Stale, svc1(), svc3(), svc4("10.0.4.1:80")));

        // Restore the endpoints: one element out, one in, add+flush 3 chains, 6 rules (upstream: 14).
        ops.add(sync(twoEndpoints, svc1(), svc3("10.0.3.2:80", "10.0.3.3:80"), svc4("10.0.4.1:80")));

        // No change (upstream: 0).
        ops.add(sync(twoEndpoints, svc1(), svc3("10.0.3.2:80", "10.0.3.3:80"), svc4("10.0.4.1:80")));

        assertThat(ops).containsExactly(10, 6, 0, 2, 10, 10, 8, 8, 14, 0);
    }
}
