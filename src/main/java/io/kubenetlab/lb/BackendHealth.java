package io.kubenetlab.lb;

import java.util.Map;
import java.util.Optional;

/**
 * What the load balancer's health checks have concluded, per Service ("namespace/name") and node:
 * healthy or not. A backend not checked yet (deploy, before the controller probes; the first second of a
 * new Service; a plan computed offline) has no verdict: the plan then predicts what the check will say
 * from the endpoints, so a fresh balancer is right before the first answers come back.
 */
public record BackendHealth(Map<String, Map<String, Boolean>> verdicts) {
    public static final BackendHealth NONE = new BackendHealth(Map.of());

    public BackendHealth {
        verdicts = Map.copyOf(verdicts.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue()))));
    }

    /** Empty: no verdict yet for this backend. */
    public Optional<Boolean> healthy(String service, String node) {
        return Optional.ofNullable(verdicts.getOrDefault(service, Map.of()).get(node));
    }
}
