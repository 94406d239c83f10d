package io.kubenetlab.kubelet;

import io.kubenetlab.k8s.Probe;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.PodFacts.ContainerFacts;
import io.kubenetlab.model.PodRecord;

/**
 * One probe of one container, as kubelet's probe worker: decides at each tick whether to probe
 * (container running, past its startup probe and initialDelaySeconds, not on hold after a kill),
 * counts outcomes per container run, and says when a failure must restart the container.
 * No threads and no clock of its own: {@link ProbeManager} drives it, tests drive it with a fake clock.
 */
public final class ProbeWorker {
    /** While a container is being created, look again this often (not a whole period) to probe it soon after it starts. */
    static final long CREATING_POLL_MS = 100;

    /** What a tick decided: probe now or not, when to tick next, and whether the published result changed. */
    public record Step(boolean probe, long nextAtMs, boolean changed) {}

    /** What an outcome did: the result changed; the container must be killed (liveness or startup failure). */
    public record Effect(boolean changed, boolean kill) {}

    private volatile PodRecord pod;
    private final ContainerRecord container;
    private final ProbeKind kind;
    private final Probe probe;
    private ProbeState state;
    private int run = -1;
    private boolean onHold;

    public ProbeWorker(PodRecord pod, ContainerRecord container, ProbeKind kind) {
        this.pod = pod;
        this.container = container;
        this.kind = kind;
        this.probe = kind.of(container);
        this.state = new ProbeState(kind, probe);
    }

    /**
     * Begins from an earlier prober's published result for container run {@code forRun}: kept while the
     * container is still in that run (a new run starts from scratch as always), replaced by the next outcomes.
     */
    public synchronized void resume(int forRun, ProbeState.Result result) {
        run = forRun;
        state = ProbeState.resumed(kind, probe, result);
    }

    public PodRecord pod() {
        return pod;
    }

    void pod(PodRecord newer) {
        this.pod = newer;
    }

    public ContainerRecord container() {
        return container;
    }

    public ProbeKind kind() {
        return kind;
    }

    public Probe probe() {
        return probe;
    }

    long periodMs() {
        return probe.periodSeconds() * 1000L;
    }

    /** The published result for this container run (UNKNOWN for another run). */
    public synchronized ProbeState.Result result(int forRun) {
        return forRun == run ? state.result() : ProbeState.Result.UNKNOWN;
    }

    public synchronized int run() {
        return run;
    }

    /**
     * @param started whether the container is past its startup probe (true without one)
     */
    public synchronized Step tick(long now, ContainerFacts f, boolean started) {
        boolean changed = false;
        if (f.run() != run) {
            // A new run is a new container for kubelet: a fresh worker state, readiness back to false.
            changed = run >= 0 && state.result() == ProbeState.Result.SUCCESS && kind != ProbeKind.LIVENESS;
            run = f.run();
            state = new ProbeState(kind, probe);
            onHold = false;
        }
        if (!f.running()) {
            if (kind == ProbeKind.READINESS && state.forceFailure()) changed = true;
            return new Step(false, now + (run == 0 ? Math.min(CREATING_POLL_MS, periodMs()) : periodMs()), changed);
        }
        boolean done = kind == ProbeKind.STARTUP && state.result() == ProbeState.Result.SUCCESS;
        if (onHold || done || (kind != ProbeKind.STARTUP && !started)) return new Step(false, now + periodMs(), changed);
        long due = f.startedAtMs() + probe.initialDelaySeconds() * 1000L;
        if (now < due) return new Step(false, due, changed);
        return new Step(true, now + periodMs(), changed);
    }

    /** Counts an outcome of a probe made during {@code forRun}; outcomes of an older run are ignored. */
    public synchronized Effect outcome(ProbeOutcome o, int forRun) {
        if (forRun != run || onHold) return new Effect(false, false);
        boolean changed = state.record(o.success());
        boolean kill = changed && state.result() == ProbeState.Result.FAILURE && kind != ProbeKind.READINESS;
        if (kill) onHold = true; // until the supervisor has started the next run
        return new Effect(changed, kill);
    }
}
