package io.kubenetlab.kubelet;

import io.kubenetlab.model.ProbeView;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodFacts;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.PodFacts.ContainerFacts;
import io.kubenetlab.model.PodFacts.Exit;
import io.kubenetlab.model.PodStatus.Condition;
import io.kubenetlab.model.PodStatus.ContainerStatus;
import io.kubenetlab.model.PodStatus.Terminated;
import java.util.ArrayList;
import java.util.List;

/**
 * kubelet's status logic as a pure function: runtime facts and probe results in, a Kubernetes pod
 * status out (container states, restart counts, phase per restartPolicy, Ready conditions). A
 * terminating pod's containers are not restarted: one that exited is terminated, whatever the policy.
 */
public final class KubeletStatus {
    private KubeletStatus() {}

    public static PodStatus derive(PodRecord pod, PodFacts facts, ProbeView probes, long nowMs) {
        boolean died = facts.sandboxStarted() && !facts.sandboxAlive();
        List<ContainerStatus> cs = new ArrayList<>();
        int running = 0, neverStarted = 0, failed = 0, willRestart = 0, lost = 0;
        for (ContainerRecord c : pod.containers()) {
            ContainerFacts f = facts.containers().stream().filter(x -> x.name().equals(c.name())).findFirst()
                    .orElse(new ContainerFacts(c.name(), 0, 0, null, false));
            Exit exit = f.lastExit();
            int restarts = Math.max(0, f.run() - 1);
            long startedSec = f.startedAtMs() / 1000;
            ContainerStatus st;
            if (died && !(exit != null && exit.run() == f.run() && !exit.restarts())) {
                // The sandbox took the container with it: kubelet's words for a container it cannot find.
                st = new ContainerStatus(c.name(), "terminated", false, restarts, 137, startedSec, 0, "ContainerStatusUnknown",
                        "The container could not be located when the pod was terminated", false, lastState(exit, f, false));
                lost++;
            } else if (f.run() == 0) {
                st = new ContainerStatus(c.name(), "waiting", false, 0, null, 0, 0, "ContainerCreating", null, false, null);
                neverStarted++;
            } else if (f.running()) {
                boolean started = probes.started(pod, c, f.run());
                Boolean probeReady = probes.ready(pod, c, f.run());
                // kubelet: without a readiness probe a started container is ready once it runs. Listening
                // ports are only a stand-in for a probe no prober runs (a one-shot CLI reading status).
                boolean ready = started && (probeReady != null ? probeReady : c.readinessProbe() == null || f.portsListening());
                st = new ContainerStatus(c.name(), "running", ready, restarts, null, startedSec, 0, null, null, started,
                        lastState(exit, f, true));
                running++;
            } else if (exit.restarts() && !pod.terminating()) {
                // Exited, and the supervisor restarts it: CrashLoopBackOff while the back-off lasts.
                boolean backingOff = exit.backOffSeconds() > 0 && nowMs < (exit.finishedAtSec() + exit.backOffSeconds()) * 1000;
                String message = backingOff ? "back-off " + exit.backOffSeconds() + "s restarting failed container=" + c.name()
                        + " pod=" + pod.name() + "_" + pod.namespace() + "(" + pod.uid() + ")" : null;
                st = new ContainerStatus(c.name(), "waiting", false, restarts, exit.exitCode(), 0, exit.finishedAtSec(),
                        backingOff ? "CrashLoopBackOff" : "ContainerCreating", message, false,
                        new Terminated(exit.exitCode(), reason(exit.exitCode()), startedSec, exit.finishedAtSec()));
                willRestart++;
            } else {
                st = new ContainerStatus(c.name(), "terminated", false, restarts, exit.exitCode(), startedSec, exit.finishedAtSec(),
                        reason(exit.exitCode()), null, false, null);
                if (exit.exitCode() != 0) failed++;
            }
            cs.add(st);
        }
        String phase;
        String reason = null;
        String message = null;
        if (lost > 0) {
            phase = "Failed";
            reason = PodStatus.SANDBOX_DIED;
            message = "The pod's sandbox (its PID 1) is gone; its containers cannot run again";
        } else if (!facts.sandboxStarted()) {
            phase = "Pending";
            reason = "ContainerCreating";
        } else if (running > 0) {
            phase = "Running";
        } else if (neverStarted > 0) {
            phase = "Pending";
            reason = "ContainerCreating";
        } else if (willRestart > 0) {
            phase = "Running"; // restarting: kubelet keeps such a pod Running (Always, or OnFailure after a failure)
        } else {
            phase = failed > 0 ? "Failed" : "Succeeded";
        }
        boolean containersReady = !cs.isEmpty() && cs.stream().allMatch(ContainerStatus::ready);
        boolean ready = phase.equals("Running") && containersReady;
        String notReady = cs.stream().filter(c -> !c.ready()).map(ContainerStatus::name).toList().toString();
        List<Condition> conditions = List.of(
                new Condition("PodScheduled", "True", null),
                new Condition("Initialized", "True", null),
                new Condition("ContainersReady", containersReady ? "True" : "False", containersReady ? null : "ContainersNotReady"),
                new Condition("Ready", ready ? "True" : "False",
                        ready ? null : finished(phase) ? "PodCompleted" : "ContainersNotReady"));
        if (!ready && !finished(phase) && message == null && !cs.isEmpty() && !containersReady) {
            message = "containers with unready status: " + notReady.replace(", ", " ");
        }
        return new PodStatus(phase, ready, cs, reason, message, conditions, died);
    }

    private static boolean finished(String phase) {
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /** The previous run's end, when the container runs again (the latest exit belongs to the run before). */
    private static Terminated lastState(Exit exit, ContainerFacts f, boolean running) {
        if (exit == null) return null;
        if (running && exit.run() != f.run() - 1) return null;
        return new Terminated(exit.exitCode(), reason(exit.exitCode()), 0, exit.finishedAtSec());
    }

    /** kubelet's reason for an exit: Completed for 0, Error otherwise. */
    static String reason(int exitCode) {
        return exitCode == 0 ? "Completed" : "Error";
    }
}
