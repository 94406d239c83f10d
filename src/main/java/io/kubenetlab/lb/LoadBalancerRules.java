package io.kubenetlab.lb;

import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The emulated cloud load balancer, as a pure function: each LoadBalancer Service port's EXTERNAL-IP
 * is spread evenly (iptables statistic, like kube-proxy) over the nodes' NodePort, and masqueraded
 * so replies come back through the balancer, as a proxying cloud load balancer does. A listener with
 * no healthy node gets no rule: the balancer's own stack refuses the connection.
 */
public final class LoadBalancerRules {
    public static final String CHAIN = "KUBENETLAB-LB";

    /** One listener: EXTERNAL-IP:port/protocol, and the node NodePorts behind it. */
    public record Listener(String service, Ipv4 ip, int port, String protocol, List<Backend> backends) {}

    public record Backend(Ipv4 nodeIP, int nodePort) {}

    private LoadBalancerRules() {}

    /** The whole nat table of the balancer's namespace, for a plain (flushing) iptables-restore. */
    public static String render(List<Listener> listeners) {
        List<Listener> sorted = new ArrayList<>(listeners);
        sorted.sort(Comparator.comparing(Listener::ip).thenComparing(Listener::port).thenComparing(Listener::protocol));
        StringBuilder sb = new StringBuilder();
        sb.append("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n")
                .append(':').append(CHAIN).append(" - [0:0]\n")
                .append("-A PREROUTING -m comment --comment \"kubenetlab load balancer listeners\" -j ").append(CHAIN).append('\n')
                .append("-A OUTPUT -m comment --comment \"kubenetlab load balancer listeners\" -j ").append(CHAIN).append('\n')
                .append("-A POSTROUTING -m conntrack --ctstate DNAT -m comment --comment \"replies come back through the load balancer\" -j MASQUERADE\n");
        for (Listener l : sorted) {
            String p = l.protocol().toLowerCase();
            List<Backend> bs = l.backends();
            for (int i = 0; i < bs.size(); i++) {
                Backend b = bs.get(i);
                sb.append("-A ").append(CHAIN).append(" -d ").append(l.ip()).append("/32 -p ").append(p).append(" -m ").append(p)
                        .append(" --dport ").append(l.port()).append(" -m comment --comment \"").append(l.service()).append(" -> ")
                        .append(b.nodeIP()).append(':').append(b.nodePort()).append('"');
                if (i < bs.size() - 1) {
                    sb.append(" -m statistic --mode random --probability ").append(probability(bs.size() - i));
                }
                sb.append(" -j DNAT --to-destination ").append(b.nodeIP()).append(':').append(b.nodePort()).append('\n');
            }
        }
        return sb.append("COMMIT\n").toString();
    }

    /** 1/n as kube-proxy writes it, so the balancer's rules read like the nodes'. */
    static String probability(int n) {
        return io.kubenetlab.proxy.KubeProxyRules.probability(n);
    }
}
