package io.kubenetlab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.plan.AddressPlan;
import io.kubenetlab.plan.LinkPlan;
import io.kubenetlab.plan.LiveMachine;
import io.kubenetlab.plan.RoutePlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ip's JSON, as iproute2 6.1 prints it (captured in a lab namespace), read back in the plan's terms. */
class LiveStateTest {
    static final String ROUTES = "[{\"dst\":\"default\",\"gateway\":\"10.100.0.1\",\"dev\":\"eth0\",\"flags\":[]},"
            + "{\"dst\":\"10.7.0.5\",\"flags\":[],\"nexthops\":[{\"gateway\":\"10.9.0.2\",\"dev\":\"br0\",\"weight\":1,\"flags\":[]},"
            + "{\"gateway\":\"10.9.0.4\",\"dev\":\"br0\",\"weight\":1,\"flags\":[]}]},"
            + "{\"dst\":\"10.8.0.0/24\",\"gateway\":\"10.9.0.2\",\"dev\":\"br0\",\"flags\":[]},"
            + "{\"dst\":\"10.0.2.0/24\",\"gateway\":\"10.0.2.0\",\"dev\":\"flannel.1\",\"flags\":[\"onlink\"]},"
            + "{\"dst\":\"10.9.0.0/24\",\"dev\":\"br0\",\"protocol\":\"kernel\",\"scope\":\"link\",\"prefsrc\":\"10.9.0.1\",\"flags\":[]}]";

    static final String LINKS = "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\",\"LOWER_UP\"],\"mtu\":65536,\"link_type\":\"loopback\","
            + "\"address\":\"00:00:00:00:00:00\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"127.0.0.1\",\"prefixlen\":8},"
            + "{\"family\":\"inet6\",\"local\":\"::1\",\"prefixlen\":128}]},"
            + "{\"ifindex\":2,\"ifname\":\"cbr0\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\",\"LOWER_UP\"],\"mtu\":1500,\"link_type\":\"ether\","
            + "\"address\":\"02:00:00:00:00:01\",\"ifalias\":\"kubenetlab:x:node1/cbr0\",\"linkinfo\":{\"info_kind\":\"bridge\",\"info_data\":{\"stp_state\":0}},"
            + "\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.0.1.1\",\"prefixlen\":24}]},"
            + "{\"ifindex\":3,\"link\":\"v2\",\"ifname\":\"v1\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"M-DOWN\"],\"mtu\":1500,\"master\":\"cbr0\","
            + "\"operstate\":\"DOWN\",\"linkinfo\":{\"info_kind\":\"veth\",\"info_slave_kind\":\"bridge\",\"info_slave_data\":{\"state\":\"disabled\",\"hairpin\":true}},"
            + "\"ifalias\":\"kubenetlab:x:y\",\"addr_info\":[]},"
            + "{\"ifindex\":5,\"ifname\":\"flannel.1\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\"],\"mtu\":1450,\"link_type\":\"ether\","
            + "\"address\":\"f6:0f:b2:26:72:b0\",\"linkinfo\":{\"info_kind\":\"vxlan\",\"info_data\":{\"id\":1,\"port\":8472,\"learning\":false}},\"addr_info\":[]}]";

    @Test
    void routesTheKernelAddsAreNotRead() {
        assertThat(LiveState.routes(ROUTES)).containsExactly(
                new RoutePlan("default", List.of("10.100.0.1"), "eth0", false),
                new RoutePlan("10.7.0.5/32", List.of("10.9.0.2", "10.9.0.4"), null, false),
                new RoutePlan("10.8.0.0/24", List.of("10.9.0.2"), "br0", false),
                new RoutePlan("10.0.2.0/24", List.of("10.0.2.0"), "flannel.1", true));
    }

    @Test
    void addressesButTheLoopbacksOwn() {
        assertThat(LiveState.addresses(LINKS)).containsExactly(new AddressPlan("10.0.1.1/24", "cbr0"));
    }

    @Test
    void linksWithWhatThePlanCanSay() {
        List<LiveMachine.Link> links = LiveState.links(LINKS);
        assertThat(links).extracting(LiveMachine.Link::name).containsExactly("lo", "cbr0", "v1", "flannel.1");
        assertThat(links.get(0).kind()).isEqualTo(LinkPlan.Kind.LOOPBACK);
        assertThat(links.get(1)).isEqualTo(new LiveMachine.Link("cbr0", LinkPlan.Kind.BRIDGE, null, "02:00:00:00:00:01", 1500,
                "kubenetlab:x:node1/cbr0", false, true, null, null, null));
        assertThat(links.get(2).master()).isEqualTo("cbr0");
        assertThat(links.get(2).hairpin()).isTrue();
        assertThat(links.get(2).up()).isFalse();
        assertThat(links.get(3)).isEqualTo(new LiveMachine.Link("flannel.1", LinkPlan.Kind.VXLAN, null, "f6:0f:b2:26:72:b0", 1450, null,
                false, true, 1, 8472, false));
    }

    @Test
    void emptyOutputIsNothing() {
        assertThat(LiveState.routes("")).isEmpty();
        assertThat(LiveState.links("[]")).isEmpty();
    }

    @Test
    void oneIpProcessPrintsOneArrayPerCommand() {
        List<String> docs = LiveState.documents(LINKS + "\n" + ROUTES + "\n");
        assertThat(docs).hasSize(2);
        assertThat(LiveState.addresses(docs.get(0))).containsExactly(new AddressPlan("10.0.1.1/24", "cbr0"));
        assertThat(LiveState.routes(docs.get(1))).hasSize(4);
        assertThat(LiveState.documents("[]\n[]\n")).containsExactly("[]", "[]");
    }

    @Test
    void vxlanForwardingAndNeighbourEntries() {
        String fdb = "[{\"mac\":\"33:33:00:00:00:01\",\"ifname\":\"cbr0\",\"flags\":[\"self\"],\"state\":\"permanent\"},"
                + "{\"mac\":\"02:78:29:b6:72:32\",\"ifname\":\"flannel.1\",\"dst\":\"10.100.0.3\",\"flags\":[\"self\"],\"state\":\"permanent\"}]";
        assertThat(LiveState.fdb(fdb)).containsExactly(new io.kubenetlab.plan.FdbEntry("02:78:29:b6:72:32", "flannel.1", "10.100.0.3"));
        String neigh = "[{\"dst\":\"10.0.2.0\",\"dev\":\"flannel.1\",\"lladdr\":\"02:78:29:b6:72:32\",\"state\":[\"PERMANENT\"]}]";
        assertThat(LiveState.neighbours(neigh)).containsExactly(new io.kubenetlab.plan.NeighbourEntry("10.0.2.0", "02:78:29:b6:72:32", "flannel.1"));
    }

    @Test
    void routesADaemonInstalledCarryItsProtocol() {
        String json = "[{\"dst\":\"10.0.2.0/24\",\"gateway\":\"10.100.0.3\",\"dev\":\"eth0\",\"protocol\":\"bird\",\"metric\":32,\"flags\":[]},"
                + "{\"type\":\"unreachable\",\"dst\":\"10.0.1.0/24\",\"protocol\":\"bird\",\"metric\":32,\"flags\":[]},"
                + "{\"dst\":\"10.8.0.0/24\",\"gateway\":\"10.9.0.2\",\"dev\":\"br0\",\"protocol\":\"static\",\"flags\":[]}]";
        assertThat(LiveState.routes(json)).containsExactly(
                new RoutePlan("10.0.2.0/24", List.of("10.100.0.3"), "eth0", false, "bird"),
                new RoutePlan("10.0.1.0/24", List.of(), null, false, "bird"),
                new RoutePlan("10.8.0.0/24", List.of("10.9.0.2"), "br0", false, null));
    }
}
