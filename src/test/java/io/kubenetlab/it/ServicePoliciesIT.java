package io.kubenetlab.it;

import java.util.List;

/** The Service policy checks with kube-proxy in iptables mode (the default). */
class ServicePoliciesIT extends ServicePoliciesChecks {
    @Override
    String proxyMode() {
        return "iptables";
    }

    @Override
    List<String> rulesFor(String what, String address) {
        return switch (what) {
            case "affinity" -> List.of("-m recent --name KUBE-SEP-", "--rcheck --seconds 10800 --reap");
            case "no local endpoints" -> List.of("\"default/local-np has no local endpoints\"");
            case "two ports" -> List.of("\"default/multi:echo cluster IP\" -m udp -p udp -d " + address + " --dport 53",
                    "\"default/multi:web cluster IP\" -m tcp -p tcp -d " + address + " --dport 80");
            case "endpoint" -> List.of("--to-destination " + address);
            default -> throw new IllegalArgumentException(what);
        };
    }
}
