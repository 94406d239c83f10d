package io.kubenetlab.healthcheck;

import io.kubenetlab.k8s.Probe.HttpHeader;
import io.kubenetlab.kubelet.NetChecks;
import io.kubenetlab.kubelet.NetnsExecutors;
import io.kubenetlab.kubelet.ProbeOutcome;
import io.kubenetlab.lb.BackendHealth;
import io.kubenetlab.lb.HealthChecker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The emulated cloud load balancer's health checks: every second, from the balancer's own network
 * namespace, an HTTP GET to each node's health check node port of each LoadBalancer Service with
 * externalTrafficPolicy Local (1 s timeout; the first answer decides, then healthy after 1 success,
 * unhealthy after 2 failures, see
 * {@link HealthChecker}). A change of verdict is handed on at once; the balancer's rules follow it.
 */
public final class LoadBalancerProber implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    public static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final List<HttpHeader> HEADERS = List.of(new HttpHeader("User-Agent", "kubenetlab-lb-healthcheck/1.0"));

    /** One backend to check: a Service (namespace/name) on one node. */
    public record Target(String service, String node, String nodeIP, int port) {}

    private final Path lbNetns;
    private final HealthChecker checker = new HealthChecker();
    private final NetnsExecutors netns = new NetnsExecutors();
    private final Set<Target> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubenetlab-lb-healthcheck");
        t.setDaemon(true);
        return t;
    });

    public LoadBalancerProber(Path lbNetns) {
        this.lbNetns = lbNetns;
    }

    /** Probes {@code targets()} every second; {@code onChange} gets the new verdicts when one changes. */
    public void start(Supplier<List<Target>> targets, Consumer<BackendHealth> onChange) {
        timer.scheduleWithFixedDelay(() -> round(targets.get(), onChange), 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round(List<Target> targets, Consumer<BackendHealth> onChange) {
        Set<String> services = targets.stream().map(Target::service).collect(Collectors.toSet());
        BackendHealth before = checker.verdicts();
        checker.retain(services);
        if (!checker.verdicts().equals(before)) onChange.accept(checker.verdicts());
        for (Target t : targets) {
            if (!inFlight.add(t)) continue; // still waiting for the last answer
            netns.of(lbNetns).execute(() -> {
                try {
                    boolean ok = probe(t);
                    if (checker.record(t.service(), t.node(), ok)) onChange.accept(checker.verdicts());
                } catch (RuntimeException e) {
                    System.err.println(java.time.Instant.now() + " load balancer health check " + t + ": " + e);
                } finally {
                    inFlight.remove(t);
                }
            });
        }
    }

    /** 200 is healthy, as cloud HTTP health checks want (kube-proxy answers 200 or 503). */
    private boolean probe(Target t) {
        try {
            NetnsCheck.require(lbNetns);
        } catch (java.io.IOException e) {
            return false;
        }
        ProbeOutcome o = NetChecks.http(t.nodeIP(), t.port(), "/healthz", HEADERS, TIMEOUT);
        return o.success();
    }

    public BackendHealth verdicts() {
        return checker.verdicts();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        netns.close();
    }
}
