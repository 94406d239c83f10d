package io.kubenetlab.proxy;

import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;

/**
 * The node kube-proxy runs on and its flags.
 *
 * @param clusterCidr        --cluster-cidr: the local-traffic detector; null = none (no "! -s CIDR" masquerade rules)
 * @param masqueradeAll      --masquerade-all
 * @param masqueradeBit      --iptables-masquerade-bit (default 14: mark 0x00004000)
 * @param localhostNodePorts --iptables-localhost-nodeports (default true; iptables mode only)
 * @param randomFully        whether iptables supports MASQUERADE --random-fully (true from iptables 1.6.2)
 * @param serviceCidr        the cluster's ServiceCIDR; null = unknown. Only the nftables mode uses it: traffic
 *                           to an unallocated address in it is dropped (upstream learns it from ServiceCIDR objects)
 */
public record NodeSettings(String nodeName, Ipv4 nodeIP, Cidr clusterCidr,
        boolean masqueradeAll, int masqueradeBit, boolean localhostNodePorts, boolean randomFully, Cidr serviceCidr) {

    public static NodeSettings of(String nodeName, Ipv4 nodeIP, Cidr clusterCidr) {
        return new NodeSettings(nodeName, nodeIP, clusterCidr, false, 14, true, true, null);
    }

    public NodeSettings withServiceCidr(Cidr cidr) {
        return new NodeSettings(nodeName, nodeIP, clusterCidr, masqueradeAll, masqueradeBit, localhostNodePorts, randomFully, cidr);
    }

    public NodeSettings withMasqueradeAll(boolean all) {
        return new NodeSettings(nodeName, nodeIP, clusterCidr, all, masqueradeBit, localhostNodePorts, randomFully, serviceCidr);
    }
}
