package io.kubenetlab.model;

/**
 * What the prober knows of a container's current run, for {@link KubeletStatus}. Without a prober
 * (a one-shot CLI command) {@link #NONE}: kubelet's rule, ready when running; for a container with a
 * readiness probe no one runs, its declared TCP ports listening stand in for the probe.
 */
public interface ProbeView {
    /** The readiness probe's result for this run; null when the container declares no readiness probe. */
    Boolean ready(PodRecord pod, ContainerRecord container, int run);

    /** kubelet's "started": true once the startup probe has succeeded this run (true without one). */
    boolean started(PodRecord pod, ContainerRecord container, int run);

    ProbeView NONE = new ProbeView() {
        @Override
        public Boolean ready(PodRecord pod, ContainerRecord container, int run) {
            return null;
        }

        @Override
        public boolean started(PodRecord pod, ContainerRecord container, int run) {
            return true;
        }
    };
}
