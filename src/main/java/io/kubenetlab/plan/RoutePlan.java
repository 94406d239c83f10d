package io.kubenetlab.plan;

import java.util.List;

/**
 * A route: {@code dst} is a CIDR or {@code default}; {@code via} one gateway, or several for an ECMP
 * route (one nexthop each); {@code dev} when the route names its device (null: the kernel picks it);
 * {@code onlink} when the gateway is not on a connected network (flannel's VXLAN routes).
 */
public record RoutePlan(String dst, List<String> via, String dev, boolean onlink) {
    public RoutePlan {
        via = List.copyOf(via);
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
