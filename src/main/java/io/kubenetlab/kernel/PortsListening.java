package io.kubenetlab.kernel;

import io.kubenetlab.model.ContainerRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "Every declared TCP port listens" for a container's run, remembered once true: deploy's ordering
 * convenience (a workload starts once the previous one serves), not kubelet's readiness. UDP and SCTP
 * ports are not read: a UDP server need not bind before its first datagram, and this kernel has no
 * SCTP sockets at all. Reading a namespace's
 * /proc/net/tcp walks the host's whole socket hash table (~4 ms here, per read), and a server that
 * listened keeps listening while its process runs: a new run (or process) asks again.
 */
public final class PortsListening {
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

    /** Whether the container's ports listen, read from the namespace of {@code pidInNetns} until they do. */
    public boolean check(String podUid, ContainerRecord c, long run, long pidInNetns) {
        var tcp = c.ports().stream().filter(p -> p.protocol().equals("TCP")).toList();
        if (tcp.isEmpty()) return true;
        String key = podUid + "/" + c.name() + "/" + run + "/" + pidInNetns;
        if (seen.containsKey(key)) return true;
        boolean all = tcp.stream().allMatch(port -> Procs.listening(pidInNetns, "TCP", port.containerPort()));
        if (all) {
            if (seen.size() > 100_000) seen.clear(); // a long-lived controller: forget, and read again
            seen.put(key, true);
        }
        return all;
    }
}
