package io.kubenetlab.it;

/** The probe checks with kube-proxy in nftables mode. */
class ProbesNftablesIT extends ProbesChecks {
    @Override
    String proxyMode() {
        return "nftables";
    }
}
