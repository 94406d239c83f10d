package io.kubenetlab.cni;

import java.util.List;

/**
 * BIRD 2 configurations as calico writes them for its node-to-node mesh (projectcalico/calico
 * {@code confd/templates/bird.cfg.template}): iBGP in one AS, each node exporting the blocks of its
 * pod addresses (a blackhole static route) and installing what it learns into the kernel
 * ({@code proto bird}); a {@code direct} protocol so BGP next hops resolve recursively; one side of
 * each session passive, as calico's mesh. Timers as the issue asks (calico's are close: connect delay
 * 2, retry 5, error wait 5,30), a 9 s hold time (BIRD's default is 240 s) so a failed node shows in
 * seconds, and a 1 s keepalive: measured here, a session's first routes often left with its first
 * keepalive, so a 3 s keepalive made convergence take 3.3 s instead of about one second.
 */
final class BirdConfig {
    /** calico's default AS number for the node mesh. */
    static final int AS = 64512;

    private BirdConfig() {}

    /**
     * @param routerId  this machine's node-network address
     * @param iface     its interface on the node network (a node's eth0, the gateway's bridge)
     * @param podCidr   the pod CIDR it announces, or null (the gateway announces nothing)
     * @param neighbors every peer's address
     */
    static String of(String routerId, String iface, String podCidr, List<String> neighbors) {
        StringBuilder sb = new StringBuilder();
        sb.append("# written by kubenetlab: calico-style iBGP full mesh\n");
        sb.append("router id ").append(routerId).append(";\n");
        sb.append("log stderr all;\n");
        sb.append("protocol device { scan time 10; }\n");
        sb.append("# connected networks in BIRD's table, so BGP next hops resolve (gateway recursive)\n");
        sb.append("protocol direct { ipv4; interface \"").append(iface).append("\"; }\n");
        sb.append("# what BGP learnt goes into the kernel (proto bird); nothing is read from it\n");
        sb.append("protocol kernel {\n  ipv4 { import none; export where source = RTS_BGP; };\n  merge paths on;\n  graceful restart;\n}\n");
        if (podCidr != null) {
            sb.append("# this node's pod addresses, announced as calico announces its IPAM blocks\n");
            sb.append("protocol static pods {\n  ipv4;\n  route ").append(podCidr).append(" blackhole;\n}\n");
        }
        sb.append("template bgp mesh {\n")
                .append("  debug { states };\n")
                .append("  local as ").append(AS).append(";\n")
                .append("  ipv4 {\n    gateway recursive;\n    import all;\n")
                .append(podCidr != null ? "    export where proto = \"pods\";\n    next hop self;\n" : "    export none;\n")
                .append("  };\n")
                .append("  connect delay time 1;\n  connect retry time 3;\n  error wait time 5,60;\n")
                .append("  hold time 9;\n  keepalive time 1;\n")
                .append("  graceful restart;\n")
                .append("}\n");
        for (String n : neighbors) {
            sb.append("protocol bgp peer_").append(n.replace('.', '_')).append(" from mesh {\n  neighbor ").append(n).append(" as ").append(AS)
                    .append(";\n  source address ").append(routerId).append(";\n");
            // calico's rule: the mesh is unidirectional, the side whose peer's address is greater as a
            // string waits (no connection collision, which costs a retry and seconds of convergence).
            if (n.compareTo(routerId) > 0) sb.append("  passive on; # Mesh is unidirectional, peer will connect to us.\n");
            sb.append("}\n");
        }
        return sb.toString();
    }
}
