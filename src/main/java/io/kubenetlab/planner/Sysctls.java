package io.kubenetlab.planner;

import java.util.LinkedHashMap;
import java.util.Map;

/** Sysctls the lab relies on, set explicitly on every machine: new namespaces inherit the host's values. */
public final class Sysctls {
    private Sysctls() {}

    public static final Map<String, String> ROUTER = forwarding();
    public static final Map<String, String> NODE = node();
    public static final Map<String, String> HOST = Map.of("net.ipv4.ip_forward", "0");

    private static Map<String, String> node() {
        Map<String, String> m = forwarding();
        // Pod-to-pod traffic on the same node crosses cbr0: without this, replies of a Service
        // connection bypass conntrack's reverse NAT and the connection hangs (DESIGN.md, section 3).
        m.put("net.bridge.bridge-nf-call-iptables", "1");
        // kube-proxy's localhost NodePorts (127.0.0.1:NODEPORT) are DNATed to pods.
        m.put("net.ipv4.conf.all.route_localnet", "1");
        // Pod ports are born with addrgenmode none (1): no IPv6 link-local address, no DAD/RS flood.
        m.put("net.ipv6.conf.default.addr_gen_mode", "1");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, String> forwarding() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("net.ipv4.ip_forward", "1");
        // The router routes pod CIDRs back out of the interface they came in on: no redirects,
        // or nodes would learn to bypass the gateway the article routes through.
        m.put("net.ipv4.conf.all.send_redirects", "0");
        m.put("net.ipv4.conf.default.send_redirects", "0");
        m.put("net.ipv4.conf.all.accept_redirects", "0");
        m.put("net.ipv4.conf.default.accept_redirects", "0");
        m.put("net.ipv4.conf.all.rp_filter", "0");
        m.put("net.ipv4.conf.default.rp_filter", "0");
        return m;
    }
}
