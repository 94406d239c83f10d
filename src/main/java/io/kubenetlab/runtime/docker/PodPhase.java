package io.kubenetlab.runtime.docker;

import io.kubenetlab.lab.PodStatus;
import io.kubenetlab.lab.PodStatus.ContainerStatus;
import java.util.List;

/** A pod's phase from its containers' states, kubelet's rules (the netns runtime applies the same). */
final class PodPhase {
    private PodPhase() {}

    static PodStatus of(boolean sandboxStarted, boolean sandboxUp, List<ContainerStatus> cs) {
        boolean allTerminated = cs.stream().allMatch(c -> c.state().equals("terminated"));
        boolean allRunning = cs.stream().allMatch(c -> c.state().equals("running"));
        boolean anyStarted = cs.stream().anyMatch(c -> c.state().equals("running") || c.startedAt() > 0);
        String phase;
        String reason = null;
        if (allTerminated && !cs.isEmpty()) {
            phase = cs.stream().allMatch(c -> c.exitCode() != null && c.exitCode() == 0) ? "Succeeded" : "Failed";
        } else if (!sandboxUp) {
            phase = sandboxStarted ? "Failed" : "Pending";
            reason = sandboxStarted ? "SandboxGone" : "ContainerCreating";
        } else if (anyStarted) {
            phase = "Running";
        } else {
            phase = "Pending";
            reason = "ContainerCreating";
        }
        boolean ready = phase.equals("Running") && allRunning && cs.stream().allMatch(ContainerStatus::ready);
        return new PodStatus(phase, ready, cs, reason);
    }
}
