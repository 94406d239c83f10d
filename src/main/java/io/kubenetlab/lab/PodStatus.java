package io.kubenetlab.lab;

import java.util.List;

/**
 * A pod's observed status, in Kubernetes' terms: phase Pending, Running, Succeeded, Failed or Unknown;
 * ready when every container runs and every declared port listens.
 */
public record PodStatus(String phase, boolean ready, List<ContainerStatus> containers, String reason) {

    /** {@code state} is waiting, running or terminated; times are epoch seconds (0 = unknown). */
    public record ContainerStatus(String name, String state, boolean ready, int restartCount, Integer exitCode,
                                  long startedAt, long finishedAt, String reason) {}

    /** The kubectl STATUS column: Running, Completed, Error, ContainerCreating... */
    public String display() {
        if (reason != null && !reason.isEmpty() && !phase.equals("Running")) return reason;
        for (ContainerStatus c : containers) {
            if (c.state().equals("terminated") && phase.equals("Running")) return c.exitCode() != null && c.exitCode() == 0 ? "Completed" : "Error";
        }
        return switch (phase) {
            case "Succeeded" -> "Completed";
            case "Failed" -> "Error";
            default -> phase;
        };
    }

    public boolean finished() {
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    public int restarts() {
        return containers.stream().mapToInt(ContainerStatus::restartCount).sum();
    }
}
