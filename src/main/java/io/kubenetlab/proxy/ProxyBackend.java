package io.kubenetlab.proxy;

import io.kubenetlab.plan.Ruleset;
import java.util.List;

/**
 * A kube-proxy mode: what it writes on a node (its rulesets, rendered whole from the Services and
 * endpoints it is told about, trusting them as kube-proxy does) and how a change is loaded without
 * rewriting what did not change. Pure; the kernel gateway runs the ruleset backend's tool.
 * {@link ProxyBackends} lists the modes.
 */
public interface ProxyBackend {
    /** kube-proxy's {@code --proxy-mode}: {@code iptables}, {@code nftables}. */
    String mode();

    /** Programs this mode loads its rules with (tool -> Debian package), checked before anything is created. */
    default java.util.Map<String, String> hostTools() {
        return java.util.Map.of();
    }

    /** The rulesets kube-proxy gives this node, in the order they are first loaded. */
    List<Ruleset> rulesets(List<ServiceEndpoints> services, NodeSettings node);

    /**
     * The text that turns the ruleset a node holds ({@code holds}: what we last loaded, or what the
     * backend's save tool read back) into {@code next}, for an {@link Ruleset.Sync#INCREMENTAL} ruleset.
     */
    String syncText(String holds, String next);

    /**
     * Whether a sync without a memory of the last one (a controller that just started) starts from
     * what the node holds, read back with the backend's save tool (iptables: a partial sync from
     * iptables-save); otherwise {@code syncText(null, next)} is a full sync (nftables: listing a big
     * table costs about a second, as upstream notes).
     */
    default boolean syncsFromLiveState() {
        return false;
    }
}
