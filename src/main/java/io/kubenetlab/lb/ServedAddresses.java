package io.kubenetlab.lb;

import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.util.List;

/**
 * Which ingress IPs the load balancer serves: those of each Service's status that lie in its own network,
 * whoever wrote them (its pool or an outside controller through services/status). Others cannot reach it
 * (the gateway routes only that network to it): kube-proxy alone captures them, inside the cluster.
 */
public final class ServedAddresses {
    private ServedAddresses() {}

    public static List<ServiceRecord> inNetwork(List<ServiceRecord> services, Cidr network, Ipv4 own) {
        return services.stream().map(s -> {
            List<Ipv4> ips = s.loadBalancerIPs().stream().filter(ip -> network.contains(ip) && !ip.equals(own)
                    && !ip.equals(network.network()) && !ip.equals(network.broadcast())).toList();
            return ips.equals(s.loadBalancerIPs()) ? s : s.withLoadBalancerIPs(ips);
        }).toList();
    }
}
