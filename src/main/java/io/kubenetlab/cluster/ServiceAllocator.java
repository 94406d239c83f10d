package io.kubenetlab.cluster;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.k8s.Service;
import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.model.Topology.PortRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Admits Services: ClusterIPs from the service CIDR and nodePorts from the NodePort range, with the
 * API server's error wording. Requested values are honoured (the article's 10.3.241.152, nodePort
 * 30080); others are picked from a hash of the Service's name, probing upwards, so the same lab
 * gets the same addresses every time.
 */
public final class ServiceAllocator {
    /** How the API server begins the message of an internal error; such a reason is served as a 500, not a 422. */
    public static final String INTERNAL_ERROR = "Internal error occurred: ";
    private final Cidr serviceCidr;
    private final PortRange nodePorts;
    private final Set<Ipv4> usedIPs = new HashSet<>();
    private final Set<Integer> usedPorts = new HashSet<>();
    private final Set<Ipv4> reservedIPs;
    /** The load balancer's pool (null: no load balancer, LoadBalancer Services stay pending, as on kind). */
    private final Ipv4 lbFirst;
    private final Ipv4 lbLast;
    private final Set<Ipv4> usedLbIPs = new HashSet<>();
    private final java.time.Clock clock;

    /** {@code reserved}: addresses no Service may take by allocation (the cluster DNS address). */
    public ServiceAllocator(Cidr serviceCidr, PortRange nodePorts, Set<Ipv4> reserved, java.time.Clock clock) {
        this(serviceCidr, nodePorts, reserved, null, null, clock);
    }

    /** {@code clock}: when an admitted Service was created (injected: the allocator never reads the time itself). */
    public ServiceAllocator(Cidr serviceCidr, PortRange nodePorts, Set<Ipv4> reserved, Ipv4 lbFirst, Ipv4 lbLast, java.time.Clock clock) {
        this.clock = clock;
        this.serviceCidr = serviceCidr;
        this.nodePorts = nodePorts;
        this.reservedIPs = Set.copyOf(reserved);
        this.lbFirst = lbFirst;
        this.lbLast = lbLast;
    }

    /** Records a Service already admitted (state read back from disk). */
    public void restore(ServiceRecord s) {
        if (s.clusterIP() != null && !s.headless()) usedIPs.add(Ipv4.parse(s.clusterIP()));
        for (ServicePortSpec p : s.ports()) if (p.nodePort() > 0) usedPorts.add(p.nodePort());
        if (s.healthCheckNodePort() > 0) usedPorts.add(s.healthCheckNodePort());
        usedLbIPs.addAll(s.loadBalancerIPs());
    }

    public ServiceRecord admit(Service s) {
        String file = s.source().substring(0, s.source().lastIndexOf(':'));
        int line = Integer.parseInt(s.source().substring(s.source().lastIndexOf(':') + 1));
        String clusterIP = s.clusterIP();
        if (s.type().equals("ExternalName")) {
            clusterIP = null;
        } else if (clusterIP == null) {
            clusterIP = allocateIP(s.metadata().key()).toString();
        } else if (!s.headless()) {
            Ipv4 ip = Ipv4.parse(clusterIP);
            String prefix = "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip + ": ";
            if (!serviceCidr.contains(ip) || ip.equals(serviceCidr.network()) || ip.equals(serviceCidr.broadcast())) {
                throw new ConfigException(file, line, "spec.clusterIPs", prefix + "the provided IP (" + ip
                        + ") is not in the valid range. The range of valid IPs is " + serviceCidr);
            }
            if (!usedIPs.add(ip)) throw new ConfigException(file, line, "spec.clusterIPs", prefix + "provided IP is already allocated");
        }
        List<ServicePortSpec> ports = new ArrayList<>();
        List<Integer> mine = new ArrayList<>();
        // The API server's key for a nodePort is (nodePort, protocol): 53/TCP and 53/UDP may share one.
        java.util.Map<Integer, Integer> portOfNodePort = new java.util.HashMap<>();
        for (int i = 0; i < s.ports().size(); i++) {
            ServicePortSpec p = s.ports().get(i);
            if (s.hasNodePorts()) {
                int np = p.nodePort();
                if (np == 0 && !s.options().allocatesNodePorts()) {
                    ports.add(p); // allocateLoadBalancerNodePorts: false, and none asked for
                    continue;
                }
                if (np == 0) {
                    np = allocatePort(s.metadata().key() + ":" + p.name() + "/" + p.protocol());
                } else {
                    String field = "spec.ports[" + i + "].nodePort";
                    if (np < nodePorts.first() || np > nodePorts.last()) {
                        release(clusterIP, s, mine);
                        throw new ConfigException(file, line, field, "Invalid value: " + np
                                + ": provided port is not in the valid range. The range of valid ports is " + nodePorts);
                    }
                    boolean sharedAcrossProtocols = Integer.valueOf(p.port()).equals(portOfNodePort.get(np));
                    if (!sharedAcrossProtocols && !usedPorts.add(np)) {
                        release(clusterIP, s, mine);
                        throw new ConfigException(file, line, field, "Invalid value: " + np + ": provided port is already allocated");
                    }
                }
                if (!portOfNodePort.containsKey(np)) mine.add(np);
                portOfNodePort.put(np, p.port());
                p = p.withNodePort(np);
            }
            ports.add(p);
        }
        int healthPort = 0;
        if (s.needsHealthCheck()) {
            try {
                healthPort = healthCheckNodePort(s);
            } catch (ConfigException e) {
                release(clusterIP, s, mine);
                throw new ConfigException(file, line, e.field(), e.reason());
            }
        }
        // Another class's balancer owns the Service: the lab's leaves it alone, as a cloud's service controller does.
        boolean ours = s.type().equals("LoadBalancer") && lbFirst != null && s.options().loadBalancerClass() == null;
        Ipv4 lbIP = !ours ? null : s.options().loadBalancerIP() != null ? requestedLbIP(Ipv4.parse(s.options().loadBalancerIP())) : allocateLbIP();
        List<Ipv4> lbIPs = lbIP == null ? List.of() : List.of(lbIP);
        return ServiceRecord.admitted(s, clusterIP, ports, lbIPs, clock.instant().toString(), healthPort);
    }

    /** spec.loadBalancerIP: that address if the pool has it free; otherwise none (pending), as a cloud's balancer leaves it. */
    private Ipv4 requestedLbIP(Ipv4 ip) {
        return canGive(ip) && usedLbIPs.add(ip) ? ip : null;
    }

    /** Whether the lab's load balancer has this address in its pool (false without one). */
    public boolean canGive(Ipv4 ip) {
        return lbFirst != null && ip.unsigned() >= lbFirst.unsigned() && ip.unsigned() <= lbLast.unsigned();
    }

    /**
     * Upstream's allocHealthCheckNodePort: the same allocator as nodePorts (so neither may take the
     * other's port); its failures are internal errors there (500, "Internal error occurred: ...").
     */
    private int healthCheckNodePort(Service s) {
        int hc = s.healthCheckNodePort();
        if (hc == 0) return allocatePort(s.metadata().key() + "/healthCheckNodePort");
        String prefix = INTERNAL_ERROR + "failed to allocate requested HealthCheck NodePort " + hc + ": ";
        if (hc < nodePorts.first() || hc > nodePorts.last()) {
            throw new ConfigException(null, "spec.healthCheckNodePort", prefix
                    + "provided port is not in the valid range. The range of valid ports is " + nodePorts);
        }
        if (!usedPorts.add(hc)) throw new ConfigException(null, "spec.healthCheckNodePort", prefix + "provided port is already allocated");
        return hc;
    }

    /** A refused Service takes nothing with it. */
    private void release(String clusterIP, Service s, List<Integer> ports) {
        if (clusterIP != null && !s.headless()) usedIPs.remove(Ipv4.parse(clusterIP));
        usedPorts.removeAll(ports);
    }

    private Ipv4 allocateIP(String key) {
        long size = serviceCidr.size() - 2; // no network, no broadcast address
        long start = Integer.toUnsignedLong(hash(key)) % size;
        for (long i = 0; i < size; i++) {
            Ipv4 candidate = serviceCidr.address(1 + (start + i) % size);
            if (!usedIPs.contains(candidate) && !reservedIPs.contains(candidate)) {
                usedIPs.add(candidate);
                return candidate;
            }
        }
        throw new IllegalStateException("no free ClusterIP left in " + serviceCidr);
    }

    /**
     * The load balancer hands out its pool in order, like MetalLB: the first Service gets the first
     * address; with the pool used up the Service stays pending (null), as MetalLB leaves it.
     */
    private Ipv4 allocateLbIP() {
        long size = lbLast.unsigned() - lbFirst.unsigned() + 1;
        for (long i = 0; i < size; i++) {
            Ipv4 candidate = lbFirst.plus(i);
            if (usedLbIPs.add(candidate)) return candidate;
        }
        return null;
    }

    private int allocatePort(String key) {
        int size = nodePorts.last() - nodePorts.first() + 1;
        int start = (int) (Integer.toUnsignedLong(hash(key)) % size);
        for (int i = 0; i < size; i++) {
            int candidate = nodePorts.first() + (start + i) % size;
            if (usedPorts.add(candidate)) return candidate;
        }
        throw new IllegalStateException("no free nodePort left in " + nodePorts);
    }

    static int hash(String key) {
        return PodNamer.fnv1a(key);
    }
}
