package io.kubenetlab.cluster;

import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Pod addresses per node, like host-local IPAM: the bridge takes the first address, pods the lowest
 * free one after it. Lowest-free keeps addresses deterministic: the same lab gets the same IPs.
 */
public final class Ipam {
    private final Map<String, Cidr> ranges = new HashMap<>();
    private final Map<String, TreeSet<Ipv4>> used = new HashMap<>();

    public void addNode(String node, Cidr podCidr) {
        ranges.put(node, podCidr);
        used.put(node, new TreeSet<>());
    }

    /** Marks an address as taken (a pod that already exists). */
    public void reserve(String node, Ipv4 ip) {
        Cidr range = range(node);
        if (!range.contains(ip)) throw new IllegalArgumentException(ip + " is outside node " + node + "'s pod CIDR " + range);
        if (!used.get(node).add(ip)) throw new IllegalArgumentException(ip + " is already allocated on node " + node);
    }

    public Ipv4 allocate(String node) {
        Cidr range = range(node);
        TreeSet<Ipv4> taken = used.get(node);
        // .0 is the network, .1 the bridge (pods' gateway), the last one broadcast.
        for (long i = 2; i < range.size() - 1; i++) {
            Ipv4 candidate = range.address(i);
            if (!taken.contains(candidate)) {
                taken.add(candidate);
                return candidate;
            }
        }
        throw new IllegalStateException("node " + node + " has no free pod address left in " + range
                + " (" + taken.size() + " pods)");
    }

    /** The highest free address: system pods take it, so workloads keep the low, predictable ones. */
    public Ipv4 allocateHighest(String node) {
        Cidr range = range(node);
        TreeSet<Ipv4> taken = used.get(node);
        for (long i = range.size() - 2; i >= 2; i--) {
            Ipv4 candidate = range.address(i);
            if (taken.add(candidate)) return candidate;
        }
        throw new IllegalStateException("node " + node + " has no free pod address left in " + range);
    }

    public void release(String node, Ipv4 ip) {
        used.get(node).remove(ip);
    }

    public int free(String node) {
        return (int) (range(node).size() - 3 - used.get(node).size());
    }

    private Cidr range(String node) {
        Cidr r = ranges.get(node);
        if (r == null) throw new IllegalArgumentException("unknown node " + node);
        return r;
    }
}
