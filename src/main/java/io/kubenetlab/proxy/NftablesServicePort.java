package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.NftablesBase.CLUSTER_IPS;
import static io.kubenetlab.proxy.NftablesBase.FIREWALL_IPS;
import static io.kubenetlab.proxy.NftablesBase.MARK_MASQ;
import static io.kubenetlab.proxy.NftablesBase.NO_ENDPOINT_NODEPORTS;
import static io.kubenetlab.proxy.NftablesBase.NO_ENDPOINT_SERVICES;
import static io.kubenetlab.proxy.NftablesBase.REJECT_CHAIN;
import static io.kubenetlab.proxy.NftablesBase.SERVICE_IPS;
import static io.kubenetlab.proxy.NftablesBase.SERVICE_NODEPORTS;

import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one service port adds to the table (upstream syncProxyRules' loop body, v1.33): its
 * addresses in the dispatch maps, or in the no-endpoint maps with a drop or reject verdict, and its
 * chains: service- (Cluster policy), local- (Local policy), external-, firewall-, one endpoint- per
 * endpoint, plus one affinity- set per endpoint with ClientIP affinity. Section 5 of
 * docs/kube-proxy-nftables.md.
 */
final class NftablesServicePort {
    private final NftTable.Builder t;
    private final EndpointCategories eps;
    private final NodeSettings node;
    private final ServicePort sp;
    private final String spn;
    private final String proto;

    private NftablesServicePort(NftTable.Builder t, EndpointCategories eps, NodeSettings node) {
        this.t = t;
        this.eps = eps;
        this.node = node;
        this.sp = eps.service();
        this.spn = ChainNames.servicePortName(sp);
        this.proto = ChainNames.protocol(sp);
    }

    static void write(NftTable.Builder t, EndpointCategories eps, NodeSettings node) {
        new NftablesServicePort(t, eps, node).write();
    }

    private void write() {
        String clusterChain = NftablesNames.service(sp);
        String localChain = NftablesNames.local(sp);
        String externalChain = NftablesNames.external(sp);
        String fwChain = NftablesNames.firewall(sp);
        for (Endpoint ep : eps.allReachable()) t.chain(NftablesNames.endpoint(sp, ep));
        if (eps.usesClusterChain()) t.chain(clusterChain);
        if (eps.usesLocalChain()) t.chain(localChain);
        if (eps.usesExtChain()) t.chain(externalChain);

        boolean hasEndpoints = eps.hasEndpoints();
        boolean hasInternal = eps.hasInternalEndpoints();
        boolean hasExternal = eps.hasExternalEndpoints();
        String internalChain = sp.internalPolicyLocal() ? localChain : clusterChain;
        String externalPolicyChain = sp.externalPolicyLocal() ? localChain : clusterChain;
        // No endpoint anywhere: reject. Endpoints, but none this traffic policy may use: drop.
        String internalVerdict = hasEndpoints ? "drop" : "goto " + REJECT_CHAIN;
        String externalVerdict = internalVerdict;

        // The cluster IP is "active" with or without endpoints: only its unserved ports are rejected.
        t.element(CLUSTER_IPS, sp.clusterIP().toString(), null, null);
        if (hasInternal) {
            t.element(SERVICE_IPS, dest(sp.clusterIP()), null, "goto " + internalChain);
        } else {
            t.element(NO_ENDPOINT_SERVICES, dest(sp.clusterIP()), spn, internalVerdict);
        }
        for (Ipv4 ip : sp.externalIPs()) {
            if (hasEndpoints) t.element(SERVICE_IPS, dest(ip), null, "goto " + externalChain);
            if (!hasExternal) t.element(NO_ENDPOINT_SERVICES, dest(ip), spn, externalVerdict);
        }
        // Unlike iptables mode, the firewall chain does not depend on endpoints (upstream's usesFWChain).
        boolean usesFw = !sp.loadBalancerIPs().isEmpty() && !sp.loadBalancerSourceRanges().isEmpty();
        if (usesFw) t.chain(fwChain);
        for (Ipv4 ip : sp.loadBalancerIPs()) {
            if (hasEndpoints) t.element(SERVICE_IPS, dest(ip), null, "goto " + externalChain);
            if (usesFw) t.element(FIREWALL_IPS, dest(ip), null, "goto " + fwChain);
        }
        if (!hasExternal) {
            for (Ipv4 ip : sp.loadBalancerIPs()) t.element(NO_ENDPOINT_SERVICES, dest(ip), spn, externalVerdict);
        }
        // NodePorts are not subject to loadBalancerSourceRanges, "for better or for worse" (upstream).
        if (sp.nodePort() != 0) {
            String key = proto + " . " + sp.nodePort();
            if (hasEndpoints) t.element(SERVICE_NODEPORTS, key, null, "goto " + externalChain);
            if (!hasExternal) t.element(NO_ENDPOINT_NODEPORTS, key, spn, externalVerdict);
        }

        Cidr podCidr = node.clusterCidr();
        if (hasInternal) {
            // Masquerade off-cluster traffic to the cluster IP: the node may bridge it to an endpoint elsewhere.
            String match = "ip daddr " + sp.clusterIP() + " " + proto + " dport " + sp.port();
            if (node.masqueradeAll()) {
                t.rule(internalChain, match + " jump " + MARK_MASQ);
            } else if (podCidr != null) {
                t.rule(internalChain, match + " ip saddr != " + podCidr + " jump " + MARK_MASQ);
            }
        }
        if (eps.usesExtChain()) writeExternalChain(externalChain, clusterChain, externalPolicyChain, hasExternal);
        if (usesFw) writeFirewallChain(fwChain);

        boolean affinity = sp.stickySeconds() > 0;
        if (affinity) {
            // Affinity is per client IP and service port, whichever service address was used (as in iptables mode).
            // "dynamic" too: some kernels add it to a set a rule updates, and a later add without it would fail.
            for (Endpoint ep : eps.allReachable()) {
                t.set(NftablesNames.affinity(sp, ep), "{ type ipv4_addr ; flags dynamic,timeout ; timeout " + sp.stickySeconds() + "s ; }");
            }
        }
        if (eps.usesClusterChain()) writeServiceToEndpointRules(clusterChain, eps.cluster());
        if (eps.usesLocalChain()) writeServiceToEndpointRules(localChain, eps.local());
        for (Endpoint ep : eps.allReachable()) {
            String chain = NftablesNames.endpoint(sp, ep);
            // Hairpin: a pod reaching itself through the service must see the node as source, not itself.
            t.rule(chain, "ip saddr " + ep.ip() + " jump " + MARK_MASQ);
            if (affinity) t.rule(chain, "update @" + NftablesNames.affinity(sp, ep) + " { ip saddr }");
            t.rule(chain, "meta l4proto " + proto + " dnat to " + ChainNames.endpoint(ep));
        }
    }

    private void writeExternalChain(String chain, String clusterChain, String externalPolicyChain, boolean hasExternal) {
        if (!sp.externalPolicyLocal()) {
            // Endpoints may be on other nodes: masquerade so that replies come back through this node.
            t.rule(chain, "jump " + MARK_MASQ);
        } else {
            // ETP=Local keeps the client's source. Pods and the node itself are sent to all endpoints, as if
            // they had gone out to a load balancer and back.
            if (node.clusterCidr() != null) {
                t.rule(chain, "ip saddr " + node.clusterCidr() + " goto " + clusterChain + " comment \"short-circuit pod traffic\"");
            }
            // The node's own traffic to a local LB IP has that IP as source: masquerade it.
            t.rule(chain, "fib saddr type local jump " + MARK_MASQ + " comment \"masquerade local traffic\"");
            t.rule(chain, "fib saddr type local goto " + clusterChain + " comment \"short-circuit local traffic\"");
        }
        if (hasExternal) t.rule(chain, "goto " + externalPolicyChain);
    }

    /** Sources outside loadBalancerSourceRanges are dropped; anything else returns to firewall-check and on. */
    private void writeFirewallChain(String chain) {
        List<String> sources = new ArrayList<>();
        boolean allowFromNode = false;
        for (Cidr range : sp.loadBalancerSourceRanges()) {
            sources.add(range.toString());
            allowFromNode |= node.nodeIP() != null && range.contains(node.nodeIP());
        }
        if (allowFromNode) {
            // A VIP that is a local address loops back with the VIP as source, not this node's IP.
            for (Ipv4 ip : sp.loadBalancerIPs()) sources.add(ip.toString());
        }
        // knftables.Concat joins every token with a space, the "," included.
        t.rule(chain, "ip saddr != { " + String.join(" , ", sources) + " } drop");
    }

    /** ClientIP affinity first sends known clients back to their endpoint; then numgen picks one uniformly. */
    private void writeServiceToEndpointRules(String chain, List<Endpoint> endpoints) {
        if (sp.stickySeconds() > 0) {
            for (Endpoint ep : endpoints) {
                t.rule(chain, "ip saddr @" + NftablesNames.affinity(sp, ep) + " goto " + NftablesNames.endpoint(sp, ep));
            }
        }
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) entries.add(i + " : goto " + NftablesNames.endpoint(sp, endpoints.get(i)));
        t.rule(chain, "numgen random mod " + endpoints.size() + " vmap { " + String.join(" , ", entries) + " }");
    }

    private String dest(Ipv4 ip) {
        return ip + " . " + proto + " . " + sp.port();
    }
}
