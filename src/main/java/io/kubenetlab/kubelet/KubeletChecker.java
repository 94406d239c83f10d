package io.kubenetlab.kubelet;

import io.kubenetlab.k8s.Probe;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.runtime.SandboxRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real checks: tcpSocket and httpGet from the pod's node network namespace toward the pod IP
 * (threads that joined it once), exec inside the container through the runtime's exec command.
 */
public final class KubeletChecker implements ProbeChecker {
    private final SandboxRuntime runtime;
    private final LabState state;
    private final Kernel kernel;
    private final NetnsExecutors nodes = new NetnsExecutors();
    /** exec probes start a process each (nsenter): a small pool, outside any node namespace. */
    private final ExecutorService execPool;

    public KubeletChecker(SandboxRuntime runtime, LabState state, Kernel kernel) {
        this.runtime = runtime;
        this.state = state;
        this.kernel = kernel;
        AtomicInteger n = new AtomicInteger();
        this.execPool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "kubenetlab-probe-exec-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<ProbeOutcome> check(PodRecord pod, ContainerRecord container, Probe probe) {
        Duration timeout = Duration.ofSeconds(probe.timeoutSeconds());
        if (probe.exec() != null) {
            return CompletableFuture.supplyAsync(() -> exec(pod, container, probe.exec().command(), timeout), execPool);
        }
        ExecutorService node = nodes.of(runtime.nodeNetns(state, pod.node()));
        return CompletableFuture.supplyAsync(() -> {
            String err = NetnsExecutors.joinError();
            if (err != null) return ProbeOutcome.failed(err);
            if (probe.httpGet() != null) {
                Probe.HttpGetAction h = probe.httpGet();
                return NetChecks.http(h.host() != null ? h.host() : pod.ip().toString(), h.port(), h.path(), h.httpHeaders(), timeout);
            }
            Probe.TcpSocketAction t = probe.tcpSocket();
            return NetChecks.tcp(t.host() != null ? t.host() : pod.ip().toString(), t.port(), timeout);
        }, node);
    }

    private ProbeOutcome exec(PodRecord pod, ContainerRecord container, List<String> command, Duration timeout) {
        try {
            var r = kernel.runWithTimeout(runtime.execCommand(state, pod.name(), container.name(), command), timeout);
            if (r.isEmpty()) return ProbeOutcome.failed("command \"" + String.join(" ", command) + "\" timed out");
            if (r.get().exit() == 0) return ProbeOutcome.ok();
            String out = r.get().stdout().strip();
            return ProbeOutcome.failed(out.isEmpty() ? "command \"" + String.join(" ", command) + "\" exited with " + r.get().exit() : out);
        } catch (RuntimeException e) {
            return ProbeOutcome.failed(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void close() {
        nodes.close();
        execPool.shutdownNow();
    }
}
