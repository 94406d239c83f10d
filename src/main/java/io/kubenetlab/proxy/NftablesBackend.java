package io.kubenetlab.proxy;

import io.kubenetlab.plan.Ruleset;
import java.util.List;

/**
 * kube-proxy's nftables mode ({@code pkg/proxy/nftables}): one table, {@code ip kube-proxy}, that holds
 * its own base chains, so nothing is loaded once beforehand; changes are loaded at chain and element
 * granularity.
 */
final class NftablesBackend implements ProxyBackend {
    static final String OWNER = "kube-proxy";

    @Override
    public java.util.Map<String, String> hostTools() {
        return java.util.Map.of("nft", "nftables");
    }

    @Override
    public String mode() {
        return "nftables";
    }

    @Override
    public List<Ruleset> rulesets(List<ServiceEndpoints> services, NodeSettings node) {
        return List.of(new Ruleset(OWNER, Ruleset.NFTABLES, Ruleset.Sync.INCREMENTAL, NftablesRules.render(services, node)));
    }

    @Override
    public String syncText(String holds, String next) {
        return NftablesSync.syncText(holds, next);
    }
}
