package io.kubenetlab.plan;

import java.util.List;

/**
 * A route: {@code dst} is a CIDR or {@code default}; {@code via} one gateway, or several for an ECMP
 * route (one nexthop each); {@code dev} when the route names its device (null: the kernel picks it);
 * {@code onlink} when the gateway is not on a connected network (flannel's VXLAN routes);
 * {@code proto} null for a route the lab installs, or the protocol of a routing daemon that installs
 * it ({@code bird}): such a route is expected (and compared) but never written or removed by the lab.
 */
public record RoutePlan(String dst, List<String> via, String dev, boolean onlink, String proto) {
    public static final String BIRD = "bird";

    public RoutePlan {
        via = List.copyOf(via);
    }

    public RoutePlan(String dst, List<String> via, String dev, boolean onlink) {
        this(dst, via, dev, onlink, null);
    }

    /** A route a routing daemon learns and installs (calico's BGP routes: {@code proto bird}). */
    public static RoutePlan learnt(String dst, String gateway, String proto) {
        return new RoutePlan(dst, List.of(gateway), null, false, proto);
    }

    /** Whether the lab writes this route itself (not a routing daemon). */
    public boolean ours() {
        return proto == null;
    }

    public static RoutePlan via(String dst, String gateway) {
        return new RoutePlan(dst, List.of(gateway), null, false);
    }

    public static RoutePlan multipath(String dst, List<String> gateways) {
        return new RoutePlan(dst, gateways, null, false);
    }

    public boolean multipath() {
        return via.size() > 1;
    }
}
