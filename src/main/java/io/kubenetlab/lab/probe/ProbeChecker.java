package io.kubenetlab.lab.probe;

import io.kubenetlab.k8s.Probe;
import io.kubenetlab.lab.ContainerRecord;
import io.kubenetlab.lab.PodRecord;
import java.util.concurrent.CompletableFuture;

/** Runs one probe (it must complete, within about the probe's timeout); a fake in tests. */
public interface ProbeChecker extends AutoCloseable {
    CompletableFuture<Outcome> check(PodRecord pod, ContainerRecord container, Probe probe);

    @Override
    default void close() {}
}
