package io.kubenetlab.topology;

import io.kubenetlab.model.Topology;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.net.Ipv4;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lab file's {@code loadBalancer:} section. */
class TopologyLoaderLoadBalancerTest {

    @TempDir
    Path dir;

    private static final String LAB = """
            name: t
            nodeNetwork:
              cidr: 10.100.0.0/24
              gateway: 10.100.0.1
            nodes:
              - name: node1
                address: 10.100.0.2
              - name: node2
                address: 10.100.0.3
            networks:
              - name: public
                cidr: 203.0.113.0/24
                gateway: 203.0.113.1
            hosts:
              - name: ext-client
                address: 10.100.0.100
              - name: web
                network: public
                address: 203.0.113.10
            """;

    private static String lb(String network, String address, String pool) {
        return "loadBalancer:\n  network: " + network + "\n  address: " + address + "\n  pool: " + pool + "\n";
    }

    private static final String ARTICLE_LB = lb("public", "203.0.113.2", "203.0.113.100-203.0.113.199");

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    private Path write(String text) {
        try {
            Path f = dir.resolve("lab.yaml");
            Files.writeString(f, text);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Topology load(String yaml) {
        return TopologyLoader.load(write(yaml));
    }

    private ConfigException error(String yaml) {
        Path f = write(yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TopologyLoader.load(f));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        assertThat(e.file()).isEqualTo(f.toString());
        return e;
    }

    // ------------------------------------------------------------------ valid

    @Test
    void articleLoadBalancer() {
        Topology t = load(LAB + ARTICLE_LB);
        assertThat(t.loadBalancer()).isEqualTo(new Topology.LoadBalancerSpec("public", ip("203.0.113.2"), ip("203.0.113.100"),
                ip("203.0.113.199")));
    }

    @Test
    void noSectionNoLoadBalancer() {
        assertThat(load(LAB).loadBalancer()).isNull();
    }

    @Test
    void onTheNodeNetwork() {
        Topology t = load(LAB + lb("nodes", "10.100.0.50", "10.100.0.200-10.100.0.210"));
        assertThat(t.loadBalancer()).isEqualTo(new Topology.LoadBalancerSpec("nodes", ip("10.100.0.50"), ip("10.100.0.200"),
                ip("10.100.0.210")));
    }

    @Test
    void singleAddressPool() {
        Topology t = load(LAB + lb("public", "203.0.113.2", "203.0.113.100-203.0.113.100"));
        assertThat(t.loadBalancer().poolFirst()).isEqualTo(t.loadBalancer().poolLast()).isEqualTo(ip("203.0.113.100"));
    }

    @Test
    void poolRightAfterUsedAddresses() {
        // the gateway .1, the balancer .2 and the host .10 are outside .3-.9 and .11-.254
        assertThat(load(LAB + lb("public", "203.0.113.2", "203.0.113.3-203.0.113.9")).loadBalancer().poolLast()).isEqualTo(ip("203.0.113.9"));
        assertThat(load(LAB + lb("public", "203.0.113.2", "203.0.113.11-203.0.113.254")).loadBalancer().poolFirst())
                .isEqualTo(ip("203.0.113.11"));
    }

    @Test
    void hostNamedLbIsFineWithoutALoadBalancer() {
        Topology t = load(LAB.replace("name: ext-client", "name: lb"));
        assertThat(t.hosts()).extracting(Topology.HostSpec::name).contains("lb");
    }

    @Test
    void articleLabHasItsLoadBalancer() {
        Topology t = TopologyLoader.load(Path.of("topologies/service-network.yaml"));
        assertThat(t.loadBalancer()).isEqualTo(new Topology.LoadBalancerSpec("public", ip("203.0.113.2"), ip("203.0.113.100"),
                ip("203.0.113.199")));
    }

    // ------------------------------------------------------------------ errors

    static Stream<Arguments> badLoadBalancers() {
        return Stream.of(
                Arguments.of("unknown network", LAB + lb("internet", "203.0.113.2", "203.0.113.100-203.0.113.199"),
                        "loadBalancer.network", "unknown network \"internet\""),
                Arguments.of("address outside the network", LAB + lb("public", "198.51.100.2", "203.0.113.100-203.0.113.199"),
                        "loadBalancer.address", "198.51.100.2 is outside 203.0.113.0/24"),
                Arguments.of("address on the node network but the balancer on public", LAB + lb("public", "10.100.0.50", "203.0.113.100-203.0.113.199"),
                        "loadBalancer.address", "10.100.0.50 is outside 203.0.113.0/24"),
                Arguments.of("address is the network address", LAB + lb("public", "203.0.113.0", "203.0.113.100-203.0.113.199"),
                        "loadBalancer.address", "203.0.113.0 is the network or broadcast address of 203.0.113.0/24"),
                Arguments.of("address is the broadcast address", LAB + lb("public", "203.0.113.255", "203.0.113.100-203.0.113.199"),
                        "loadBalancer.address", "203.0.113.255 is the network or broadcast address of 203.0.113.0/24"),
                Arguments.of("address not an address", LAB + lb("public", "203.0.113", "203.0.113.100-203.0.113.199"),
                        "loadBalancer.address", "not an IPv4 address: \"203.0.113\""),
                Arguments.of("address is the gateway", LAB + lb("public", "203.0.113.1", "203.0.113.100-203.0.113.199"),
                        "loadBalancer.address", "address 203.0.113.1 is already the gateway of network \"public\""),
                Arguments.of("address is a host's", LAB + lb("public", "203.0.113.10", "203.0.113.100-203.0.113.199"),
                        "loadBalancer.address", "address 203.0.113.10 is already host \"web\""),
                Arguments.of("address is a node's", LAB + lb("nodes", "10.100.0.3", "10.100.0.200-10.100.0.210"),
                        "loadBalancer.address", "address 10.100.0.3 is already node \"node2\""),
                Arguments.of("pool a single address", LAB + lb("public", "203.0.113.2", "203.0.113.100"),
                        "loadBalancer.pool", "\"203.0.113.100\" is not an address range like 203.0.113.100-203.0.113.199"),
                Arguments.of("pool a CIDR", LAB + lb("public", "203.0.113.2", "203.0.113.128/25"),
                        "loadBalancer.pool", "\"203.0.113.128/25\" is not an address range like 203.0.113.100-203.0.113.199"),
                Arguments.of("pool three parts", LAB + lb("public", "203.0.113.2", "203.0.113.100-203.0.113.150-203.0.113.199"),
                        "loadBalancer.pool", "is not an address range like 203.0.113.100-203.0.113.199"),
                Arguments.of("pool of words", LAB + lb("public", "203.0.113.2", "first-last"),
                        "loadBalancer.pool", "\"first-last\" is not an address range like 203.0.113.100-203.0.113.199"),
                Arguments.of("pool half open", LAB + lb("public", "203.0.113.2", "203.0.113.100-"),
                        "loadBalancer.pool", "is not an address range"),
                Arguments.of("pool outside the network", LAB + lb("public", "203.0.113.2", "198.51.100.100-198.51.100.199"),
                        "loadBalancer.pool", "198.51.100.100-198.51.100.199 must be an ascending range inside 203.0.113.0/24"),
                Arguments.of("pool ends outside the network", LAB + lb("public", "203.0.113.2", "203.0.113.200-203.0.114.10"),
                        "loadBalancer.pool", "203.0.113.200-203.0.114.10 must be an ascending range inside 203.0.113.0/24"),
                Arguments.of("pool on another network than the balancer", LAB + lb("public", "203.0.113.2", "10.100.0.200-10.100.0.210"),
                        "loadBalancer.pool", "must be an ascending range inside 203.0.113.0/24"),
                Arguments.of("pool descending", LAB + lb("public", "203.0.113.2", "203.0.113.199-203.0.113.100"),
                        "loadBalancer.pool", "203.0.113.199-203.0.113.100 must be an ascending range inside 203.0.113.0/24"),
                Arguments.of("pool holds the gateway", LAB + lb("public", "203.0.113.2", "203.0.113.1-203.0.113.1"),
                        "loadBalancer.pool", "the pool holds 203.0.113.1, which is already the gateway of network \"public\""),
                Arguments.of("pool holds a host", LAB + lb("public", "203.0.113.2", "203.0.113.5-203.0.113.20"),
                        "loadBalancer.pool", "the pool holds 203.0.113.10, which is already host \"web\""),
                Arguments.of("pool holds the balancer itself", LAB + lb("public", "203.0.113.150", "203.0.113.100-203.0.113.199"),
                        "loadBalancer.pool", "the pool holds 203.0.113.150, which is already the load balancer"),
                Arguments.of("pool holds a node", LAB + lb("nodes", "10.100.0.50", "10.100.0.3-10.100.0.3"),
                        "loadBalancer.pool", "the pool holds 10.100.0.3, which is already node \"node2\""),
                Arguments.of("pool holds the node network's gateway", LAB + lb("nodes", "10.100.0.50", "10.100.0.1-10.100.0.1"),
                        "loadBalancer.pool", "the pool holds 10.100.0.1, which is already the gateway of network \"nodes\""),
                Arguments.of("host named lb", LAB.replace("name: ext-client", "name: lb") + ARTICLE_LB,
                        "hosts[0].name", "\"lb\" is reserved for the lab's load balancer"),
                Arguments.of("node named lb", LAB.replace("name: node2", "name: lb") + ARTICLE_LB,
                        "nodes[1].name", "\"lb\" is reserved for the lab's load balancer"),
                Arguments.of("unknown field", LAB + ARTICLE_LB + "  pools: 203.0.113.100-203.0.113.199\n",
                        "loadBalancer.pools", "unknown field \"pools\""),
                Arguments.of("missing pool", LAB + "loadBalancer:\n  network: public\n  address: 203.0.113.2\n",
                        "loadBalancer.pool", "is required"),
                Arguments.of("missing network", LAB + "loadBalancer:\n  address: 203.0.113.2\n  pool: 203.0.113.100-203.0.113.199\n",
                        "loadBalancer.network", "is required"),
                Arguments.of("missing address", LAB + "loadBalancer:\n  network: public\n  pool: 203.0.113.100-203.0.113.199\n",
                        "loadBalancer.address", "is required"),
                Arguments.of("not a mapping", LAB + "loadBalancer: [public]\n", "loadBalancer", "must be a mapping"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLoadBalancers")
    void rejectsBadLoadBalancer(String description, String yaml, String field, String reason) {
        ConfigException e = error(yaml);
        assertThat(e.field()).as(description).isEqualTo(field);
        assertThat(e.reason()).as(description).contains(reason);
        assertThat(e.line()).as(description).isPositive();
        assertThat(e.getMessage()).as(description).contains(field + ": ").contains(reason);
    }

    @Test
    void errorLineIsThePools() {
        ConfigException e = error(LAB + lb("public", "203.0.113.2", "203.0.113.199-203.0.113.100"));
        assertThat(e.line()).isEqualTo(23);
        assertThat(e.getMessage()).startsWith(dir.resolve("lab.yaml") + ":23: loadBalancer.pool: ");
    }

    @Test
    void reservedNameErrorPointsAtTheHost() {
        ConfigException e = error(LAB.replace("name: web", "name: lb") + ARTICLE_LB);
        assertThat(e.field()).isEqualTo("hosts[1].name");
        assertThat(e.line()).isEqualTo(17);
    }

    @Test
    void poolMayNotHoldTheBroadcastAddress() {
        ConfigException e = error(LAB + lb("public", "203.0.113.2", "203.0.113.250-203.0.113.255"));
        assertThat(e.field()).isEqualTo("loadBalancer.pool");
        ConfigException n = error(LAB.replace("gateway: 203.0.113.1", "gateway: 203.0.113.254")
                + lb("public", "203.0.113.2", "203.0.113.0-203.0.113.0"));
        assertThat(n.field()).isEqualTo("loadBalancer.pool");
    }
}
