package io.kubenetlab.it;

/** The probe checks with kube-proxy in iptables mode. */
class ProbesIT extends ProbesChecks {
    @Override
    String proxyMode() {
        return "iptables";
    }
}
