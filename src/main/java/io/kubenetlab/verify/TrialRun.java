package io.kubenetlab.verify;

import java.util.List;

/** What a probe's requests got; {@code error} when the exec itself failed (then no outcome). */
public record TrialRun(Trial probe, List<Outcome> outcomes, long elapsedMs, String error) {
    public TrialRun {
        outcomes = List.copyOf(outcomes);
    }

    public static TrialRun failed(Trial probe, String error, long elapsedMs) {
        return new TrialRun(probe, List.of(), elapsedMs, error);
    }

    public Tally tally() {
        return Tally.of(outcomes);
    }
}
