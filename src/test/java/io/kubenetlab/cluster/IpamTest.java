package io.kubenetlab.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IpamTest {

    private Ipam ipam;

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    @BeforeEach
    void setUp() {
        ipam = new Ipam();
        ipam.addNode("node1", Cidr.parse("10.0.1.0/24"));
        ipam.addNode("node2", Cidr.parse("10.0.2.0/24"));
    }

    @Test
    void firstPodGetsDotTwoBecauseTheBridgeHasDotOne() {
        assertThat(ipam.allocate("node1")).isEqualTo(ip("10.0.1.2"));
        assertThat(ipam.allocate("node1")).isEqualTo(ip("10.0.1.3"));
        assertThat(ipam.allocate("node2")).isEqualTo(ip("10.0.2.2"));
    }

    @Test
    void freeCountsUsableAddresses() {
        assertThat(ipam.free("node1")).isEqualTo(253);
        ipam.allocate("node1");
        assertThat(ipam.free("node1")).isEqualTo(252);
        assertThat(ipam.free("node2")).isEqualTo(253);
    }

    @Test
    void releasedAddressIsReusedLowestFirst() {
        ipam.allocate("node1");
        Ipv4 second = ipam.allocate("node1");
        ipam.allocate("node1");
        ipam.release("node1", second);
        assertThat(ipam.free("node1")).isEqualTo(251);
        assertThat(ipam.allocate("node1")).isEqualTo(second);
        assertThat(ipam.allocate("node1")).isEqualTo(ip("10.0.1.5"));
    }

    @Test
    void reservedAddressesAreSkipped() {
        ipam.reserve("node1", ip("10.0.1.2"));
        ipam.reserve("node1", ip("10.0.1.4"));
        assertThat(ipam.allocate("node1")).isEqualTo(ip("10.0.1.3"));
        assertThat(ipam.allocate("node1")).isEqualTo(ip("10.0.1.5"));
    }

    @Test
    void reserveRejectsForeignAndTakenAddresses() {
        assertThatThrownBy(() -> ipam.reserve("node1", ip("10.0.2.7")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("10.0.2.7 is outside node node1's pod CIDR 10.0.1.0/24");
        ipam.reserve("node1", ip("10.0.1.7"));
        assertThatThrownBy(() -> ipam.reserve("node1", ip("10.0.1.7")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("10.0.1.7 is already allocated on node node1");
    }

    @Test
    void exhaustionNeverHandsOutBroadcast() {
        Ipam small = new Ipam();
        small.addNode("n", Cidr.parse("10.0.0.0/29"));
        assertThat(small.free("n")).isEqualTo(5);
        for (int i = 2; i <= 6; i++) assertThat(small.allocate("n")).isEqualTo(ip("10.0.0." + i));
        assertThat(small.free("n")).isZero();
        assertThatThrownBy(() -> small.allocate("n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("node n has no free pod address left in 10.0.0.0/29 (5 pods)");
    }

    @Test
    void unknownNode() {
        assertThatThrownBy(() -> ipam.allocate("node9")).isInstanceOf(IllegalArgumentException.class).hasMessage("unknown node node9");
        assertThatThrownBy(() -> ipam.free("node9")).isInstanceOf(IllegalArgumentException.class).hasMessage("unknown node node9");
        assertThatThrownBy(() -> ipam.reserve("node9", ip("10.0.1.2"))).hasMessage("unknown node node9");
    }
}
