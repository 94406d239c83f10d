package io.kubenetlab.controller;

import io.kubenetlab.model.PodRecord;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * kubelet's part of a pod's graceful deletion, off the controller's lock: each terminating pod's
 * preStop hooks, then SIGTERM to its containers, on a thread of its own. The controller reads when
 * SIGTERM went out and removes the pod when its processes are gone or its grace period is over.
 */
final class PodTerminator implements AutoCloseable {
    /** The two steps, in order; {@code preStop} returns when its hooks are done or the grace period is over. */
    interface Steps {
        void preStop(PodRecord pod);

        void sigterm(PodRecord pod);
    }

    private final Steps steps;
    private final Runnable changed;
    private final ExecutorService pool;
    private final Set<String> begun = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> signalledAt = new ConcurrentHashMap<>();

    PodTerminator(String lab, Steps steps, Runnable changed) {
        this.steps = steps;
        this.changed = changed;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kubenetlab-terminate-" + lab + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the pod's termination unless it has begun (a restarted controller begins it again: hooks run once more). */
    void begin(PodRecord pod) {
        if (!begun.add(pod.uid())) return;
        try {
            pool.execute(() -> {
                try {
                    steps.preStop(pod);
                } catch (RuntimeException e) {
                    System.err.println("controller: preStop hooks of " + pod.name() + ": " + e);
                }
                try {
                    steps.sigterm(pod);
                } catch (RuntimeException e) {
                    System.err.println("controller: SIGTERM to " + pod.name() + ": " + e);
                }
                signalledAt.put(pod.uid(), System.currentTimeMillis());
                changed.run();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** When the pod's containers got SIGTERM (epoch ms), or null while its hooks run. */
    Long signalledAt(PodRecord pod) {
        return signalledAt.get(pod.uid());
    }

    /** The pod is gone: forget it. */
    void forget(PodRecord pod) {
        begun.remove(pod.uid());
        signalledAt.remove(pod.uid());
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
