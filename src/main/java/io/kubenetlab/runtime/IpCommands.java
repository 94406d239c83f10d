package io.kubenetlab.runtime;

import io.kubenetlab.plan.AddressPlan;
import io.kubenetlab.plan.FdbEntry;
import io.kubenetlab.plan.NeighbourEntry;
import io.kubenetlab.plan.LinkPlan;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.plan.RoutePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A plan as {@code ip -batch} lines: pure, so what a runtime runs is what a test reads. A link is
 * created, marked (alias), enslaved, given its addresses and only then brought up; routes come last,
 * once their gateways are reachable.
 */
public final class IpCommands {
    /** Set on a node: its new ports are born without an IPv6 link-local address (see Sysctls.NODE). */
    static final String ADDR_GEN_DEFAULT = "net.ipv6.conf.default.addr_gen_mode";

    private IpCommands() {}

    /**
     * Everything of a machine but the veths it creates for pods ({@code skip}: namespaces whose
     * pair is made when the pod is): its links in order, their addresses, then its routes.
     */
    public static List<String> machine(MachinePlan m, Set<String> skipPeers) {
        List<String> out = new ArrayList<>();
        boolean portsBornQuiet = "1".equals(m.sysctls().get(ADDR_GEN_DEFAULT));
        for (LinkPlan l : m.links()) {
            if (l.createsPair() && skipPeers.contains(l.peerNetns())) continue;
            out.addAll(link(m, l, portsBornQuiet));
        }
        for (NeighbourEntry n : m.neighbours()) out.add(neighbourAdd(n));
        for (RoutePlan r : m.routes()) if (r.ours()) out.add(routeAdd(r));
        return out;
    }

    /** A machine's VXLAN forwarding entries, as {@code bridge -batch} lines. */
    public static List<String> fdb(MachinePlan m) {
        return m.fdb().stream().map(IpCommands::fdbAdd).toList();
    }

    public static String neighbourAdd(NeighbourEntry n) {
        return "neigh replace " + n.ip() + " lladdr " + n.mac() + " dev " + n.dev() + " nud permanent";
    }

    public static String neighbourDel(NeighbourEntry n) {
        return "neigh del " + n.ip() + " dev " + n.dev();
    }

    public static String fdbAdd(FdbEntry f) {
        return "fdb append " + f.mac() + " dev " + f.dev() + " dst " + f.dst() + " self permanent";
    }

    public static String fdbDel(FdbEntry f) {
        return "fdb del " + f.mac() + " dev " + f.dev() + " dst " + f.dst() + " self";
    }

    /** The lines that make one link, its addresses included. */
    public static List<String> link(MachinePlan m, LinkPlan l, boolean portsBornQuiet) {
        List<String> out = new ArrayList<>();
        String n = l.name();
        switch (l.kind()) {
            case LOOPBACK -> {
                out.add("link set " + n + " up");
                return out;
            }
            case BRIDGE -> {
                out.add("link add " + n + (l.mac() != null ? " address " + l.mac() : "") + mtu(l) + " type bridge");
                mark(out, l);
                out.add("link set " + n + " addrgenmode none");
            }
            case VXLAN -> {
                LinkPlan.Vxlan v = l.vxlan();
                out.add("link add " + n + (l.mac() != null ? " address " + l.mac() : "") + mtu(l) + " type vxlan id " + v.id()
                        + (v.local() != null ? " local " + v.local() : "") + (v.dev() != null ? " dev " + v.dev() : "")
                        + " dstport " + v.dstPort() + (v.learning() ? "" : " nolearning"));
                mark(out, l);
                out.add("link set " + n + " addrgenmode none");
            }
            case VETH -> {
                if (l.createsPair() && portsBornQuiet && l.master() != null && m.addressesOn(n).isEmpty()) {
                    // One netlink request instead of four: created enslaved and up; the machine's
                    // default addr_gen_mode makes it addrgenmode none from the start.
                    out.add("link add " + n + mtu(l) + " master " + l.master() + " up type veth peer name " + l.peer() + mtu(l)
                            + " netns " + l.peerNetns());
                    mark(out, l);
                    if (l.hairpin()) out.add("link set " + n + " type bridge_slave hairpin on");
                    return out;
                }
                if (l.createsPair()) {
                    out.add("link add " + n + mtu(l) + " type veth peer name " + l.peer() + mtu(l) + " netns " + l.peerNetns());
                } else if (l.mtu() != null) {
                    out.add("link set " + n + " mtu " + l.mtu());
                }
                if (!l.createsPair() && l.mac() != null) out.add("link set " + n + " address " + l.mac());
                mark(out, l);
                out.add("link set " + n + " addrgenmode none");
                if (l.master() != null) out.add("link set " + n + " master " + l.master());
                if (l.hairpin()) out.add("link set " + n + " type bridge_slave hairpin on");
            }
        }
        for (AddressPlan a : m.addressesOn(n)) out.add(addressAdd(a));
        out.add("link set " + n + " up");
        return out;
    }

    private static void mark(List<String> out, LinkPlan l) {
        if (l.alias() != null) out.add("link set " + l.name() + " alias " + l.alias());
    }

    private static String mtu(LinkPlan l) {
        return l.mtu() == null ? "" : " mtu " + l.mtu();
    }

    public static String addressAdd(AddressPlan a) {
        return "addr add " + a.cidr() + " dev " + a.dev();
    }

    public static String addressDel(AddressPlan a) {
        return "addr del " + a.cidr() + " dev " + a.dev();
    }

    /** A new route; ECMP routes (several gateways) are replaced whole, so re-adding one is harmless. */
    public static String routeAdd(RoutePlan r) {
        return (r.multipath() ? "route replace " : "route add ") + route(r);
    }

    public static String routeReplace(RoutePlan r) {
        return "route replace " + route(r);
    }

    public static String routeDel(RoutePlan r) {
        return "route del " + r.dst();
    }

    private static String route(RoutePlan r) {
        StringBuilder sb = new StringBuilder(r.dst());
        if (r.multipath()) {
            for (String gw : r.via()) sb.append(" nexthop via ").append(gw);
        } else if (!r.via().isEmpty()) {
            sb.append(" via ").append(r.via().get(0));
        }
        if (r.dev() != null) sb.append(" dev ").append(r.dev());
        if (r.onlink()) sb.append(" onlink");
        return sb.toString();
    }
}
