package io.kubenetlab.k8s;

/**
 * A container lifecycle hook's handler (here: {@code preStop}), exactly one of exec, httpGet or sleep, as
 * upstream's LifecycleHandler. Plain data, saved as JSON.
 */
public record LifecycleHandler(Probe.ExecAction exec, Probe.HttpGetAction httpGet, Integer sleepSeconds) {

    /** The handler as a probe with the given timeout: kubelet's probe checkers run exec and httpGet alike. */
    public Probe asProbe(int timeoutSeconds) {
        return new Probe(exec, httpGet, null, 0, 1, Math.max(1, timeoutSeconds), 1, 1, null);
    }
}
