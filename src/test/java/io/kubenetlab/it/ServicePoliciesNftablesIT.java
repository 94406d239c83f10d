package io.kubenetlab.it;

import java.util.List;

/** The Service policy checks with kube-proxy in nftables mode: the same traffic, nftables' rule shapes. */
class ServicePoliciesNftablesIT extends ServicePoliciesChecks {
    @Override
    String proxyMode() {
        return "nftables";
    }

    @Override
    List<String> rulesFor(String what, String address) {
        return switch (what) {
            case "affinity" -> List.of("flags dynamic,timeout ; timeout 10800s ;", "update @affinity-", "ip saddr @affinity-");
            case "no local endpoints" -> List.of("add element ip kube-proxy no-endpoint-nodeports { tcp . 30090 comment \"default/local-np\" : drop }");
            case "two ports" -> List.of("add element ip kube-proxy service-ips { " + address + " . udp . 53 : goto service-",
                    "add element ip kube-proxy service-ips { " + address + " . tcp . 80 : goto service-");
            case "endpoint" -> List.of("dnat to " + address);
            default -> throw new IllegalArgumentException(what);
        };
    }
}
