package io.kubenetlab.verify;

import java.util.List;

/** What a probe's requests got; {@code error} when the exec itself failed (then no outcome). */
public record ProbeRun(Probe probe, List<Outcome> outcomes, long elapsedMs, String error) {
    public ProbeRun {
        outcomes = List.copyOf(outcomes);
    }

    public static ProbeRun failed(Probe probe, String error, long elapsedMs) {
        return new ProbeRun(probe, List.of(), elapsedMs, error);
    }

    public Tally tally() {
        return Tally.of(outcomes);
    }
}
