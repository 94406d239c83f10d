package io.kubenetlab.kubelet;

import io.kubenetlab.k8s.Probe;
import io.kubenetlab.model.ContainerRecord;

/** The three probes, with the words kubelet uses for them in events. */
public enum ProbeKind {
    STARTUP("Startup"), READINESS("Readiness"), LIVENESS("Liveness");

    private final String word;

    ProbeKind(String word) {
        this.word = word;
    }

    /** "Readiness", as in "Readiness probe failed: ...". */
    public String word() {
        return word;
    }

    public Probe of(ContainerRecord c) {
        return switch (this) {
            case STARTUP -> c.startupProbe();
            case READINESS -> c.readinessProbe();
            case LIVENESS -> c.livenessProbe();
        };
    }
}
