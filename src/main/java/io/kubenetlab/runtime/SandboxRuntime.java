package io.kubenetlab.runtime;

import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodFacts;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.plan.LabPlan;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes the sandboxes a lab's machines and pods live in (network namespaces with processes: the
 * netns runtime's, or the docker runtime's containers) and wires them as the lab's plan says, through
 * the shared {@link PlanApplier}. It knows nothing about Services: their rules are plan differences.
 * Every method may be called on a state read back from disk by another process.
 */
public interface SandboxRuntime {
    /**
     * Checks, before anything is created, what this runtime needs for the lab (the docker runtime:
     * an engine and every image); throws with what to do otherwise.
     */
    default void check(io.kubenetlab.model.Topology topology, List<PodRecord> pods, LabPlan plan) {}

    /**
     * Sandboxes for the router, nodes, outside hosts and load balancer, wired as {@code plan} says
     * through {@code applier}. Calls {@code save} before each creation.
     */
    void createMachines(LabState state, LabPlan plan, PlanApplier applier, Runnable save);

    /** Waits until every outside host listens on its declared ports (started by createMachines). */
    void waitForHosts(LabState state);

    /** Pods' sandboxes and processes, wired as {@code plan} says; the pods are already in {@code state} and the plan. */
    void createPods(LabState state, List<PodRecord> pods, LabPlan plan, PlanApplier applier, Runnable save);

    /** What the runtime observes of a pod: sandbox alive, each container's latest run and last exit. */
    default PodFacts podFacts(LabState state, PodRecord pod) {
        return podFacts(state, pod, c -> true);
    }

    /**
     * The same, reading whether the declared ports listen only for the containers {@code portsFor}
     * accepts (the prober needs them only for containers without a readiness probe); the others say false.
     */
    PodFacts podFacts(LabState state, PodRecord pod, java.util.function.Predicate<io.kubenetlab.model.ContainerRecord> portsFor);

    /** One container's latest run and last exit, without the sandbox or port checks: a probe worker's cheap look. */
    PodFacts.ContainerFacts containerFacts(LabState state, PodRecord pod, String container);

    /** A node's network namespace file (to setns into): probes run from the node, like kubelet's. */
    Path nodeNetns(LabState state, String node);

    /**
     * Stops a container's current process as kubelet does (SIGTERM, SIGKILL after {@code grace}) so
     * its supervisor restarts it per restartPolicy; blocks until it is gone. False if it was not running.
     */
    boolean killContainer(LabState state, PodRecord pod, String container, java.time.Duration grace);

    /**
     * Begins a deleted pod's graceful stop, as kubelet after the preStop hooks: its containers are no
     * longer restarted and their processes get SIGTERM. Returns at once; {@link #deletePods} kills what
     * is left when the grace period ends. A pod already gone is fine.
     */
    void terminatePod(LabState state, PodRecord pod);

    /**
     * Freezes ({@code pause}) or thaws a machine's daemon, as a hung process: it neither exits nor
     * answers (its BGP peers notice when their hold timer expires). False if it does not run.
     */
    boolean pauseDaemon(LabState state, String machine, String daemon, boolean pause);

    /**
     * Stops the pods' processes and removes their namespaces and files (their nodes forget them
     * through {@code applier}); the caller updates the state.
     */
    void deletePods(LabState state, List<PodRecord> pods, PlanApplier applier);

    /**
     * Sandboxes a killed controller left behind: namespaces in the state's ledger that no pod or machine
     * of the state owns (it died after saving a pod's removal, before the pod's sandbox was gone), with
     * their processes and files. Returns the namespaces removed; the caller saves the state. The netns
     * runtime's; the docker runtime leaves them to destroy.
     */
    default List<String> reapOrphans(LabState state) {
        return List.of();
    }

    /**
     * The host command that runs argv inside a pod (the named container, or its first), a node, a
     * host or the router; the caller runs it attached to a terminal or captures its output.
     */
    List<String> execCommand(LabState state, String target, String container, List<String> argv);

    /**
     * The devpts directory, seen from the host, where a terminal for an exec into the target is made;
     * null for the host's own /dev/pts (the netns runtime's sandboxes see the host's /dev).
     */
    default Path terminalDir(LabState state, String target, String container) {
        return null;
    }

    /** A file with a container's output: the netns runtime's live log; the docker runtime's snapshot of the engine's. */
    Path logFile(LabState state, PodRecord pod, String container);

    /**
     * What a pod's container (or an outside host's command: target is the host, container null)
     * printed so far, stdout and stderr interleaved.
     */
    String logs(LabState state, String target, String container);

    /**
     * Stops starting processes (a rollback from another thread is about to destroy the lab) and
     * waits for those being started, so destroy finds every one of them.
     */
    void cancel();

    /** Removes exactly what the lab's state records, processes first; safe to call twice. */
    void destroy(LabState state);

    /** Releases the runtime's connections (the docker runtime's engine client). */
    default void close() {}
}
