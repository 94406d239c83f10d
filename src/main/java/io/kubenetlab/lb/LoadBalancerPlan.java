package io.kubenetlab.lb;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.model.Topology.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which nodes the load balancer sends each listener to: every node, or with
 * {@code externalTrafficPolicy: Local} only the nodes its health checks of the Service's health check
 * node port found healthy, as a cloud load balancer does. Before the first verdict (deploy, offline
 * plans) the nodes with a ready local endpoint, which is what the health check will answer.
 */
public final class LoadBalancerPlan {
    private LoadBalancerPlan() {}

    public static List<LoadBalancerRules.Listener> listeners(List<ServiceRecord> services, Map<String, List<EndpointRecord>> endpoints,
                                                            List<NodeSpec> nodes) {
        return listeners(services, endpoints, nodes, BackendHealth.NONE);
    }

    public static List<LoadBalancerRules.Listener> listeners(List<ServiceRecord> services, Map<String, List<EndpointRecord>> endpoints,
                                                            List<NodeSpec> nodes, BackendHealth health) {
        List<LoadBalancerRules.Listener> out = new ArrayList<>();
        for (ServiceRecord s : services) {
            if (!s.type().equals("LoadBalancer")) continue;
            for (Ipv4 ip : s.loadBalancerIPs()) {
                for (ServicePortSpec p : s.ports()) {
                    if (p.nodePort() == 0) continue; // allocateLoadBalancerNodePorts: false: nothing on the nodes to send to
                    List<LoadBalancerRules.Backend> backends = new ArrayList<>();
                    for (NodeSpec n : nodes) {
                        boolean healthy = !"Local".equals(s.externalTrafficPolicy()) || health.healthy(s.key(), n.name())
                                .orElseGet(() -> hasLocalReadyEndpoint(endpoints.getOrDefault(s.key(), List.of()), n.name()));
                        if (healthy) backends.add(new LoadBalancerRules.Backend(n.address(), p.nodePort()));
                    }
                    String name = s.key() + (p.name().isEmpty() ? "" : ":" + p.name());
                    out.add(new LoadBalancerRules.Listener(name, ip, p.port(), p.protocol(), backends));
                }
            }
        }
        return out;
    }

    /** The health check's answer predicted: any ready endpoint of the Service on the node (any port, as upstream counts). */
    static boolean hasLocalReadyEndpoint(List<EndpointRecord> endpoints, String node) {
        return endpoints.stream().anyMatch(e -> e.ready() && node.equals(e.nodeName()));
    }
}
