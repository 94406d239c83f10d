package io.kubenetlab.proxy;

import io.kubenetlab.plan.Ruleset;
import java.util.List;

/**
 * kube-proxy's iptables mode ({@code pkg/proxy/iptables}): the jump chains from the built-in chains,
 * loaded once on a fresh node, then the rules of a full sync, loaded at chain granularity.
 */
final class IptablesBackend implements ProxyBackend {
    static final String OWNER = "kube-proxy";

    @Override
    public String mode() {
        return "iptables";
    }

    @Override
    public List<Ruleset> rulesets(List<ServiceEndpoints> services, NodeSettings node) {
        return List.of(
                new Ruleset(OWNER + "-jumps", Ruleset.IPTABLES_LEGACY, Ruleset.Sync.ONCE, KubeProxyRules.bootstrap()),
                new Ruleset(OWNER, Ruleset.IPTABLES_LEGACY, Ruleset.Sync.INCREMENTAL, KubeProxyRules.render(services, node)));
    }

    @Override
    public boolean syncsFromLiveState() {
        return true;
    }

    @Override
    public String syncText(String holds, String next) {
        return PartialSync.restoreText(holds, next);
    }
}
