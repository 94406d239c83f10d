package io.kubenetlab.model;

import java.util.List;

/**
 * A pod's observed status, in Kubernetes' terms: phase Pending, Running, Succeeded, Failed or Unknown;
 * ready when every container is ready (its readiness probe succeeds, or without one: it runs and every
 * declared port listens). {@code sandboxDied} says the pod's PID 1 is gone (phase Failed, reason
 * SandboxDied): nothing in the pod can run again, a controller replaces it.
 */
public record PodStatus(String phase, boolean ready, List<ContainerStatus> containers, String reason, String message,
                        List<Condition> conditions, boolean sandboxDied) {
    public static final String SANDBOX_DIED = "SandboxDied";

    public PodStatus {
        containers = List.copyOf(containers);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    public PodStatus(String phase, boolean ready, List<ContainerStatus> containers, String reason) {
        this(phase, ready, containers, reason, null, List.of(), false);
    }

    /**
     * {@code state} is waiting, running or terminated; times are epoch seconds (0 = unknown).
     * {@code exitCode} is the current termination's, or while waiting to restart the last one's.
     * {@code started} is kubelet's: running and past its startup probe. {@code lastState} is the
     * previous run's termination (null if none is known).
     */
    public record ContainerStatus(String name, String state, boolean ready, int restartCount, Integer exitCode,
                                  long startedAt, long finishedAt, String reason, String message, boolean started,
                                  Terminated lastState) {
        public ContainerStatus(String name, String state, boolean ready, int restartCount, Integer exitCode,
                               long startedAt, long finishedAt, String reason) {
            this(name, state, ready, restartCount, exitCode, startedAt, finishedAt, reason, null, state.equals("running"), null);
        }
    }

    /** A finished run: exit code, kubelet's reason (Completed, Error), times in epoch seconds. */
    public record Terminated(int exitCode, String reason, long startedAt, long finishedAt) {}

    /** A pod condition: type PodScheduled, Initialized, ContainersReady or Ready; status "True"/"False". */
    public record Condition(String type, String status, String reason) {
        public boolean isTrue() {
            return status.equals("True");
        }
    }

    public boolean finished() {
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    public int restarts() {
        return containers.stream().mapToInt(ContainerStatus::restartCount).sum();
    }

    public ContainerStatus container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new LabException("no container " + name + " in this pod's status"));
    }
}
