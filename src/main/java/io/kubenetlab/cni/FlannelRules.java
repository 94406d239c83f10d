package io.kubenetlab.cni;

import io.kubenetlab.net.Cidr;

/**
 * flanneld's iptables rules with {@code --ip-masq}, as upstream writes them
 * (flannel-io/flannel {@code pkg/trafficmngr/iptables/iptables.go}: masqRules and forwardRules): pod
 * traffic leaving the cluster network is masqueraded, traffic within it is not, and kube-proxy's
 * marked packets are left to kube-proxy. Appended after kube-proxy's jumps, as flanneld's {@code -A}.
 */
final class FlannelRules {
    /** kube-proxy's masquerade mark (trafficmngr.KubeProxyMark). */
    private static final String KUBE_PROXY_MARK = "0x4000/0x4000";

    private FlannelRules() {}

    static String masquerade(Cidr cluster, Cidr podCidr) {
        String masq = " -m comment --comment \"flanneld masq\"";
        String fwd = " -m comment --comment \"flanneld forward\"";
        return "*nat\n"
                + ":FLANNEL-POSTRTG - [0:0]\n"
                + "-A POSTROUTING" + masq + " -j FLANNEL-POSTRTG\n"
                + "-A FLANNEL-POSTRTG -m mark --mark " + KUBE_PROXY_MARK + masq + " -j RETURN\n"
                + "-A FLANNEL-POSTRTG -s " + podCidr + " -d " + cluster + masq + " -j RETURN\n"
                + "-A FLANNEL-POSTRTG -s " + cluster + " -d " + podCidr + masq + " -j RETURN\n"
                + "-A FLANNEL-POSTRTG ! -s " + cluster + " -d " + podCidr + masq + " -j RETURN\n"
                + "-A FLANNEL-POSTRTG -s " + cluster + " ! -d 224.0.0.0/4" + masq + " -j MASQUERADE --random-fully\n"
                + "-A FLANNEL-POSTRTG ! -s " + cluster + " -d " + cluster + masq + " -j MASQUERADE --random-fully\n"
                + "COMMIT\n"
                + "*filter\n"
                + ":FLANNEL-FWD - [0:0]\n"
                + "-A FORWARD" + fwd + " -j FLANNEL-FWD\n"
                + "-A FLANNEL-FWD -s " + cluster + fwd + " -j ACCEPT\n"
                + "-A FLANNEL-FWD -d " + cluster + fwd + " -j ACCEPT\n"
                + "COMMIT\n";
    }
}
