package io.kubenetlab.lb;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A cloud load balancer's health check state machine, one per (Service, node): a backend becomes
 * healthy after {@code healthyThreshold} successful probes in a row and unhealthy after
 * {@code unhealthyThreshold} failures in a row. Its first probe decides its first verdict (so a
 * balancer that starts from predictions does not flap while the first round comes back). Pure: the
 * prober feeds it results, the plan reads {@link #verdicts()}.
 */
public final class HealthChecker {
    public static final int HEALTHY_THRESHOLD = 1;
    public static final int UNHEALTHY_THRESHOLD = 2;

    private record Key(String service, String node) {}

    private static final class State {
        Boolean healthy; // null: not probed yet
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
        Boolean before = s.healthy;
        if (before == null) {
            s.healthy = success;
            if (success) s.successes = 1;
            else s.failures = 1;
            return true;
        }
        if (success) {
            s.failures = 0;
            if (++s.successes >= healthyThreshold) s.healthy = true;
        } else {
            s.successes = 0;
            if (++s.failures >= unhealthyThreshold) s.healthy = false;
        }
        return !before.equals(s.healthy);
    }

    /** Forgets every Service not in {@code services} (deleted, or no longer checked). */
    public synchronized void retain(Set<String> services) {
        states.keySet().removeIf(k -> !services.contains(k.service()));
    }

    /** Per checked Service, each probed node's verdict. */
    public synchronized BackendHealth verdicts() {
        Map<String, Map<String, Boolean>> out = new LinkedHashMap<>();
        states.forEach((k, s) -> out.computeIfAbsent(k.service(), x -> new TreeMap<>()).put(k.node(), s.healthy));
        return new BackendHealth(out);
    }
}
