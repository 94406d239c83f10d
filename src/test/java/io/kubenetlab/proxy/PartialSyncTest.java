package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.NODE;
import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Partial syncs: unchanged per-service chains are left out, changed ones rewritten, gone ones deleted. */
class PartialSyncTest {
    private static final ServiceEndpoints ARTICLE = svc("default", "service-test", "", "10.3.241.152", 80)
            .with(ready("10.0.2.2:8080", "node2"), ready("10.0.1.2:8080", "node1"));
    private static final ServiceEndpoints OTHER = svc("ns1", "other", "p80", "10.3.240.20", 80).with(ready("10.0.1.7:80", "node1"));

    @Test
    void nothingChangedWritesOnlyTheTopLevelChains() {
        String full = KubeProxyRules.render(List.of(ARTICLE, OTHER), NODE);
        String partial = PartialSync.restoreText(full, full);
        assertThat(partial).contains("*filter\n", "*nat\n", ":KUBE-SERVICES - [0:0]", "-A KUBE-SERVICES -m comment --comment \"default/service-test cluster IP\"")
                .doesNotContain(":KUBE-SVC-", ":KUBE-SEP-", "-A KUBE-SEP-", "-A KUBE-SVC-", "-X ");
        // The nodeports rule stays the last of KUBE-SERVICES.
        List<String> services = partial.lines().filter(l -> l.startsWith("-A KUBE-SERVICES")).toList();
        assertThat(services.get(services.size() - 1)).contains("kubernetes service nodeports");
    }

    @Test
    void aRemovedEndpointRewritesItsServiceAndDeletesItsChainOnly() {
        String before = KubeProxyRules.render(List.of(ARTICLE, OTHER), NODE);
        ServiceEndpoints one = svc("default", "service-test", "", "10.3.241.152", 80).with(ready("10.0.1.2:8080", "node1"));
        String after = KubeProxyRules.render(List.of(one, OTHER), NODE);
        String partial = PartialSync.restoreText(before, after);
        var beforeSeps = PartialSync.chains(before, "nat").stream().filter(c -> c.startsWith("KUBE-SEP-")).toList();
        var afterSeps = PartialSync.chains(after, "nat").stream().filter(c -> c.startsWith("KUBE-SEP-")).toList();
        String gone = beforeSeps.stream().filter(c -> !afterSeps.contains(c)).findFirst().orElseThrow();
        assertThat(partial).contains(":" + gone + " - [0:0]", "-X " + gone);
        String svcChain = PartialSync.chains(after, "nat").stream().filter(c -> c.startsWith("KUBE-SVC-")
                && after.contains("-A " + c + " -m comment --comment \"default/service-test -> 10.0.1.2:8080\"")).findFirst().orElseThrow();
        assertThat(partial).contains(":" + svcChain + " - [0:0]");
        // The other service and the surviving endpoint's chain are untouched.
        assertThat(partial).doesNotContain("-> 10.0.1.7:80\"", "-A KUBE-SEP-").contains("-A " + svcChain);
        assertThat(partial.length()).isLessThan(after.length());
    }

    @Test
    void aChangedEndpointChainIsRewritten() {
        String before = KubeProxyRules.render(List.of(OTHER), NODE);
        ServiceEndpoints sticky = svc("ns1", "other", "p80", "10.3.240.20", 80).sticky(60).with(ready("10.0.1.7:80", "node1"));
        String after = KubeProxyRules.render(List.of(sticky), NODE);
        assertThat(PartialSync.restoreText(before, after)).contains("-A KUBE-SEP-").contains("--set");
    }

    /**
     * Section 9, from a node's iptables-save (a controller that just started): our chains that are no
     * longer declared are flushed and deleted; chains of others and the top-level ones are not.
     */
    @Test
    void staleChainsAreFlushedAndDeleted() {
        String save = """
                *nat
                :PREROUTING ACCEPT [0:0]
                :DOCKER - [0:0]
                :KUBE-MARK-MASQ - [0:0]
                :KUBE-SERVICES - [0:0]
                :KUBE-SEP-GONE1234567890AB - [0:0]
                :KUBE-SVC-OLDSERVICE123456 - [0:0]
                -A KUBE-SVC-OLDSERVICE123456 -j KUBE-SEP-GONE1234567890AB
                COMMIT
                """;
        String out = PartialSync.restoreText(save, KubeProxyRules.render(List.of(), NODE));
        assertThat(out).contains(":KUBE-SEP-GONE1234567890AB - [0:0]\n", ":KUBE-SVC-OLDSERVICE123456 - [0:0]\n",
                "-X KUBE-SEP-GONE1234567890AB\n", "-X KUBE-SVC-OLDSERVICE123456\n").doesNotContain("-X DOCKER", "-X KUBE-MARK-MASQ", "-X KUBE-SERVICES");
        String nothingStale = "*nat\n:KUBE-SERVICES - [0:0]\n:OTHER - [0:0]\nCOMMIT\n";
        assertThat(PartialSync.restoreText(nothingStale, KubeProxyRules.render(List.of(), NODE))).as("nothing of ours is stale").doesNotContain("-X ");
        assertThat(PartialSync.chains(out, "nat")).contains("KUBE-SERVICES", "KUBE-SEP-GONE1234567890AB").doesNotContain("KUBE-FORWARD");
    }
}
