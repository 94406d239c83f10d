package io.kubenetlab.model;

import java.util.List;

/**
 * What the runtime observes of a pod, before any interpretation: is its sandbox up, and for each
 * container its latest run and how the last run ended. {@link KubeletStatus} turns this (plus probe
 * results) into a Kubernetes {@link PodStatus}.
 *
 * @param sandboxStarted the sandbox process was started at some point (the pod is past creation)
 * @param sandboxAlive   the sandbox (the pod's PID 1) still runs; false after it died or was killed
 */
public record PodFacts(boolean sandboxStarted, boolean sandboxAlive, List<ContainerFacts> containers) {
    public PodFacts {
        containers = List.copyOf(containers);
    }

    /**
     * @param run          the latest run, 1 for the first; 0 if the container never started
     * @param startedAtMs  when the latest run started (epoch ms), 0 if unknown
     * @param lastExit     how the most recent finished run ended, or null if none has; it belongs to
     *                     the latest run when {@code lastExit.run() == run}, else to the run before
     * @param portsListening every declared TCP port listens (deploy's ordering convenience; readiness
     *                       only for a container whose readiness probe no prober runs)
     */
    public record ContainerFacts(String name, int run, long startedAtMs, Exit lastExit, boolean portsListening) {
        /** The latest run has started and not ended. */
        public boolean running() {
            return run > 0 && (lastExit == null || lastExit.run() != run);
        }
    }

    /**
     * The end of one run. {@code backOffSeconds} is the delay before the supervisor restarts it (0: at
     * once), or -1 if the restart policy does not restart it.
     */
    public record Exit(int run, int exitCode, long finishedAtSec, int backOffSeconds) {
        public boolean restarts() {
            return backOffSeconds >= 0;
        }
    }
}
