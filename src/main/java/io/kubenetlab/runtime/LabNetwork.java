package io.kubenetlab.runtime;

import io.kubenetlab.kernel.Procs;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.model.LabNames;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.MachineRecord;
import io.kubenetlab.model.MachineRecord.Role;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.proxy.KubeProxyRules;
import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Topology.HostSpec;
import io.kubenetlab.model.Topology.Network;
import io.kubenetlab.model.Topology.NodeSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lab's wiring, the same on every runtime: once each machine and pod has a named network
 * namespace ({@code knl-<lab>-<name>} under /run/netns — made by {@code ip netns add} on the netns
 * runtime, attached to a container's namespace on the docker runtime), this class creates the
 * router's bridges, the veths, addresses, routes and sysctls, and programs the nodes' and the load
 * balancer's netfilter. Every link is created between lab namespaces, never in the root namespace.
 */
public final class LabNetwork {
    /** Sysctls the lab relies on, set explicitly: new namespaces inherit the host's values. */
    public static final Map<String, String> ROUTER_SYSCTLS = forwarding();
    public static final Map<String, String> NODE_SYSCTLS = nodeSysctls();
    public static final Map<String, String> HOST_SYSCTLS = Map.of("net.ipv4.ip_forward", "0");

    private final Kernel kernel;
    private final java.nio.file.Path stateRoot;

    public LabNetwork(Kernel kernel, java.nio.file.Path stateRoot) {
        this.stateRoot = stateRoot;
        this.kernel = kernel;
    }

    private static Map<String, String> nodeSysctls() {
        Map<String, String> m = forwarding();
        // Pod-to-pod traffic on the same node crosses cbr0: without this, replies of a Service
        // connection bypass conntrack's reverse NAT and the connection hangs (DESIGN.md, section 3).
        m.put("net.bridge.bridge-nf-call-iptables", "1");
        // kube-proxy's localhost NodePorts (127.0.0.1:NODEPORT) are DNATed to pods.
        m.put("net.ipv4.conf.all.route_localnet", "1");
        // Pod ports are born with addrgenmode none (1): no IPv6 link-local address, no DAD/RS flood.
        m.put("net.ipv6.conf.default.addr_gen_mode", "1");
        return m;
    }

    private static Map<String, String> forwarding() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("net.ipv4.ip_forward", "1");
        // The router routes pod CIDRs back out of the interface they came in on: no redirects,
        // or nodes would learn to bypass the gateway the article routes through.
        m.put("net.ipv4.conf.all.send_redirects", "0");
        m.put("net.ipv4.conf.default.send_redirects", "0");
        m.put("net.ipv4.conf.all.accept_redirects", "0");
        m.put("net.ipv4.conf.default.accept_redirects", "0");
        m.put("net.ipv4.conf.all.rp_filter", "0");
        m.put("net.ipv4.conf.default.rp_filter", "0");
        return m;
    }

    public static String netnsName(String lab, String object) {
        return LabNames.netnsName(lab, object);
    }

    public static String vethName(String lab, String object) {
        return LabNames.vethName(lab, object);
    }

    static String bridgeMac(String lab, String bridge) {
        return LabNames.bridgeMac(lab, bridge);
    }

    public static String alias(String lab, String what) {
        return LabNames.alias(lab, what);
    }

    // ---------------------------------------------------------------- machines

    /**
     * Wires the lab's machines, whose namespaces exist: the router's bridge per network with an
     * uplink per machine, each machine's eth0, the nodes' cbr0 and kube-proxy bootstrap chains,
     * routes and sysctls. Returns once the router's ports are up.
     */
    public void wireMachines(LabState s) {
        Topology t = s.topology;
        String lab = s.name;
        Topology.LoadBalancerSpec lb = t.loadBalancer();
        String router = netnsName(lab, Topology.ROUTER);
        List<String> rb = new ArrayList<>(List.of("link set lo up"));
        List<Network> nets = t.allNetworks();
        for (int i = 0; i < nets.size(); i++) {
            Network net = nets.get(i);
            String br = "br" + i;
            // The bridge before its ports, so no port shares an interface index with its peer.
            rb.add("link add " + br + " address " + bridgeMac(lab, "router/" + br) + " type bridge");
            rb.add("link set " + br + " alias " + alias(lab, "network/" + net.name()));
            rb.add("link set " + br + " addrgenmode none");
            rb.add("addr add " + net.cidr().withPrefix(net.gateway()) + " dev " + br);
            rb.add("link set " + br + " up");
            for (NodeSpec n : t.nodes()) if (i == 0) rb.addAll(uplink(lab, n.name(), br));
            for (HostSpec h : t.hosts()) if (h.network().equals(net.name())) rb.addAll(uplink(lab, h.name(), br));
            if (lb != null && lb.network().equals(net.name())) rb.addAll(uplink(lab, Topology.LOAD_BALANCER, br));
        }
        for (NodeSpec n : t.nodes()) rb.add("route add " + n.podCidr() + " via " + n.address());
        kernel.ipBatch(router, rb);
        kernel.sysctl(router, ROUTER_SYSCTLS);

        for (NodeSpec n : t.nodes()) {
            String ns = netnsName(lab, n.name());
            Network nn = t.nodeNetwork();
            List<String> b = new ArrayList<>(eth0(lab, n.name(), nn.cidr().withPrefix(n.address())));
            b.add("link add " + t.bridge() + " address " + bridgeMac(lab, n.name() + "/" + t.bridge()) + " type bridge");
            b.add("link set " + t.bridge() + " alias " + alias(lab, n.name() + "/" + t.bridge()));
            b.add("link set " + t.bridge() + " addrgenmode none");
            b.add("addr add " + n.podCidr().withPrefix(n.bridgeAddress()) + " dev " + t.bridge());
            b.add("link set " + t.bridge() + " up");
            b.add("route add default via " + nn.gateway());
            kernel.ipBatch(ns, b);
            kernel.sysctl(ns, NODE_SYSCTLS);
            // kube-proxy's chains and the jumps to them from the built-in chains, once per node.
            kernel.iptablesRestore(ns, KubeProxyRules.bootstrap(), stateRoot.resolve(lab).resolve("xtables-" + n.name() + ".lock"));
        }
        for (HostSpec h : t.hosts()) {
            String ns = netnsName(lab, h.name());
            Network net = t.network(h.network()).orElseThrow();
            List<String> b = new ArrayList<>(eth0(lab, h.name(), net.cidr().withPrefix(h.address())));
            b.add("route add default via " + net.gateway());
            kernel.ipBatch(ns, b);
            kernel.sysctl(ns, HOST_SYSCTLS);
        }
        if (lb != null) {
            String ns = netnsName(lab, Topology.LOAD_BALANCER);
            Network net = t.network(lb.network()).orElseThrow();
            List<String> b = new ArrayList<>(eth0(lab, Topology.LOAD_BALANCER, net.cidr().withPrefix(lb.address())));
            b.add("route add default via " + net.gateway());
            kernel.ipBatch(ns, b);
            kernel.sysctl(ns, ROUTER_SYSCTLS);
        }
        waitLinksUp(router);
    }

    /** The lab's machines in creation order: router, nodes, outside hosts, load balancer. */
    public static List<MachineRecord> machines(String lab, Topology t) {
        List<MachineRecord> machines = new ArrayList<>();
        machines.add(new MachineRecord(Topology.ROUTER, Role.ROUTER, netnsName(lab, Topology.ROUTER), null));
        for (NodeSpec n : t.nodes()) machines.add(new MachineRecord(n.name(), Role.NODE, netnsName(lab, n.name()), null));
        for (HostSpec h : t.hosts()) machines.add(new MachineRecord(h.name(), Role.HOST, netnsName(lab, h.name()), null));
        if (t.loadBalancer() != null) {
            machines.add(new MachineRecord(Topology.LOAD_BALANCER, Role.LOAD_BALANCER, netnsName(lab, Topology.LOAD_BALANCER), null));
        }
        return machines;
    }

    /** A machine's address on its network (the gateway for the router). */
    public static Ipv4 address(Topology t, String machine) {
        if (machine.equals(Topology.ROUTER)) return t.nodeNetwork().gateway();
        if (machine.equals(Topology.LOAD_BALANCER) && t.loadBalancer() != null) return t.loadBalancer().address();
        var node = t.node(machine);
        if (node.isPresent()) return node.get().address();
        return t.hosts().stream().filter(h -> h.name().equals(machine)).findFirst().orElseThrow().address();
    }

    private List<String> uplink(String lab, String machine, String bridge) {
        String port = vethName(lab, machine);
        return List.of(
                "link add " + port + " type veth peer name eth0 netns " + netnsName(lab, machine),
                "link set " + port + " alias " + alias(lab, machine + "/eth0"),
                "link set " + port + " addrgenmode none",
                "link set " + port + " master " + bridge,
                "link set " + port + " up");
    }

    private static List<String> eth0(String lab, String machine, String addressWithPrefix) {
        return List.of(
                "link set lo up",
                "link set eth0 alias " + alias(lab, machine + "/eth0"),
                "link set eth0 addrgenmode none",
                "addr add " + addressWithPrefix + " dev eth0",
                "link set eth0 up");
    }

    /**
     * A link comes up asynchronously (the kernel may batch carrier events for up to a second):
     * wait for operstate UP on the lab's ports instead of sleeping.
     */
    private void waitLinksUp(String netns) {
        long deadline = System.currentTimeMillis() + 5_000;
        while (true) {
            String out = kernel.ip(netns, "-o", "link", "show", "type", "veth");
            boolean allUp = out.lines().allMatch(l -> l.contains("state UP"));
            if (allUp || System.currentTimeMillis() > deadline) return;
            Procs.sleep(10);
        }
    }

    // ---------------------------------------------------------------- pods

    /** Each pod's veth pair, created from its node: the node's end on cbr0, eth0 in the pod's namespace. */
    public void plugPods(LabState s, List<PodRecord> pods) {
        Map<String, List<String>> nodeBatches = new LinkedHashMap<>();
        for (PodRecord pod : pods) {
            String veth = pod.hostVeth();
            // 3 netlink requests instead of 6: created enslaved and up; the node's
            // net.ipv6.conf.default.addr_gen_mode=1 makes it addrgenmode none from the start.
            nodeBatches.computeIfAbsent(pod.node(), k -> new ArrayList<>()).addAll(List.of(
                    "link add " + veth + " master " + s.topology.bridge() + " up type veth peer name eth0 netns " + pod.netns(),
                    "link set " + veth + " alias " + alias(s.name, "pod/" + pod.namespace() + "/" + pod.name()),
                    // hairpin: a pod reaching itself through a Service comes back out of the same port
                    "link set " + veth + " type bridge_slave hairpin on"));
        }
        nodeBatches.forEach((node, lines) -> kernel.ipBatch(netnsName(s.name, node), lines));
    }

    /** The pod's side of its veth, as ip -batch lines to run inside the pod's namespace. */
    public static List<String> podSide(Topology t, PodRecord pod) {
        NodeSpec node = t.node(pod.node()).orElseThrow();
        return List.of(
                "link set lo up",
                "link set eth0 addrgenmode none",
                "addr add " + node.podCidr().withPrefix(pod.ip()) + " dev eth0",
                "link set eth0 up",
                "route add default via " + node.bridgeAddress());
    }

    /**
     * After deleted pods' processes and namespaces are gone: the nodes forget their MACs (a new pod may
     * get the same address), and their files and the namespace ledger's entries go too.
     */
    public void releasePods(LabState s, List<PodRecord> pods) {
        forgetPods(s, pods);
        io.kubenetlab.model.LabPaths paths = new io.kubenetlab.model.LabPaths(stateRoot.resolve(s.name));
        for (PodRecord p : pods) {
            io.kubenetlab.store.LabStore.deleteTree(paths.pod(p));
            s.netns.remove(p.netns());
        }
    }

    private void forgetPods(LabState s, List<PodRecord> pods) {
        Map<String, List<String>> flush = new LinkedHashMap<>();
        for (PodRecord p : pods) flush.computeIfAbsent(p.node(), k -> new ArrayList<>()).add("neigh flush to " + p.ip());
        flush.forEach((node, cmds) -> kernel.ipBatchBestEffort(netnsName(s.name, node), cmds));
    }

    // ---------------------------------------------------------------- rules and routes

    /** Each node's own xtables lock, in the lab's state directory: nodes restore in parallel, each one alone. */
    java.nio.file.Path xtablesLock(LabState s, String node) {
        return stateRoot.resolve(s.name).resolve("xtables-" + node + ".lock");
    }

    public void applyProxyRules(LabState s, String node, String restoreText) {
        kernel.iptablesRestore(netnsName(s.name, node), restoreText, xtablesLock(s, node));
    }

    public void syncLoadBalancer(LabState s, Set<Ipv4> externalIPs, String natTable) {
        String ns = netnsName(s.name, Topology.LOAD_BALANCER);
        Set<String> have = new HashSet<>();
        for (String line : kernel.ip(ns, "-o", "-4", "addr", "show", "dev", "eth0").lines().toList()) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) if (f[i].equals("inet") && f[i + 1].endsWith("/32")) have.add(f[i + 1]);
        }
        List<String> b = new ArrayList<>();
        for (var ip : externalIPs) if (!have.remove(ip + "/32")) b.add("addr add " + ip + "/32 dev eth0");
        for (String stale : have) b.add("addr del " + stale + " dev eth0");
        kernel.ipBatch(ns, b);
        // The balancer's namespace is ours alone: a flushing restore of its nat table.
        kernel.run(List.of("ip", "netns", "exec", ns, Kernel.IPTABLES_RESTORE, Kernel.WAIT_FOR_LOCK), natTable, true);
    }

    public void syncExternalRoutes(LabState s, Set<Ipv4> externalIPs) {
        String router = netnsName(s.name, Topology.ROUTER);
        // Host routes (/32) in the gateway are only ever ours: the externalIPs of the last sync.
        Set<String> have = new HashSet<>();
        for (String line : kernel.ip(router, "-4", "route", "show").lines().toList()) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) continue; // a multipath route's nexthop lines
            String dst = line.split("\\s+")[0];
            if (!dst.contains("/") && !dst.equals("default")) have.add(dst);
        }
        List<String> b = new ArrayList<>();
        StringBuilder hops = new StringBuilder();
        for (NodeSpec n : s.topology.nodes()) hops.append(" nexthop via ").append(n.address());
        for (var ip : externalIPs) {
            have.remove(ip.toString());
            b.add("route replace " + ip + "/32" + hops);
        }
        for (String stale : have) b.add("route del " + stale + "/32");
        kernel.ipBatch(router, b);
    }

    public String liveRules(LabState s, String node) {
        return kernel.iptablesSave(netnsName(s.name, node));
    }
}
