package io.kubenetlab.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.graph.LabGraph.Edge;
import io.kubenetlab.graph.LabGraph.EdgeKind;
import io.kubenetlab.graph.LabGraph.Kind;
import io.kubenetlab.graph.LabGraph.Vertex;
import io.kubenetlab.lab.Blueprint;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.planner.LabPlanner;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The article lab as a graph: what `kubenetlab graph` draws and the ui shows. */
public class GraphBuilderTest {
    static final Topology ARTICLE = TopologyLoader.load(Path.of("topologies/service-network.yaml"));

    public static GraphInputs article(Map<String, GraphInputs.PodState> states) {
        LabPlanner.Inputs in = Blueprint.of(ARTICLE, "i14g-unit", null, null, null, new LabStore(Path.of("/run/kubenetlab"))).healthy();
        return new GraphInputs(in.lab(), in.topology(), in.pods(), in.services(), in.endpoints(), states);
    }

    public static final LabGraph G = GraphBuilder.build(article(Map.of()));

    private static List<String> targets(LabGraph g, String from, EdgeKind kind) {
        return g.edges().stream().filter(e -> e.from().equals(from) && e.kind() == kind).map(Edge::to).toList();
    }

    private static List<Vertex> servicePods(LabGraph g) {
        return g.of(Kind.POD).stream().filter(v -> v.name().matches("service-test-[0-9a-f]+-[a-z0-9]+")).toList();
    }

    @Test
    void theRouterWiresEveryNetworkAtItsGateway() {
        assertThat(G.vertex("router")).get().extracting(Vertex::kind).isEqualTo(Kind.ROUTER);
        assertThat(G.edges()).filteredOn(e -> e.from().equals("router"))
                .extracting(Edge::to, Edge::label, Edge::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("net:nodes", "10.100.0.1", EdgeKind.LINK),
                        org.assertj.core.groups.Tuple.tuple("net:public", "203.0.113.1", EdgeKind.LINK),
                        org.assertj.core.groups.Tuple.tuple("net:outside", "192.0.2.1", EdgeKind.LINK));
        assertThat(G.vertex("net:nodes").orElseThrow().lines()).containsExactly("10.100.0.0/24");
    }

    @Test
    void eachNodeIsABoxWithItsAddressBridgeAndPodCidr() {
        assertThat(G.of(Kind.NODE)).extracting(Vertex::name).containsExactly("node1", "node2");
        Vertex node1 = G.vertex("node:node1").orElseThrow();
        assertThat(node1.lines()).containsExactly("eth0 10.100.0.2");
        assertThat(node1.details()).containsEntry("podCIDR", "10.0.1.0/24").containsEntry("address", "10.100.0.2");
        assertThat(node1.box()).isEqualTo("node1");
        Vertex cbr0 = G.vertex("bridge:node2").orElseThrow();
        assertThat(cbr0.name()).isEqualTo("cbr0");
        assertThat(cbr0.lines()).containsExactly("10.0.2.1/24", "pods 10.0.2.0/24");
        assertThat(cbr0.box()).isEqualTo("node2");
        assertThat(targets(G, "net:nodes", EdgeKind.LINK)).contains("node:node1", "node:node2");
        assertThat(targets(G, "node:node1", EdgeKind.LINK)).containsExactly("bridge:node1");
    }

    @Test
    void podsSitOnTheirNodesBridgeWithTheirIps() {
        List<Vertex> pods = servicePods(G);
        assertThat(pods).hasSize(2);
        assertThat(pods).extracting(Vertex::box).containsExactlyInAnyOrder("node1", "node2");
        for (Vertex p : pods) {
            String ip = p.details().get("IP");
            assertThat(ip).startsWith("node1".equals(p.box()) ? "10.0.1." : "10.0.2.");
            assertThat(p.lines()).containsExactly(ip);
            assertThat(targets(G, "bridge:" + p.box(), EdgeKind.LINK)).contains(p.id());
        }
        assertThat(G.vertex("pod:default/service-test-client1").orElseThrow().details()).containsEntry("namespace", "default");
    }

    @Test
    void servicesShowTheirClusterIpNodePortAndBalancerAndPointAtTheirEndpoints() {
        List<String> pods = servicePods(G).stream().map(Vertex::id).toList();
        Vertex svc = G.vertex("svc:default/service-test").orElseThrow();
        assertThat(svc.lines()).containsExactly("ClusterIP 10.3.241.152", "80\u21928080/TCP");
        assertThat(svc.details()).containsEntry("clusterIP", "10.3.241.152").containsEntry("selector", "app=service_test_pod");
        assertThat(targets(G, svc.id(), EdgeKind.ENDPOINT)).containsExactlyInAnyOrderElementsOf(pods);
        assertThat(G.edges()).filteredOn(e -> e.from().equals(svc.id())).extracting(Edge::label).containsOnly("8080");

        Vertex np = G.vertex("svc:default/service-test-nodeport").orElseThrow();
        assertThat(np.lines()).anyMatch(l -> l.startsWith("NodePort 10.3.")).contains("80\u21928080/TCP nodePort 30080");
        assertThat(targets(G, np.id(), EdgeKind.ENDPOINT)).containsExactlyInAnyOrderElementsOf(pods);

        Vertex lb = G.vertex("svc:default/service-test-lb").orElseThrow();
        assertThat(lb.lines()).contains("LB 203.0.113.100").anyMatch(l -> l.startsWith("LoadBalancer 10.3."));
        assertThat(G.edges()).filteredOn(e -> e.kind() == EdgeKind.BALANCES)
                .extracting(Edge::from, Edge::to, Edge::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lb", lb.id(), "203.0.113.100:80"));
    }

    @Test
    void outsideHostsAndTheLoadBalancerSitOnTheirNetworks() {
        assertThat(G.of(Kind.HOST)).extracting(Vertex::name).containsExactly("ext-client", "database");
        assertThat(targets(G, "net:nodes", EdgeKind.LINK)).contains("host:ext-client");
        assertThat(targets(G, "net:outside", EdgeKind.LINK)).containsExactly("host:database");
        assertThat(targets(G, "net:public", EdgeKind.LINK)).containsExactly("lb");
        assertThat(G.vertex("lb").orElseThrow().lines()).containsExactly("203.0.113.2", "pool 203.0.113.100-203.0.113.199");
        // The database Service's hand-written endpoint is the outside host's address: its arrow goes there.
        assertThat(targets(G, "svc:default/database", EdgeKind.ENDPOINT)).containsExactly("host:database");
    }

    @Test
    void podStatesColourPodsAndNotReadyEndpointsAreMarked() {
        GraphInputs in = article(Map.of());
        String first = servicePods(G).get(0).name();
        Map<String, GraphInputs.PodState> states = new HashMap<>();
        for (PodRecord p : in.pods()) states.put(p.name(), new GraphInputs.PodState("Running", !p.name().equals(first)));
        Map<String, List<EndpointRecord>> eps = new HashMap<>(in.endpoints());
        eps.put("default/service-test", eps.get("default/service-test").stream()
                .map(e -> e.podName().equals(first) ? new EndpointRecord(e.ip(), e.nodeName(), e.podName(), false, e.portName(), e.port(), e.protocol()) : e)
                .toList());
        LabGraph g = GraphBuilder.build(new GraphInputs(in.lab(), in.topology(), in.pods(), in.services(), eps, states));
        Vertex p = g.vertex("pod:default/" + first).orElseThrow();
        assertThat(p.lines()).element(1).isEqualTo("Running, not ready");
        assertThat(p.details()).containsEntry("ready", "false").containsEntry("phase", "Running");
        assertThat(g.edges()).filteredOn(e -> e.from().equals("svc:default/service-test"))
                .extracting(Edge::to, Edge::ready)
                .contains(org.assertj.core.groups.Tuple.tuple("pod:default/" + first, false));
    }

    @Test
    void theSameInputsGiveTheSameGraphAndIdsAreUnique() {
        assertThat(GraphBuilder.build(article(Map.of()))).isEqualTo(G);
        assertThat(G.vertices().stream().map(Vertex::id).distinct().count()).isEqualTo(G.vertices().size());
        assertThat(G.vertices().stream().map(Vertex::svgId).distinct().count()).isEqualTo(G.vertices().size());
        assertThat(G.vertices()).allMatch(v -> v.svgId().matches("v-[A-Za-z0-9_-]+"));
        for (Edge e : G.edges()) {
            assertThat(G.vertex(e.from())).as(e.toString()).isPresent();
            assertThat(G.vertex(e.to())).as(e.toString()).isPresent();
        }
    }
}
