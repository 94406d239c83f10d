package io.kubenetlab.topology;

import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.model.Topology.HostSpec;
import io.kubenetlab.model.Topology.NodeSpec;
import io.kubenetlab.model.Topology.PortRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopologyLoaderTest {

    @TempDir
    Path dir;

    /** A valid lab head: name and node network; tests append clusterCIDR, nodes, hosts... */
    private static final String HEAD = """
            name: t
            nodeNetwork:
              cidr: 10.100.0.0/24
              gateway: 10.100.0.1
            """;

    private static final String ONE_NODE = """
            nodes:
              - name: node1
                address: 10.100.0.2
            """;

    private static final String TWO_NODES = """
            nodes:
              - name: node1
                address: 10.100.0.2
              - name: node2
                address: 10.100.0.3
            """;

    private static Cidr cidr(String s) {
        return Cidr.parse(s);
    }

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    private Path write(String name, String text) {
        try {
            Path f = dir.resolve(name);
            Files.createDirectories(f.getParent());
            Files.writeString(f, text);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Topology load(String yaml) {
        return TopologyLoader.load(write("lab.yaml", yaml));
    }

    private ConfigException error(String yaml) {
        Path f = write("lab.yaml", yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TopologyLoader.load(f));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        assertThat(e.file()).isEqualTo(f.toString());
        return e;
    }

    // ------------------------------------------------------------------ the article's lab

    @Test
    void loadsTheArticleLab() {
        Topology t = TopologyLoader.load(Path.of("topologies/service-network.yaml"));
        assertThat(t.name()).isEqualTo("service-network");
        assertThat(t.runtime()).isEqualTo("netns");
        assertThat(t.file()).isEqualTo(Path.of("topologies/service-network.yaml").toAbsolutePath().normalize());
        assertThat(t.nodeNetwork().name()).isEqualTo("nodes");
        assertThat(t.nodeNetwork().cidr()).isEqualTo(cidr("10.100.0.0/24"));
        assertThat(t.nodeNetwork().gateway()).isEqualTo(ip("10.100.0.1"));
        assertThat(t.clusterCidr()).isEqualTo(cidr("10.0.0.0/14"));
        assertThat(t.serviceCidr()).isEqualTo(cidr("10.3.240.0/20"));
        assertThat(t.podCidrSize()).isEqualTo(24);
        assertThat(t.nodePortRange()).isEqualTo(new PortRange(30000, 32767));
        assertThat(t.nodePortRange()).hasToString("30000-32767");
        assertThat(t.bridge()).isEqualTo("cbr0");
        assertThat(t.nodes()).containsExactly(
                new NodeSpec("node1", ip("10.100.0.2"), cidr("10.0.1.0/24")),
                new NodeSpec("node2", ip("10.100.0.3"), cidr("10.0.2.0/24")));
        assertThat(t.nodes().get(0).bridgeAddress()).isEqualTo(ip("10.0.1.1"));
        assertThat(t.nodes().get(1).bridgeAddress()).isEqualTo(ip("10.0.2.1"));
        assertThat(t.networks()).containsExactly(new Topology.Network("public", Cidr.parse("203.0.113.0/24"), ip("203.0.113.1")),
                new Topology.Network("outside", Cidr.parse("192.0.2.0/24"), ip("192.0.2.1")));
        assertThat(t.loadBalancer()).isEqualTo(new Topology.LoadBalancerSpec("public", ip("203.0.113.2"), ip("203.0.113.100"), ip("203.0.113.199")));
        assertThat(t.hosts()).containsExactly(new HostSpec("ext-client", ip("10.100.0.100"), "nodes", List.of(), List.of()),
                new HostSpec("database", ip("192.0.2.42"), "outside", List.of(), List.of(5432), "postgres:15"));
        Path manifests = Path.of("topologies/manifests").toAbsolutePath().normalize();
        assertThat(t.manifests()).containsExactly(
                manifests.resolve("service-test-deployment.yaml"),
                manifests.resolve("service-test-client1.yaml"),
                manifests.resolve("service-test-service.yaml"),
                manifests.resolve("service-test-variants.yaml"),
                manifests.resolve("service-test-client2.yaml"),
                manifests.resolve("database.yaml"));
        assertThat(t.manifests()).allSatisfy(p -> assertThat(p).isAbsolute().isRegularFile());
        // the article's ClusterIP lies in the service CIDR, which lies inside the cluster CIDR
        assertThat(t.serviceCidr().contains(ip("10.3.241.152"))).isTrue();
        assertThat(t.clusterCidr().contains(t.serviceCidr())).isTrue();
    }

    @Test
    void topologyLookups() {
        Topology t = TopologyLoader.load(Path.of("topologies/service-network.yaml"));
        assertThat(t.node("node2")).map(NodeSpec::address).contains(ip("10.100.0.3"));
        assertThat(t.node("ext-client")).isEmpty();
        assertThat(t.network("nodes")).contains(t.nodeNetwork());
        assertThat(t.network("elsewhere")).isEmpty();
        assertThat(t.allNetworks()).containsExactly(t.nodeNetwork(), t.network("public").orElseThrow(), t.network("outside").orElseThrow());
    }

    @Test
    void defaults() {
        Topology t = load(HEAD + ONE_NODE);
        assertThat(t.runtime()).isEqualTo(Defaults.RUNTIME).isEqualTo("netns");
        assertThat(t.cni()).isEqualTo(Defaults.CNI).isEqualTo("routed");
        assertThat(t.proxyMode()).isEqualTo(Defaults.PROXY_MODE).isEqualTo("iptables");
        assertThat(t.clusterCidr()).isEqualTo(cidr("10.0.0.0/14"));
        assertThat(t.serviceCidr()).isEqualTo(cidr("10.3.240.0/20"));
        assertThat(t.podCidrSize()).isEqualTo(24);
        assertThat(t.nodePortRange()).isEqualTo(new PortRange(30000, 32767));
        assertThat(t.bridge()).isEqualTo("cbr0");
        assertThat(t.nodes()).containsExactly(new NodeSpec("node1", ip("10.100.0.2"), cidr("10.0.0.0/24")));
        assertThat(t.hosts()).isEmpty();
        assertThat(t.networks()).isEmpty();
        assertThat(t.manifests()).isEmpty();
    }

    @Test
    void hostsOnOutsideNetworks() {
        Topology t = load(HEAD + ONE_NODE + """
                networks:
                  - name: internet
                    cidr: 203.0.113.0/24
                    gateway: 203.0.113.1
                hosts:
                  - name: web
                    network: internet
                    address: 203.0.113.10
                    command: [python3, -m, http.server, "80"]
                    ports: [80, 8080]
                  - name: ext-client
                    address: 10.100.0.100
                """);
        assertThat(t.networks()).containsExactly(new Topology.Network("internet", cidr("203.0.113.0/24"), ip("203.0.113.1")));
        assertThat(t.allNetworks()).extracting(Topology.Network::name).containsExactly("nodes", "internet");
        assertThat(t.hosts()).containsExactly(
                new HostSpec("web", ip("203.0.113.10"), "internet", List.of("python3", "-m", "http.server", "80"), List.of(80, 8080)),
                new HostSpec("ext-client", ip("10.100.0.100"), "nodes", List.of()));
    }

    @Test
    void explicitSettingsAreKept() {
        Topology t = load(HEAD + """
                runtime: netns
                cni: host-gw
                proxyMode: iptables
                clusterCIDR: 172.16.0.0/16
                podCIDRSize: 26
                serviceCIDR: 192.168.0.0/24
                nodePortRange: 31000 - 31010
                bridge: kbr_0.x-y
                """ + TWO_NODES);
        assertThat(t.cni()).isEqualTo("host-gw");
        assertThat(t.proxyMode()).isEqualTo("iptables");
        assertThat(t.clusterCidr()).isEqualTo(cidr("172.16.0.0/16"));
        assertThat(t.podCidrSize()).isEqualTo(26);
        assertThat(t.serviceCidr()).isEqualTo(cidr("192.168.0.0/24"));
        assertThat(t.nodePortRange()).isEqualTo(new PortRange(31000, 31010));
        assertThat(t.bridge()).isEqualTo("kbr_0.x-y");
        assertThat(t.nodes()).extracting(NodeSpec::podCidr).containsExactly(cidr("172.16.0.0/26"), cidr("172.16.0.64/26"));
    }

    @Test
    void fifteenCharacterBridgeNameFits() {
        assertThat(load(HEAD + "bridge: abcdefghijklmno\n" + ONE_NODE).bridge()).isEqualTo("abcdefghijklmno");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "lab1", "0", "my-lab", "a234567890123456789012345678901234567890"})
    void validLabNames(String name) {
        assertThat(load(HEAD.replace("name: t", "name: \"" + name + "\"") + ONE_NODE).name()).isEqualTo(name);
    }

    @Test
    void manifestsResolveRelativeToTheLabFile() {
        write("manifests/a.yaml", "# empty\n");
        write("b.yaml", "# empty\n");
        Topology t = load(HEAD + ONE_NODE + "manifests:\n  - manifests/a.yaml\n  - ./manifests/../b.yaml\n");
        assertThat(t.manifests()).containsExactly(dir.resolve("manifests/a.yaml").toAbsolutePath().normalize(),
                dir.resolve("b.yaml").toAbsolutePath().normalize());
    }

    // ------------------------------------------------------------------ pod CIDR carving

    @Test
    void carvesTheFirstFreeSubnetsInOrder() {
        Topology t = load(HEAD + TWO_NODES);
        assertThat(t.nodes()).extracting(NodeSpec::podCidr).containsExactly(cidr("10.0.0.0/24"), cidr("10.0.1.0/24"));
    }

    @Test
    void carvingSkipsExplicitPodCidrsEvenOfLaterNodes() {
        Topology t = load(HEAD + """
                nodes:
                  - name: node1
                    address: 10.100.0.2
                  - name: node2
                    address: 10.100.0.3
                    podCIDR: 10.0.0.0/24
                  - name: node3
                    address: 10.100.0.4
                  - name: node4
                    address: 10.100.0.5
                    podCIDR: 10.0.2.0/23
                  - name: node5
                    address: 10.100.0.6
                """);
        assertThat(t.nodes()).extracting(NodeSpec::podCidr).containsExactly(
                cidr("10.0.1.0/24"), cidr("10.0.0.0/24"), cidr("10.0.4.0/24"), cidr("10.0.2.0/23"), cidr("10.0.5.0/24"));
    }

    @Test
    void carvingSkipsTheServiceCidr() {
        Topology t = load(HEAD + """
                clusterCIDR: 10.0.0.0/22
                serviceCIDR: 10.0.0.0/25
                podCIDRSize: 24
                """ + TWO_NODES);
        assertThat(t.nodes()).extracting(NodeSpec::podCidr).containsExactly(cidr("10.0.1.0/24"), cidr("10.0.2.0/24"));
    }

    @Test
    void carvingSkipsBothTheServiceCidrAndExplicitOnes() {
        Topology t = load(HEAD + """
                clusterCIDR: 10.0.0.0/22
                serviceCIDR: 10.0.1.0/24
                nodes:
                  - name: node1
                    address: 10.100.0.2
                    podCIDR: 10.0.0.0/24
                  - name: node2
                    address: 10.100.0.3
                """);
        assertThat(t.nodes()).extracting(NodeSpec::podCidr).containsExactly(cidr("10.0.0.0/24"), cidr("10.0.2.0/24"));
    }

    @Test
    void carvingRunsOutOfSubnets() {
        ConfigException e = error(HEAD + """
                clusterCIDR: 10.0.0.0/23
                nodes:
                  - name: node1
                    address: 10.100.0.2
                  - name: node2
                    address: 10.100.0.3
                  - name: node3
                    address: 10.100.0.4
                """);
        assertThat(e.field()).isEqualTo("nodes[2]");
        assertThat(e.reason()).contains("no free /24 left in clusterCIDR 10.0.0.0/23");
        assertThat(e.line()).isEqualTo(11);
    }

    // ------------------------------------------------------------------ bad input

    static Stream<Arguments> badLabs() {
        return Stream.of(
                // syntax and structure
                Arguments.of("unknown top-level field", HEAD + ONE_NODE + "nodez: []\n", "nodez", "unknown field \"nodez\""),
                Arguments.of("unknown node field", HEAD + ONE_NODE + "    podCidr: 10.0.1.0/24\n", "nodes[0].podCidr", "unknown field \"podCidr\""),
                Arguments.of("unknown nodeNetwork field", HEAD + "  gw: 10.100.0.1\n" + ONE_NODE, "nodeNetwork.gw", "unknown field \"gw\""),
                Arguments.of("unknown host field", HEAD + ONE_NODE + "hosts:\n  - name: h\n    address: 10.100.0.9\n    adress: x\n",
                        "hosts[0].adress", "unknown field"),
                Arguments.of("duplicate key", HEAD + ONE_NODE + "name: u\n", "name", "duplicate key \"name\""),
                Arguments.of("missing name", HEAD.replace("name: t\n", "") + ONE_NODE, "name", "is required"),
                Arguments.of("missing nodes", HEAD, "nodes", "is required"),
                Arguments.of("empty nodes", HEAD + "nodes: []\n", "nodes", "at least one node"),
                Arguments.of("missing nodeNetwork", "name: t\n" + ONE_NODE, "nodeNetwork", "is required"),
                Arguments.of("missing gateway", "name: t\nnodeNetwork:\n  cidr: 10.100.0.0/24\n" + ONE_NODE, "nodeNetwork.gateway", "is required"),
                Arguments.of("nodes not a list", HEAD + "nodes: node1\n", "nodes", "must be a list"),
                // names
                Arguments.of("upper-case lab name", HEAD.replace("name: t", "name: Lab") + ONE_NODE, "name", "not a valid lab name"),
                Arguments.of("underscore lab name", HEAD.replace("name: t", "name: my_lab") + ONE_NODE, "name", "not a valid lab name"),
                Arguments.of("lab name ends with -", HEAD.replace("name: t", "name: lab-") + ONE_NODE, "name", "not a valid lab name"),
                Arguments.of("lab name too long", HEAD.replace("name: t", "name: a2345678901234567890123456789012345678901") + ONE_NODE,
                        "name", "at most 40 characters"),
                Arguments.of("bad node name", HEAD + ONE_NODE.replace("node1", "Node1"), "nodes[0].name", "\"Node1\" is not a valid name"),
                Arguments.of("bad host name", HEAD + ONE_NODE + "hosts:\n  - name: ext.client\n    address: 10.100.0.9\n",
                        "hosts[0].name", "not a valid name"),
                Arguments.of("unknown runtime", HEAD + "runtime: podman\n" + ONE_NODE, "runtime", "unknown runtime \"podman\" (known: netns, docker)"),
                Arguments.of("unknown network plugin", HEAD + "cni: weave\n" + ONE_NODE, "cni", "unknown network plugin \"weave\" (known: routed, host-gw, vxlan, bgp)"),
                Arguments.of("unknown kube-proxy mode", HEAD + "proxyMode: ipvs\n" + ONE_NODE, "proxyMode", "unknown kube-proxy mode \"ipvs\" (known: iptables, nftables)"),
                Arguments.of("duplicate node names", HEAD + TWO_NODES.replace("node2", "node1"), "nodes[1].name",
                        "duplicate name \"node1\" (already used at nodes[0].name)"),
                Arguments.of("node and host share a name", HEAD + ONE_NODE + "hosts:\n  - name: node1\n    address: 10.100.0.9\n",
                        "hosts[0].name", "duplicate name \"node1\""),
                Arguments.of("duplicate host names", HEAD + ONE_NODE
                                + "hosts:\n  - name: h\n    address: 10.100.0.9\n  - name: h\n    address: 10.100.0.10\n",
                        "hosts[1].name", "duplicate name \"h\""),
                Arguments.of("node named router", HEAD + ONE_NODE.replace("node1", "router"), "nodes[0].name", "\"router\" is reserved"),
                Arguments.of("host named router", HEAD + ONE_NODE + "hosts:\n  - name: router\n    address: 10.100.0.9\n",
                        "hosts[0].name", "\"router\" is reserved"),
                Arguments.of("network named nodes", HEAD + ONE_NODE
                                + "networks:\n  - name: nodes\n    cidr: 192.168.0.0/24\n    gateway: 192.168.0.1\n",
                        "networks[0].name", "\"nodes\" is reserved"),
                Arguments.of("duplicate network names", HEAD + ONE_NODE
                                + "networks:\n  - name: a\n    cidr: 192.168.0.0/24\n    gateway: 192.168.0.1\n"
                                + "  - name: a\n    cidr: 192.168.1.0/24\n    gateway: 192.168.1.1\n",
                        "networks[1].name", "duplicate network name \"a\""),
                // CIDRs
                Arguments.of("CIDR with host bits", HEAD + "clusterCIDR: 10.0.0.1/14\n" + ONE_NODE, "clusterCIDR",
                        "host bits set in 10.0.0.1/14 (did you mean 10.0.0.0/14?)"),
                Arguments.of("CIDR without prefix", HEAD.replace("10.100.0.0/24", "10.100.0.0") + ONE_NODE, "nodeNetwork.cidr", "not a CIDR"),
                Arguments.of("node network overlaps cluster CIDR", HEAD + "clusterCIDR: 10.100.0.0/16\n" + ONE_NODE, "nodeNetwork.cidr",
                        "10.100.0.0/24 overlaps clusterCIDR 10.100.0.0/16"),
                Arguments.of("node network inside default cluster CIDR", HEAD.replace("10.100.0", "10.0.0") + ONE_NODE.replace("10.100.0", "10.0.0"),
                        "nodeNetwork.cidr", "overlaps clusterCIDR 10.0.0.0/14"),
                Arguments.of("node network overlaps service CIDR", HEAD + "serviceCIDR: 10.100.0.0/20\n" + ONE_NODE, "nodeNetwork.cidr",
                        "overlaps serviceCIDR 10.100.0.0/20"),
                Arguments.of("outside networks overlap each other", HEAD + ONE_NODE
                                + "networks:\n  - name: a\n    cidr: 192.168.0.0/24\n    gateway: 192.168.0.1\n"
                                + "  - name: b\n    cidr: 192.168.0.128/25\n    gateway: 192.168.0.129\n",
                        "networks[1].cidr", "192.168.0.128/25 overlaps network \"a\" (192.168.0.0/24)"),
                Arguments.of("outside network overlaps node network", HEAD + ONE_NODE
                                + "networks:\n  - name: a\n    cidr: 10.100.0.0/16\n    gateway: 10.100.1.1\n",
                        "networks[0].cidr", "overlaps network \"nodes\" (10.100.0.0/24)"),
                Arguments.of("outside network overlaps cluster CIDR", HEAD + ONE_NODE
                                + "networks:\n  - name: a\n    cidr: 10.1.0.0/24\n    gateway: 10.1.0.1\n",
                        "networks[0].cidr", "10.1.0.0/24 overlaps clusterCIDR 10.0.0.0/14"),
                Arguments.of("outside network overlaps service CIDR", HEAD + "clusterCIDR: 172.16.0.0/16\n" + ONE_NODE
                                + "networks:\n  - name: a\n    cidr: 10.3.241.0/24\n    gateway: 10.3.241.1\n",
                        "networks[0].cidr", "overlaps serviceCIDR 10.3.240.0/20"),
                Arguments.of("pod CIDR outside cluster CIDR", HEAD + ONE_NODE + "    podCIDR: 10.4.0.0/24\n", "nodes[0].podCIDR",
                        "10.4.0.0/24 is outside clusterCIDR 10.0.0.0/14"),
                Arguments.of("pod CIDR larger than cluster CIDR", HEAD + ONE_NODE + "    podCIDR: 10.0.0.0/13\n", "nodes[0].podCIDR",
                        "is outside clusterCIDR"),
                Arguments.of("pod CIDRs overlap", HEAD + TWO_NODES.replace("address: 10.100.0.2", "address: 10.100.0.2\n    podCIDR: 10.0.0.0/23")
                                + "    podCIDR: 10.0.1.0/24\n",
                        "nodes[1].podCIDR", "10.0.1.0/24 overlaps the podCIDR of nodes[0] (10.0.0.0/23)"),
                Arguments.of("pod CIDR overlaps service CIDR", HEAD + ONE_NODE + "    podCIDR: 10.3.241.0/24\n", "nodes[0].podCIDR",
                        "10.3.241.0/24 overlaps serviceCIDR 10.3.240.0/20"),
                Arguments.of("pod CIDR too small", HEAD + ONE_NODE + "    podCIDR: 10.0.1.0/30\n", "nodes[0].podCIDR", "too small"),
                Arguments.of("podCIDRSize too small", HEAD + "podCIDRSize: 30\n" + ONE_NODE, "podCIDRSize", "between"),
                Arguments.of("podCIDRSize larger than cluster", HEAD + "podCIDRSize: 12\n" + ONE_NODE, "podCIDRSize",
                        "between the cluster CIDR's prefix length (14) and 29"),
                Arguments.of("podCIDRSize not a number", HEAD + "podCIDRSize: big\n" + ONE_NODE, "podCIDRSize", "must be an integer"),
                Arguments.of("cluster CIDR smaller than the default pod CIDR", HEAD + "clusterCIDR: 10.0.0.0/26\n" + ONE_NODE,
                        "clusterCIDR", "podCIDRSize"),
                // addresses
                Arguments.of("node address outside node network", HEAD + ONE_NODE.replace("10.100.0.2", "10.100.1.2"), "nodes[0].address",
                        "10.100.1.2 is outside 10.100.0.0/24"),
                Arguments.of("node address malformed", HEAD + ONE_NODE.replace("10.100.0.2", "10.100.0"), "nodes[0].address",
                        "not an IPv4 address"),
                Arguments.of("node on the network address", HEAD + ONE_NODE.replace("10.100.0.2", "10.100.0.0"), "nodes[0].address",
                        "10.100.0.0 is the network or broadcast address of 10.100.0.0/24"),
                Arguments.of("node on the broadcast address", HEAD + ONE_NODE.replace("10.100.0.2", "10.100.0.255"), "nodes[0].address",
                        "10.100.0.255 is the network or broadcast address"),
                Arguments.of("gateway on the network address", HEAD.replace("gateway: 10.100.0.1", "gateway: 10.100.0.0") + ONE_NODE,
                        "nodeNetwork.gateway", "network or broadcast address"),
                Arguments.of("gateway outside its network", HEAD.replace("gateway: 10.100.0.1", "gateway: 10.101.0.1") + ONE_NODE,
                        "nodeNetwork.gateway", "10.101.0.1 is outside 10.100.0.0/24"),
                Arguments.of("outside gateway outside its network", HEAD + ONE_NODE
                                + "networks:\n  - name: a\n    cidr: 192.168.0.0/24\n    gateway: 192.168.1.1\n",
                        "networks[0].gateway", "192.168.1.1 is outside 192.168.0.0/24"),
                Arguments.of("host outside its network", HEAD + ONE_NODE
                                + "networks:\n  - name: a\n    cidr: 192.168.0.0/24\n    gateway: 192.168.0.1\n"
                                + "hosts:\n  - name: h\n    network: a\n    address: 10.100.0.9\n",
                        "hosts[0].address", "10.100.0.9 is outside 192.168.0.0/24"),
                Arguments.of("host on unknown network", HEAD + ONE_NODE + "hosts:\n  - name: h\n    network: internet\n    address: 10.100.0.9\n",
                        "hosts[0].network", "unknown network \"internet\""),
                Arguments.of("node takes the gateway's address", HEAD + ONE_NODE.replace("10.100.0.2", "10.100.0.1"), "nodes[0].address",
                        "address 10.100.0.1 is already the gateway of network \"nodes\""),
                Arguments.of("two nodes share an address", HEAD + TWO_NODES.replace("10.100.0.3", "10.100.0.2"), "nodes[1].address",
                        "address 10.100.0.2 is already node \"node1\""),
                Arguments.of("host takes a node's address", HEAD + ONE_NODE + "hosts:\n  - name: h\n    address: 10.100.0.2\n",
                        "hosts[0].address", "address 10.100.0.2 is already node \"node1\""),
                Arguments.of("host takes an outside gateway", HEAD + ONE_NODE
                                + "networks:\n  - name: a\n    cidr: 192.168.0.0/24\n    gateway: 192.168.0.1\n"
                                + "hosts:\n  - name: h\n    network: a\n    address: 192.168.0.1\n",
                        "hosts[0].address", "already the gateway of network \"a\""),
                Arguments.of("host port 0", HEAD + ONE_NODE + "hosts:\n  - name: h\n    address: 10.100.0.9\n    command: [nc, -l, \"80\"]\n    ports: [0]\n",
                        "hosts[0].ports[0]", "must be between 1 and 65535, inclusive"),
                Arguments.of("host port 65536", HEAD + ONE_NODE + "hosts:\n  - name: h\n    address: 10.100.0.9\n    command: [x]\n    ports: [80, 65536]\n",
                        "hosts[0].ports[1]", "must be between 1 and 65535"),
                Arguments.of("host port not a number", HEAD + ONE_NODE + "hosts:\n  - name: h\n    address: 10.100.0.9\n    command: [x]\n    ports: [http]\n",
                        "hosts[0].ports[0]", "must be an integer"),
                Arguments.of("host ports without a command", HEAD + ONE_NODE + "hosts:\n  - name: h\n    address: 10.100.0.9\n    ports: [80]\n",
                        "hosts[0].ports", "ports need a command (or an image) that listens on them"),
                // interfaces and ports
                Arguments.of("bridge name too long", HEAD + "bridge: abcdefghijklmnop\n" + ONE_NODE, "bridge",
                        "\"abcdefghijklmnop\" is not a usable interface name"),
                Arguments.of("bridge name with slash", HEAD + "bridge: br/0\n" + ONE_NODE, "bridge", "not a usable interface name"),
                Arguments.of("bridge named eth0", HEAD + "bridge: eth0\n" + ONE_NODE, "bridge", "not eth0 or lo"),
                Arguments.of("bridge named lo", HEAD + "bridge: lo\n" + ONE_NODE, "bridge", "not a usable interface name"),
                Arguments.of("nodePortRange single port", HEAD + "nodePortRange: 30000\n" + ONE_NODE, "nodePortRange",
                        "\"30000\" is not a port range like 30000-32767"),
                Arguments.of("nodePortRange reversed", HEAD + "nodePortRange: 32767-30000\n" + ONE_NODE, "nodePortRange", "not a port range"),
                Arguments.of("nodePortRange above 65535", HEAD + "nodePortRange: 30000-70000\n" + ONE_NODE, "nodePortRange", "not a port range"),
                Arguments.of("nodePortRange from 0", HEAD + "nodePortRange: 0-100\n" + ONE_NODE, "nodePortRange", "not a port range"),
                Arguments.of("nodePortRange words", HEAD + "nodePortRange: low-high\n" + ONE_NODE, "nodePortRange", "not a port range"),
                Arguments.of("nodePortRange three parts", HEAD + "nodePortRange: 1-2-3\n" + ONE_NODE, "nodePortRange", "not a port range"),
                // manifests
                Arguments.of("missing manifest", HEAD + ONE_NODE + "manifests:\n  - manifests/nope.yaml\n", "manifests[0]", "no such file: "),
                Arguments.of("manifest is a directory", HEAD + ONE_NODE + "manifests:\n  - .\n", "manifests[0]", "no such file"),
                // issue 16: wrong types, traversal, out-of-range numbers, nesting
                Arguments.of("manifest path climbs to /etc", HEAD + ONE_NODE + "manifests:\n  - ../../../../../../../../etc\n", "manifests[0]",
                        "no such file: /etc"),
                Arguments.of("manifest is a device", HEAD + ONE_NODE + "manifests:\n  - /dev/zero\n", "manifests[0]", "no such file: /dev/zero"),
                Arguments.of("manifests not a list", HEAD + ONE_NODE + "manifests: m.yaml\n", "manifests", "must be a list"),
                Arguments.of("manifest entry a mapping", HEAD + ONE_NODE + "manifests:\n  - {file: m.yaml}\n", "manifests[0]", "must be a string"),
                Arguments.of("lab name climbs out", HEAD.replace("name: t", "name: ../../etc") + ONE_NODE, "name", "not a valid lab name"),
                Arguments.of("lab name with a slash", HEAD.replace("name: t", "name: a/b") + ONE_NODE, "name", "not a valid lab name"),
                Arguments.of("lab name a list", HEAD.replace("name: t", "name: [a, b]") + ONE_NODE, "name", "must be a string"),
                Arguments.of("lab name null", HEAD.replace("name: t", "name: ~") + ONE_NODE, "name", "is required"),
                Arguments.of("nodeNetwork a string", "name: t\nnodeNetwork: 10.100.0.0/24\n" + ONE_NODE, "nodeNetwork", "must be a mapping"),
                Arguments.of("node a string", HEAD + "nodes:\n  - node1\n", "nodes[0]", "must be a mapping"),
                Arguments.of("nodes nested lists", HEAD + "nodes: " + "[".repeat(40) + "]".repeat(40) + "\n", "nodes[0]", "must be a mapping"),
                Arguments.of("root a list", "- name: t\n", "", "must be a mapping"),
                Arguments.of("CIDR prefix 33", HEAD.replace("10.100.0.0/24", "10.100.0.0/33") + ONE_NODE, "nodeNetwork.cidr", "prefix length must be 0-32"),
                Arguments.of("node address octet 256", HEAD + ONE_NODE.replace("10.100.0.2", "10.100.0.256"), "nodes[0].address", "not an IPv4 address"),
                Arguments.of("node address IPv6", HEAD + ONE_NODE.replace("10.100.0.2", "\"fd00::2\""), "nodes[0].address", "not an IPv4 address"),
                Arguments.of("podCIDRSize huge", HEAD + "podCIDRSize: 99999999999999999999999\n" + ONE_NODE, "podCIDRSize", "must be an integer"),
                Arguments.of("podCIDRSize negative", HEAD + "podCIDRSize: -24\n" + ONE_NODE, "podCIDRSize", "between"),
                Arguments.of("host port huge", HEAD + ONE_NODE + "hosts:\n  - name: h\n    address: 10.100.0.9\n    command: [x]\n    ports: [4294967377]\n",
                        "hosts[0].ports[0]", "must be an integer"),
                Arguments.of("host command not a list of strings", HEAD + ONE_NODE + "hosts:\n  - name: h\n    address: 10.100.0.9\n    command: [[x]]\n",
                        "hosts[0].command[0]", "must be a string"),
                Arguments.of("nodePortRange a number pair", HEAD + "nodePortRange: [30000, 32767]\n" + ONE_NODE, "nodePortRange", "must be a string"));
    }

    /** Files that are no YAML text at all: bytes, sizes, links. Each is a ConfigException naming the file. */
    static Stream<Arguments> badLabFiles() {
        return Stream.of(
                Arguments.of("not UTF-8", ("name: t\u00e9\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "not UTF-8"),
                Arguments.of("binary with NUL bytes", new byte[] {'n', 'a', 0, 1, 2, (byte) 0xff}, ""),
                Arguments.of("over 3 MiB", ("name: t\n# " + "x".repeat(3 * 1024 * 1024) + "\n").getBytes(), "too large"),
                Arguments.of("an alias bomb", (HEAD + ONE_NODE + "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                        + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n").getBytes(), ""),
                Arguments.of("tab indentation", "name: t\nnodeNetwork:\n\tcidr: 10.100.0.0/24\n".getBytes(), "malformed YAML"),
                Arguments.of("a Java type tag", "name: !!javax.script.ScriptEngineManager [x]\n".getBytes(), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLabFiles")
    void rejectsBadLabFile(String description, byte[] bytes, String reason) throws IOException {
        Path f = dir.resolve("lab.yaml");
        Files.write(f, bytes);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TopologyLoader.load(f));
        assertThat(e).as(description).isNotNull();
        assertThat(e.file()).as(description).isEqualTo(f.toString());
        assertThat(e.reason()).as(description).contains(reason);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a directory", "a symlink to a device", "a symlink loop"})
    void rejectsALabFileThatIsNoFile(String what) throws IOException {
        Path f = dir.resolve("lab.yaml");
        switch (what) {
            case "a directory" -> Files.createDirectory(f);
            case "a symlink to a device" -> Files.createSymbolicLink(f, Path.of("/dev/zero"));
            default -> Files.createSymbolicLink(f, f);
        }
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TopologyLoader.load(f));
        assertThat(e).as(what).isNotNull();
        assertThat(e.getMessage()).as(what).startsWith(f.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLabs")
    void rejectsBadLab(String description, String yaml, String field, String reason) {
        ConfigException e = error(yaml);
        assertThat(e.field()).as(description).isEqualTo(field);
        assertThat(e.reason()).as(description).contains(reason);
        assertThat(e.getMessage()).contains(field).contains(reason);
    }

    @Test
    void errorsCarryTheLineOfTheBadValue() {
        ConfigException e = error(HEAD + TWO_NODES.replace("10.100.0.3", "10.100.9.3"));
        assertThat(e.field()).isEqualTo("nodes[1].address");
        assertThat(e.line()).isEqualTo(9);
        assertThat(e.getMessage()).startsWith(dir.resolve("lab.yaml") + ":9: nodes[1].address: ");
    }

    @Test
    void malformedYaml() {
        ConfigException e = error(HEAD + "nodes:\n  - name: node1\n   address: [10.100.0.2\n");
        assertThat(e.field()).isNull();
        assertThat(e.reason()).startsWith("malformed YAML");
        assertThat(e.line()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void labFileHoldsOneDocument() {
        ConfigException e = error(HEAD + ONE_NODE + "---\n" + HEAD + ONE_NODE);
        assertThat(e.field()).isNull();
        assertThat(e.reason()).isEqualTo("a lab file holds exactly one YAML document, found 2");
        ConfigException empty = error("# nothing here\n");
        assertThat(empty.reason()).isEqualTo("a lab file holds exactly one YAML document, found 0");
    }

    @Test
    void missingLabFile() {
        Path f = dir.resolve("nope.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TopologyLoader.load(f));
        assertThat(e.file()).isEqualTo(f.toString());
        assertThat(e.reason()).startsWith("cannot read file");
    }

    @Test
    void labRootMustBeAMapping() {
        ConfigException e = error("- a\n- b\n");
        assertThat(e.reason()).isEqualTo("must be a mapping (key: value)");
    }
}
