package io.kubenetlab.proxy;

import java.util.List;

/**
 * kube-proxy's nftables mode (upstream pkg/proxy/nftables, v1.33) for one IPv4 node: the whole
 * {@code table ip kube-proxy} as one {@code nft -f} transaction, for a namespace that does not hold it
 * yet. Pure: the same input always gives the same bytes. {@link NftablesSync} turns what a node holds
 * into it. The rules follow docs/kube-proxy-nftables.md.
 */
public final class NftablesRules {
    static final String FAMILY = "ip";
    static final String TABLE = "kube-proxy";

    private NftablesRules() {}

    /**
     * @throws IllegalArgumentException if two service ports have the same name and protocol
     */
    public static String render(List<ServiceEndpoints> services, NodeSettings node) {
        return RecentTables.write(table(services, node));
    }

    /** Service ports without a cluster IP are skipped; the others go in service port name order. */
    static NftTable table(List<ServiceEndpoints> services, NodeSettings node) {
        NftTable.Builder t = NftTable.builder(FAMILY, TABLE, "rules for kube-proxy");
        NftablesBase.write(t, node);
        for (EndpointCategories port : KubeProxyRules.categorise(services, node.nodeName())) NftablesServicePort.write(t, port, node);
        return t.build();
    }
}
