package io.kubenetlab.model;

import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Map;

/**
 * A pod as the lab holds it: what the control plane decided (node, IP, names) plus the handle of its
 * sandbox process once started. {@code ownerName} is the Deployment's name, or null for a bare pod.
 * {@code deletion} is set while the pod terminates (deleted, its grace period running).
 */
public record PodRecord(String name, String namespace, String uid, Map<String, String> labels, String ownerKind,
                        String ownerName, String node, Ipv4 ip, String netns, String hostVeth, String restartPolicy,
                        List<ContainerRecord> containers, String createdAt, ProcessRef sandbox,
                        long terminationGracePeriodSeconds, PodDeletion deletion) {

    /** A pod with the default grace period (30 s), not terminating. */
    public PodRecord(String name, String namespace, String uid, Map<String, String> labels, String ownerKind,
                     String ownerName, String node, Ipv4 ip, String netns, String hostVeth, String restartPolicy,
                     List<ContainerRecord> containers, String createdAt, ProcessRef sandbox) {
        this(name, namespace, uid, labels, ownerKind, ownerName, node, ip, netns, hostVeth, restartPolicy, containers, createdAt, sandbox,
                30, null);
    }

    public PodRecord withSandbox(ProcessRef ref) {
        return new PodRecord(name, namespace, uid, labels, ownerKind, ownerName, node, ip, netns, hostVeth, restartPolicy,
                containers, createdAt, ref, terminationGracePeriodSeconds, deletion);
    }

    public PodRecord withLabels(Map<String, String> newLabels) {
        return new PodRecord(name, namespace, uid, Map.copyOf(newLabels), ownerKind, ownerName, node, ip, netns, hostVeth, restartPolicy,
                containers, createdAt, sandbox, terminationGracePeriodSeconds, deletion);
    }

    public PodRecord withDeletion(PodDeletion d) {
        return new PodRecord(name, namespace, uid, labels, ownerKind, ownerName, node, ip, netns, hostVeth, restartPolicy,
                containers, createdAt, sandbox, terminationGracePeriodSeconds, d);
    }

    /** Deleted, its grace period running: kubectl shows it Terminating. */
    public boolean terminating() {
        return deletion != null;
    }

    /** The pod's hostname: its name, truncated to 63 characters as kubelet does. */
    public String hostname() {
        return hostnameOf(name);
    }

    /** kubelet's rule: at most 63 characters, no trailing '-' or '.'. */
    public static String hostnameOf(String podName) {
        String h = podName.length() > 63 ? podName.substring(0, 63) : podName;
        while (h.endsWith("-") || h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }
}
