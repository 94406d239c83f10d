package io.kubenetlab.kubelet;

/** One probe's result; {@code output} is kubelet's message for a failure (empty on success). */
public record ProbeOutcome(boolean success, String output) {
    public static ProbeOutcome ok() {
        return new ProbeOutcome(true, "");
    }

    public static ProbeOutcome failed(String output) {
        return new ProbeOutcome(false, output);
    }
}
