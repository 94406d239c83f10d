package io.kubenetlab.planner;

import io.kubenetlab.cni.CniPlugin;
import io.kubenetlab.cni.CniPlugins;
import io.kubenetlab.lb.LoadBalancerPlan;
import io.kubenetlab.lb.LoadBalancerRules;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.LabNames;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Topology.HostSpec;
import io.kubenetlab.model.Topology.Network;
import io.kubenetlab.model.Topology.NodeSpec;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.LinkPlan;
import io.kubenetlab.plan.MachineBuilder;
import io.kubenetlab.plan.MachinePlan.Kind;
import io.kubenetlab.plan.RoutePlan;
import io.kubenetlab.plan.Ruleset;
import io.kubenetlab.proxy.NodeSettings;
import io.kubenetlab.proxy.ProxyBackend;
import io.kubenetlab.proxy.ProxyBackends;
import io.kubenetlab.proxy.ProxyInputs;
import io.kubenetlab.proxy.ServiceEndpoints;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lab's desired kernel state from its topology, pods, Services and endpoints: the wiring every
 * lab shares (the gateway's bridge per network, each machine's {@code eth0} and default route,
 * sysctls), the network plugin's pod networks, kube-proxy's rulesets on every node, and the emulated
 * load balancer. Pure and deterministic: no clock, no randomness, no I/O.
 */
public final class LabPlanner {
    private final CniPlugin cni;
    private final ProxyBackend proxy;

    public LabPlanner(CniPlugin cni, ProxyBackend proxy) {
        this.cni = cni;
        this.proxy = proxy;
    }

    /** The planner for a lab file's plugin and kube-proxy mode. */
    public static LabPlanner of(Topology t) {
        return new LabPlanner(CniPlugins.of(t.cni()), ProxyBackends.of(t.proxyMode()));
    }

    public CniPlugin cni() {
        return cni;
    }

    public ProxyBackend proxy() {
        return proxy;
    }

    /** Everything a plan is computed from. */
    public record Inputs(String lab, Topology topology, List<PodRecord> pods, List<ServiceRecord> services,
                         Map<String, List<EndpointRecord>> endpoints, io.kubenetlab.lb.BackendHealth lbHealth) {
        /** Without load balancer health checks' verdicts (deploy, offline): the balancer predicts them. */
        public Inputs(String lab, Topology topology, List<PodRecord> pods, List<ServiceRecord> services,
                      Map<String, List<EndpointRecord>> endpoints) {
            this(lab, topology, pods, services, endpoints, io.kubenetlab.lb.BackendHealth.NONE);
        }
    }

    public LabPlan plan(Inputs in) {
        return plan(in, true);
    }

    /**
     * The plan without what Services add (kube-proxy's and the balancer's rulesets, externalIP routes):
     * enough to wire machines and pods, without rendering every node's rules.
     */
    public LabPlan wiring(Inputs in) {
        return plan(in, false);
    }

    private LabPlan plan(Inputs in, boolean services) {
        String lab = in.lab();
        Topology t = in.topology();
        Map<String, MachineBuilder> machines = new LinkedHashMap<>();
        MachineBuilder router = machine(machines, lab, Topology.ROUTER, Kind.ROUTER, null);
        for (NodeSpec n : t.nodes()) machine(machines, lab, n.name(), Kind.NODE, null);
        for (HostSpec h : t.hosts()) machine(machines, lab, h.name(), Kind.HOST, null);
        Topology.LoadBalancerSpec lb = t.loadBalancer();
        if (lb != null) machine(machines, lab, Topology.LOAD_BALANCER, Kind.LOAD_BALANCER, null);

        gateway(lab, t, router, machines);
        cni.planRouter(t, router);
        router.sysctls(Sysctls.ROUTER);
        for (NodeSpec n : t.nodes()) {
            MachineBuilder m = machines.get(n.name());
            uplinkEnd(lab, t, m, t.nodeNetwork(), n.address());
            cni.planNode(lab, t, n, m);
            m.sysctls(Sysctls.NODE);
        }
        for (HostSpec h : t.hosts()) {
            MachineBuilder m = machines.get(h.name());
            uplinkEnd(lab, t, m, t.network(h.network()).orElseThrow(), h.address());
            m.sysctls(Sysctls.HOST);
        }
        if (lb != null) {
            MachineBuilder m = machines.get(Topology.LOAD_BALANCER);
            uplinkEnd(lab, t, m, t.network(lb.network()).orElseThrow(), lb.address());
            m.sysctls(Sysctls.ROUTER);
        }
        for (PodRecord p : in.pods()) {
            MachineBuilder node = machines.get(p.node());
            MachineBuilder pod = new MachineBuilder(p.name(), Kind.POD, p.netns(), p.node());
            cni.planPod(lab, t, p, node, pod);
            machines.put("pod/" + p.namespace() + "/" + p.name(), pod);
        }
        if (services) services(in, router, machines);
        return new LabPlan(lab, cni.name(), proxy.mode(), machines.values().stream().map(MachineBuilder::build).toList());
    }

    /** Only the nodes' kube-proxy rulesets (what a Service or endpoint change rewrites), by node. */
    public Map<String, List<Ruleset>> proxyRulesets(Topology t, List<ServiceRecord> services, Map<String, List<EndpointRecord>> endpoints) {
        List<ServiceEndpoints> inputs = ProxyInputs.of(services, endpoints);
        Map<String, List<Ruleset>> out = new LinkedHashMap<>();
        for (NodeSpec n : t.nodes()) {
            NodeSettings node = NodeSettings.of(n.name(), n.address(), t.clusterCidr()).withServiceCidr(t.serviceCidr());
            out.put(n.name(), proxy.rulesets(inputs, node));
        }
        return out;
    }

    private static MachineBuilder machine(Map<String, MachineBuilder> machines, String lab, String name, Kind kind, String node) {
        MachineBuilder m = new MachineBuilder(name, kind, LabNames.netnsName(lab, name), node);
        machines.put(name, m);
        return m;
    }

    /**
     * The gateway: a bridge per network holding the network's gateway address, with an uplink port
     * per machine on it (the bridge before its ports, so no port shares an interface index with its peer).
     */
    private static void gateway(String lab, Topology t, MachineBuilder router, Map<String, MachineBuilder> machines) {
        router.link(LinkPlan.loopback());
        List<Network> nets = t.allNetworks();
        for (int i = 0; i < nets.size(); i++) {
            Network net = nets.get(i);
            String br = "br" + i;
            router.link(LinkPlan.bridge(br, LabNames.bridgeMac(lab, "router/" + br), null, LabNames.alias(lab, "network/" + net.name())));
            router.address(net.cidr().withPrefix(net.gateway()), br);
            List<String> on = new ArrayList<>();
            if (i == 0) t.nodes().forEach(n -> on.add(n.name()));
            for (HostSpec h : t.hosts()) if (h.network().equals(net.name())) on.add(h.name());
            if (t.loadBalancer() != null && t.loadBalancer().network().equals(net.name())) on.add(Topology.LOAD_BALANCER);
            for (String machine : on) {
                router.link(LinkPlan.vethCreator(LabNames.vethName(lab, machine), "eth0", machines.get(machine).netns(), br, null,
                        LabNames.alias(lab, machine + "/eth0"), false));
            }
        }
    }

    /** A machine's end of its uplink: eth0 with its address, the network's gateway as default route. */
    private static void uplinkEnd(String lab, Topology t, MachineBuilder m, Network net, Ipv4 address) {
        m.link(LinkPlan.loopback());
        m.link(LinkPlan.vethPeer("eth0", LabNames.vethName(lab, m.name()), LabNames.netnsName(lab, Topology.ROUTER), null,
                LabNames.alias(lab, m.name() + "/eth0")));
        m.address(net.cidr().withPrefix(address), "eth0");
        m.route(RoutePlan.via("default", net.gateway().toString()));
    }

    /**
     * What Services add: kube-proxy's rulesets on every node; the gateway's routes for Service
     * externalIPs (ECMP over every node); the load balancer's EXTERNAL-IPs and listeners.
     */
    private void services(Inputs in, MachineBuilder router, Map<String, MachineBuilder> machines) {
        Topology t = in.topology();
        proxyRulesets(t, in.services(), in.endpoints()).forEach((node, rulesets) -> rulesets.forEach(machines.get(node)::ruleset));
        Set<Ipv4> externalIPs = new TreeSet<>();
        in.services().forEach(s -> externalIPs.addAll(s.externalIPs()));
        List<String> nodes = t.nodes().stream().map(n -> n.address().toString()).toList();
        for (Ipv4 ip : externalIPs) router.route(RoutePlan.multipath(ip + "/32", nodes));
        if (t.loadBalancer() != null) {
            MachineBuilder lb = machines.get(Topology.LOAD_BALANCER);
            Topology.Network net = t.networks().stream().filter(n -> n.name().equals(t.loadBalancer().network())).findFirst().orElseThrow();
            List<ServiceRecord> served = io.kubenetlab.lb.ServedAddresses.inNetwork(in.services(), net.cidr(), t.loadBalancer().address());
            Set<Ipv4> lbIPs = new TreeSet<>();
            served.forEach(s -> lbIPs.addAll(s.loadBalancerIPs()));
            for (Ipv4 ip : lbIPs) lb.address(ip + "/32", "eth0");
            lb.ruleset(new Ruleset("load-balancer", Ruleset.IPTABLES_LEGACY, Ruleset.Sync.REPLACE,
                    LoadBalancerRules.render(LoadBalancerPlan.listeners(served, in.endpoints(), t.nodes(), in.lbHealth()))));
        }
    }
}
