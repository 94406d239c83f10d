package io.kubenetlab.kubelet;

import io.kubenetlab.k8s.Probe;

/**
 * kubelet's result counting for one probe of one container run: the published result changes only
 * after {@code successThreshold} consecutive successes or {@code failureThreshold} consecutive
 * failures. Readiness starts as failure (a pod is not ready until probed), liveness as success,
 * startup as unknown (not started).
 */
public final class ProbeState {
    public enum Result { UNKNOWN, SUCCESS, FAILURE }

    private final ProbeKind kind;
    private final Probe probe;
    private Result result;
    private Boolean last;
    private int run;

    public ProbeState(ProbeKind kind, Probe probe) {
        this.kind = kind;
        this.probe = probe;
        this.result = switch (kind) {
            case READINESS -> Result.FAILURE;
            case LIVENESS -> Result.SUCCESS;
            case STARTUP -> Result.UNKNOWN;
        };
    }

    /** A state that begins from an earlier prober's published result (counting starts over). */
    public static ProbeState resumed(ProbeKind kind, Probe probe, Result result) {
        ProbeState s = new ProbeState(kind, probe);
        if (kind != ProbeKind.LIVENESS && result != Result.UNKNOWN) s.result = result;
        return s;
    }

    public Result result() {
        return result;
    }

    /** Counts one outcome; true if the published result changed. */
    public boolean record(boolean success) {
        if (last != null && last == success) run++;
        else {
            last = success;
            run = 1;
        }
        if (run < (success ? probe.successThreshold() : probe.failureThreshold())) return false;
        Result next = success ? Result.SUCCESS : Result.FAILURE;
        boolean changed = next != result;
        result = next;
        // kubelet: after a liveness or startup failure the container is restarted; counting starts over.
        if (!success && kind != ProbeKind.READINESS) run = 0;
        return changed;
    }

    /** readiness: a container that is not running is not ready, whatever the last probe said. */
    public boolean forceFailure() {
        boolean changed = result != Result.FAILURE;
        result = Result.FAILURE;
        last = null;
        run = 0;
        return changed;
    }
}
