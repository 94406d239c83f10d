package io.kubenetlab.lb;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cloud load balancer's health check state machine, one per (Service, node): a backend becomes
 * healthy after {@code healthyThreshold} successful probes in a row and unhealthy after
 * {@code unhealthyThreshold} failures in a row; until its first success it is unhealthy. Pure: the
 * prober feeds it results, the plan reads {@link #verdicts()}.
 */
public final class HealthChecker {
    public static final int HEALTHY_THRESHOLD = 1;
    public static final int UNHEALTHY_THRESHOLD = 2;

    private record Key(String service, String node) {}

    private static final class State {
        boolean healthy;
        int successes;
        int failures;
    }

    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private final Map<Key, State> states = new HashMap<>();

    public HealthChecker() {
        this(HEALTHY_THRESHOLD, UNHEALTHY_THRESHOLD);
    }

    public HealthChecker(int healthyThreshold, int unhealthyThreshold) {
        this.healthyThreshold = healthyThreshold;
        this.unhealthyThreshold = unhealthyThreshold;
    }

    /** One probe's result; true when the backend's verdict changed. */
    public synchronized boolean record(String service, String node, boolean success) {
        State s = states.computeIfAbsent(new Key(service, node), k -> new State());
        boolean before = s.healthy;
        if (success) {
            s.failures = 0;
            if (++s.successes >= healthyThreshold) s.healthy = true;
        } else {
            s.successes = 0;
            if (++s.failures >= unhealthyThreshold) s.healthy = false;
        }
        return before != s.healthy;
    }

    /** Forgets every Service not in {@code services} (deleted, or no longer checked). */
    public synchronized void retain(Set<String> services) {
        states.keySet().removeIf(k -> !services.contains(k.service()));
    }

    /** Per checked Service, its healthy nodes (possibly none). */
    public synchronized BackendHealth verdicts() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        states.forEach((k, s) -> {
            Set<String> nodes = out.computeIfAbsent(k.service(), x -> new TreeSet<>());
            if (s.healthy) nodes.add(k.node());
        });
        return new BackendHealth(out);
    }
}
