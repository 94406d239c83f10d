package io.kubenetlab.lb;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the load balancer's health checks have concluded: for a Service (by "namespace/name") the
 * nodes whose health check node port answered. A Service it has not checked yet (deploy, before the
 * controller probes; a plan computed offline) has no verdict: the plan then predicts what the check
 * will say from the endpoints, so a fresh lab's balancer is right before the first probe returns.
 */
public record BackendHealth(Map<String, Set<String>> healthyNodes) {
    public static final BackendHealth NONE = new BackendHealth(Map.of());

    public BackendHealth {
        healthyNodes = Map.copyOf(healthyNodes);
    }

    /** Empty: no verdict yet for this Service. */
    public Optional<Boolean> healthy(String service, String node) {
        Set<String> nodes = healthyNodes.get(service);
        return nodes == null ? Optional.empty() : Optional.of(nodes.contains(node));
    }
}
