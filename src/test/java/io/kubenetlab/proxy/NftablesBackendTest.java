package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.svc;
import static io.kubenetlab.proxy.NftablesUpstreamTest.UPSTREAM_NODE;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.plan.Ruleset;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftablesBackendTest {
    private static final List<ServiceEndpoints> SERVICES = List.of(svc("ns1", "svc1", "p80", "172.30.0.41", 80).with(ready("10.180.0.1:80", null)));

    @Test
    void registeredAsTheNftablesMode() {
        assertThat(ProxyBackends.modes()).containsExactly("iptables", "nftables");
        assertThat(ProxyBackends.of("nftables").mode()).isEqualTo("nftables");
    }

    @Test
    void oneIncrementalRulesetHoldingTheWholeTable() {
        List<Ruleset> rulesets = ProxyBackends.of("nftables").rulesets(SERVICES, UPSTREAM_NODE);
        assertThat(rulesets).hasSize(1);
        Ruleset r = rulesets.get(0);
        assertThat(r.owner()).isEqualTo("kube-proxy");
        assertThat(r.backend()).isEqualTo(Ruleset.NFTABLES);
        assertThat(r.sync()).isEqualTo(Ruleset.Sync.INCREMENTAL);
        assertThat(r.text()).isEqualTo(NftablesRules.render(SERVICES, UPSTREAM_NODE));
        assertThat(r.tables()).containsExactly("ip kube-proxy");
    }

    @Test
    void syncTextIsTheNftablesSync() {
        ProxyBackend b = ProxyBackends.of("nftables");
        String text = NftablesRules.render(SERVICES, UPSTREAM_NODE);
        assertThat(b.syncText(text, text)).isEmpty();
        assertThat(b.syncText(null, text)).isEqualTo(NftablesSync.syncText(null, text)).startsWith("add table ip kube-proxy\nflush table ip kube-proxy\n");
    }
}
