package io.kubenetlab.lab.probe;

/** One probe's result; {@code output} is kubelet's message for a failure (empty on success). */
public record Outcome(boolean success, String output) {
    public static Outcome ok() {
        return new Outcome(true, "");
    }

    public static Outcome failed(String output) {
        return new Outcome(false, output);
    }
}
