package io.kubenetlab.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Blueprint;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.model.LabNames;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.plan.RoutePlan;
import io.kubenetlab.plan.Ruleset;
import io.kubenetlab.runtime.IpCommands;
import io.kubenetlab.runtime.PlanApplier;
import io.kubenetlab.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The article lab's plan, and the exact {@code ip -batch} lines it compiles to: the same lines the
 * engine ran before plans existed (LabNetwork), so the wiring did not change.
 */
class LabPlannerTest {
    static final String LAB = "service-network";
    static final Topology ARTICLE = TopologyLoader.load(Path.of("topologies/service-network.yaml"));

    /** The article lab as deploy plans it, healthy: every workload's pods, every Service, endpoints of ready pods. */
    static LabPlanner.Inputs article(Topology t) {
        return Blueprint.of(t, LAB, null, null, null, new LabStore(Path.of("/run/kubenetlab"))).healthy();
    }

    static LabPlan plan(Topology t) {
        return LabPlanner.of(t).plan(article(t));
    }

    private static List<String> uplink(String machine, String bridge) {
        String v = LabNames.vethName(LAB, machine);
        return List.of("link add " + v + " type veth peer name eth0 netns knl-" + LAB + "-" + machine,
                "link set " + v + " alias kubenetlab:" + LAB + ":" + machine + "/eth0",
                "link set " + v + " addrgenmode none",
                "link set " + v + " master " + bridge,
                "link set " + v + " up");
    }

    private static List<String> bridge(String name, String mac, String alias, String address) {
        return List.of("link add " + name + " address " + mac + " type bridge",
                "link set " + name + " alias kubenetlab:" + LAB + ":" + alias,
                "link set " + name + " addrgenmode none",
                "addr add " + address + " dev " + name,
                "link set " + name + " up");
    }

    private static List<String> eth0(String machine, String address) {
        return List.of("link set lo up",
                "link set eth0 alias kubenetlab:" + LAB + ":" + machine + "/eth0",
                "link set eth0 addrgenmode none",
                "addr add " + address + " dev eth0",
                "link set eth0 up");
    }

    @Test
    void theRouterIsWiredAsBefore() {
        MachinePlan router = plan(ARTICLE).machine("router").orElseThrow();
        List<String> want = new ArrayList<>(List.of("link set lo up"));
        want.addAll(bridge("br0", LabNames.bridgeMac(LAB, "router/br0"), "network/nodes", "10.100.0.1/24"));
        want.addAll(uplink("node1", "br0"));
        want.addAll(uplink("node2", "br0"));
        want.addAll(uplink("ext-client", "br0"));
        want.addAll(bridge("br1", LabNames.bridgeMac(LAB, "router/br1"), "network/public", "203.0.113.1/24"));
        want.addAll(uplink("lb", "br1"));
        want.addAll(bridge("br2", LabNames.bridgeMac(LAB, "router/br2"), "network/outside", "192.0.2.1/24"));
        want.addAll(uplink("database", "br2"));
        want.add("route add 10.0.1.0/24 via 10.100.0.2");
        want.add("route add 10.0.2.0/24 via 10.100.0.3");
        // The LoadBalancer Service's EXTERNAL-IP has no externalIPs route: only spec.externalIPs do.
        assertThat(IpCommands.machine(router, Set.of())).containsExactlyElementsOf(want);
        assertThat(router.sysctls()).containsEntry("net.ipv4.ip_forward", "1").containsEntry("net.ipv4.conf.all.send_redirects", "0");
    }

    @Test
    void aNodeIsWiredAsBeforeWithoutItsPods() {
        LabPlan plan = plan(ARTICLE);
        MachinePlan node = plan.machine("node1").orElseThrow();
        Set<String> pods = new java.util.HashSet<>();
        plan.pods().forEach(p -> pods.add(p.netns()));
        List<String> want = new ArrayList<>(eth0("node1", "10.100.0.2/24"));
        want.addAll(bridge("cbr0", LabNames.bridgeMac(LAB, "node1/cbr0"), "node1/cbr0", "10.0.1.1/24"));
        want.add("route add default via 10.100.0.1");
        List<String> lines = IpCommands.machine(node, pods);
        assertThat(lines.stream().filter(l -> !l.startsWith("neigh ")).toList()).containsExactlyElementsOf(want);
        // Every pod planned on the node is pinned on its bridge (0a:58 and the pod's address): before the
        // route, so the entries are there when the pods come.
        List<String> pinned = plan.pods().stream().filter(p -> p.node().equals("node1"))
                .map(p -> "neigh replace " + podIp(p) + " lladdr " + LabNames.podMac(io.kubenetlab.net.Ipv4.parse(podIp(p))) + " dev cbr0 nud permanent").toList();
        assertThat(pinned).isNotEmpty();
        assertThat(lines.stream().filter(l -> l.startsWith("neigh ")).toList()).containsExactlyInAnyOrderElementsOf(pinned);
        assertThat(lines.indexOf("route add default via 10.100.0.1")).isEqualTo(lines.size() - 1);
        assertThat(node.sysctls()).containsEntry("net.bridge.bridge-nf-call-iptables", "1")
                .containsEntry("net.ipv4.conf.all.route_localnet", "1").containsEntry("net.ipv6.conf.default.addr_gen_mode", "1");
        assertThat(node.rulesets()).extracting(Ruleset::owner).containsExactly("kube-proxy-jumps", "kube-proxy");
    }

    @Test
    void outsideHostsAndTheBalancerHangOffTheirNetwork() {
        LabPlan plan = plan(ARTICLE);
        List<String> db = new ArrayList<>(eth0("database", "192.0.2.42/24"));
        db.add("route add default via 192.0.2.1");
        assertThat(IpCommands.machine(plan.machine("database").orElseThrow(), Set.of())).containsExactlyElementsOf(db);
        assertThat(plan.machine("database").orElseThrow().sysctls()).isEqualTo(Map.of("net.ipv4.ip_forward", "0"));
        MachinePlan lb = plan.machine("lb").orElseThrow();
        // The LoadBalancer Service's EXTERNAL-IP sits on the balancer's eth0, its listener in its nat table.
        assertThat(lb.addresses()).extracting(a -> a.cidr()).containsExactly("203.0.113.2/24", "203.0.113.100/32");
        assertThat(lb.ruleset("load-balancer").orElseThrow().sync()).isEqualTo(Ruleset.Sync.REPLACE);
        assertThat(lb.ruleset("load-balancer").orElseThrow().text()).contains("-d 203.0.113.100/32 -p tcp -m tcp --dport 80");
    }

    /** A pod plan's address on eth0, without its prefix. */
    private static String podIp(MachinePlan pod) {
        return pod.addresses().get(0).cidr().split("/")[0];
    }

    @Test
    void aPodIsPluggedAsBefore() {
        LabPlan plan = plan(ARTICLE);
        MachinePlan podPlan = plan.pods().stream().filter(p -> p.name().startsWith("service-test-") && p.node().equals("node2")).findFirst().orElseThrow();
        PodRecord pod = article(ARTICLE).pods().stream().filter(p -> p.name().equals(podPlan.name())).findFirst().orElseThrow();
        PlanApplier.PodWiring w = PlanApplier.podWiring(plan, pod);
        assertThat(w.nodeNetns()).isEqualTo("knl-" + LAB + "-node2");
        assertThat(w.nodeLines()).containsExactly(
                "link add " + pod.hostVeth() + " master cbr0 up type veth peer name eth0 netns " + pod.netns(),
                "link set " + pod.hostVeth() + " alias kubenetlab:" + LAB + ":pod/default/" + pod.name(),
                "link set " + pod.hostVeth() + " type bridge_slave hairpin on");
        assertThat(w.podLines()).containsExactly("link set lo up", "link set eth0 address 0a:58:0a:00:02:02", "link set eth0 addrgenmode none",
                "addr add 10.0.2.2/24 dev eth0", "link set eth0 up",
                "neigh replace 10.0.2.1 lladdr " + LabNames.bridgeMac(LAB, "node2/cbr0") + " dev eth0 nud permanent",
                "route add default via 10.0.2.1");
        assertThat(w.podSysctls()).containsEntry("net.ipv4.conf.all.arp_notify", "1");
    }

    @Test
    void kubeProxysRulesetIsTheRendererOutput() {
        LabPlan plan = plan(ARTICLE);
        String rules = plan.machine("node1").orElseThrow().ruleset("kube-proxy").orElseThrow().text();
        assertThat(rules).contains("-A KUBE-SERVICES -m comment --comment \"default/service-test cluster IP\"")
                .contains("10.3.241.152").contains("--to-destination 10.0.2.2:8080");
        assertThat(plan.machine("node1").orElseThrow().ruleset("kube-proxy").orElseThrow().tables()).containsExactly("filter", "nat");
    }

    @Test
    void theSameInputsGiveTheSamePlan() {
        assertThat(plan(ARTICLE)).isEqualTo(plan(ARTICLE));
        assertThat(plan(ARTICLE).toString()).isEqualTo(plan(ARTICLE).toString());
    }

    @Test
    void hostGwRoutesPodCidrsBetweenNodesAndNotAtTheGateway() {
        LabPlan plan = plan(ARTICLE.withCni("host-gw"));
        assertThat(plan.cni()).isEqualTo("host-gw");
        MachinePlan router = plan.machine("router").orElseThrow();
        assertThat(router.routes()).extracting(RoutePlan::dst).doesNotContain("10.0.1.0/24", "10.0.2.0/24");
        assertThat(plan.machine("node1").orElseThrow().routes()).containsExactly(
                RoutePlan.via("default", "10.100.0.1"), RoutePlan.via("10.0.2.0/24", "10.100.0.3"));
        assertThat(plan.machine("node2").orElseThrow().routes()).containsExactly(
                RoutePlan.via("default", "10.100.0.1"), RoutePlan.via("10.0.1.0/24", "10.100.0.2"));
        // Pod traffic leaving the cluster network is masqueraded (the gateway cannot route replies to pods).
        Ruleset flannel = plan.machine("node1").orElseThrow().ruleset("flannel").orElseThrow();
        assertThat(flannel.sync()).isEqualTo(Ruleset.Sync.ONCE);
        assertThat(flannel.text()).contains("-A FLANNEL-POSTRTG -s 10.0.0.0/14 ! -d 224.0.0.0/4 -m comment --comment \"flanneld masq\" -j MASQUERADE --random-fully")
                .contains("-A FLANNEL-POSTRTG -s 10.0.1.0/24 -d 10.0.0.0/14");
        // Pods are wired alike: only the routes between nodes differ.
        LabPlan routed = plan(ARTICLE);
        assertThat(plan.pods()).isEqualTo(routed.pods());
    }

    @Test
    void serviceExternalIpsAreRoutedFromTheGatewayOverEveryNode() {
        LabPlanner.Inputs in = article(ARTICLE);
        ServiceRecord s = in.services().get(1);
        ServiceRecord withIp = new ServiceRecord(s.name(), s.namespace(), s.labels(), s.type(), s.selector(), s.clusterIP(), s.ports(),
                List.of(io.kubenetlab.net.Ipv4.parse("198.51.100.7")), s.loadBalancerIPs(), s.sessionAffinity(), s.affinityTimeoutSeconds(),
                s.externalTrafficPolicy(), s.internalTrafficPolicy(), s.loadBalancerSourceRanges(), s.externalName(), s.createdAt());
        List<ServiceRecord> services = new ArrayList<>(in.services());
        services.set(1, withIp);
        LabPlan plan = LabPlanner.of(ARTICLE).plan(new LabPlanner.Inputs(LAB, ARTICLE, in.pods(), services, in.endpoints()));
        RoutePlan r = plan.machine("router").orElseThrow().routes().stream().filter(x -> x.dst().equals("198.51.100.7/32")).findFirst().orElseThrow();
        assertThat(r.via()).containsExactly("10.100.0.2", "10.100.0.3");
        assertThat(IpCommands.routeAdd(r)).isEqualTo("route replace 198.51.100.7/32 nexthop via 10.100.0.2 nexthop via 10.100.0.3");
    }

    @Test
    void theWiringIsThePlanWithoutWhatServicesAdd() {
        LabPlan full = plan(ARTICLE);
        LabPlan wiring = LabPlanner.of(ARTICLE).wiring(article(ARTICLE));
        assertThat(wiring.machines()).extracting(MachinePlan::links).isEqualTo(full.machines().stream().map(MachinePlan::links).toList());
        assertThat(wiring.machine("node1").orElseThrow().rulesets()).isEmpty();
        assertThat(wiring.machine("lb").orElseThrow().addresses()).extracting(a -> a.cidr()).containsExactly("203.0.113.2/24");
        assertThat(wiring.pods()).isEqualTo(full.pods());
    }

    @Test
    void vxlanEncapsulatesBetweenNodesLikeFlannel() {
        LabPlan plan = plan(ARTICLE.withCni("vxlan"));
        MachinePlan node1 = plan.machine("node1").orElseThrow();
        io.kubenetlab.plan.LinkPlan vx = node1.link("flannel.1").orElseThrow();
        assertThat(vx.vxlan()).isEqualTo(new io.kubenetlab.plan.LinkPlan.Vxlan(1, "10.100.0.2", "eth0", 8472, false));
        assertThat(vx.mtu()).isEqualTo(1450);
        assertThat(node1.link("cbr0").orElseThrow().mtu()).isEqualTo(1450);
        String node2Mac = LabNames.bridgeMac(LAB, "node2/flannel.1");
        assertThat(node1.fdb()).containsExactly(new io.kubenetlab.plan.FdbEntry(node2Mac, "flannel.1", "10.100.0.3"));
        assertThat(node1.neighbours()).filteredOn(n -> !n.dev().equals("cbr0"))
                .containsExactly(new io.kubenetlab.plan.NeighbourEntry("10.0.2.0", node2Mac, "flannel.1"));
        assertThat(node1.neighbours()).filteredOn(n -> n.dev().equals("cbr0")).isNotEmpty().allMatch(n -> n.mac().startsWith("0a:58:0a:00:01:"));
        assertThat(node1.routes()).contains(new RoutePlan("10.0.2.0/24", List.of("10.0.2.0"), "flannel.1", true));
        assertThat(IpCommands.machine(node1, pods(plan))).contains(
                "link add flannel.1 address " + LabNames.bridgeMac(LAB, "node1/flannel.1") + " mtu 1450 type vxlan id 1 local 10.100.0.2 dev eth0 dstport 8472 nolearning",
                "addr add 10.0.1.0/32 dev flannel.1",
                "neigh replace 10.0.2.0 lladdr " + node2Mac + " dev flannel.1 nud permanent",
                "route add 10.0.2.0/24 via 10.0.2.0 dev flannel.1 onlink",
                "link add cbr0 address " + LabNames.bridgeMac(LAB, "node1/cbr0") + " mtu 1450 type bridge");
        assertThat(IpCommands.fdb(node1)).containsExactly("fdb append " + node2Mac + " dev flannel.1 dst 10.100.0.3 self permanent");
        // The gateway needs no pod routes; pods and their host ends get MTU 1450.
        assertThat(plan.machine("router").orElseThrow().routes()).isEmpty();
        MachinePlan pod = plan.pods().get(0);
        assertThat(pod.link("eth0").orElseThrow().mtu()).isEqualTo(1450);
        PodRecord record = article(ARTICLE).pods().get(0);
        assertThat(PlanApplier.podWiring(plan, record).nodeLines().get(0)).contains(" mtu 1450 master cbr0 up type veth peer name eth0 mtu 1450 netns ");
        assertThat(node1.ruleset("flannel")).isPresent();
    }

    @Test
    void bgpRunsBirdOnEveryNodeAndTheGatewayAndExpectsItsRoutes() {
        LabPlan plan = plan(ARTICLE.withCni("bgp"));
        MachinePlan node1 = plan.machine("node1").orElseThrow();
        assertThat(node1.daemons()).hasSize(1);
        io.kubenetlab.plan.DaemonPlan bird = node1.daemons().get(0);
        assertThat(bird.argvIn("/d")).containsExactly("bird", "-f", "-c", "/d/bird.conf", "-s", "/d/bird.ctl", "-P", "/d/bird.pid");
        String conf = bird.files().get("bird.conf");
        assertThat(conf).contains("router id 10.100.0.2;", "protocol direct { ipv4; interface \"eth0\"; }",
                "route 10.0.1.0/24 blackhole;", "local as 64512;", "gateway recursive;", "export where proto = \"pods\";",
                "connect delay time 1;", "connect retry time 3;", "error wait time 5,60;", "graceful restart;",
                "protocol bgp peer_10_100_0_1 from mesh {\n  neighbor 10.100.0.1 as 64512;\n  source address 10.100.0.2;\n}\n",
                "protocol bgp peer_10_100_0_3 from mesh {\n  neighbor 10.100.0.3 as 64512;\n  source address 10.100.0.2;\n  passive on;",
                "export where source = RTS_BGP;");
        assertThat(conf).doesNotContain("neighbor 10.100.0.2 ");
        // No route is written by the lab: they are the daemons' (proto bird), expected and checked.
        assertThat(node1.routes()).containsExactly(RoutePlan.via("default", "10.100.0.1"), RoutePlan.learnt("10.0.2.0/24", "10.100.0.3", "bird"));
        assertThat(IpCommands.machine(node1, pods(plan))).noneMatch(l -> l.contains("10.0.2.0/24"));
        MachinePlan router = plan.machine("router").orElseThrow();
        assertThat(router.routes()).containsExactly(RoutePlan.learnt("10.0.1.0/24", "10.100.0.2", "bird"), RoutePlan.learnt("10.0.2.0/24", "10.100.0.3", "bird"));
        String routerConf = router.daemons().get(0).files().get("bird.conf");
        assertThat(routerConf).contains("interface \"br0\"", "export none;").doesNotContain("blackhole");
        // Every session has one passive side (calico: the one whose peer's address is greater as a string).
        assertThat(routerConf.split("passive on", -1)).hasSize(3);
        assertThat(plan.machine("node1").orElseThrow().ruleset("flannel")).isEmpty(); // pods keep their addresses outside
    }

    private static Set<String> pods(LabPlan plan) {
        Set<String> out = new java.util.HashSet<>();
        plan.pods().forEach(p -> out.add(p.netns()));
        return out;
    }
}
