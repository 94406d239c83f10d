package io.kubenetlab.kubelet;

import io.kubenetlab.k8s.Probe;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.PodRecord;
import java.util.concurrent.CompletableFuture;

/** Runs one probe (it must complete, within about the probe's timeout); a fake in tests. */
public interface ProbeChecker extends AutoCloseable {
    CompletableFuture<ProbeOutcome> check(PodRecord pod, ContainerRecord container, Probe probe);

    @Override
    default void close() {}
}
