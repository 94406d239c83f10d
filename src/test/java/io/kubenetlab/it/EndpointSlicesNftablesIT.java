package io.kubenetlab.it;

/** {@link EndpointSlicesIT}'s checks with kube-proxy's nftables mode. */
class EndpointSlicesNftablesIT extends EndpointSlicesIT {
    @Override
    String proxyMode() {
        return "nftables";
    }
}
