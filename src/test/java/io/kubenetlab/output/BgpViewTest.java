package io.kubenetlab.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kubenetlab bgp}: BIRD 2.0.12's {@code show protocols}, as captured on a lab node. */
class BgpViewTest {
    static final String BIRDC = """
            BIRD 2.0.12 ready.
            Name       Proto      Table      State  Since         Info
            device1    Device     ---        up     04:56:45.945
            direct1    Direct     ---        up     04:56:45.945
            kernel1    Kernel     master4    up     04:56:45.945
            pods       Static     master4    up     04:56:45.945
            peer_10_100_0_1 BGP        ---        up     04:56:46.814  Established
            peer_10_100_0_3 BGP        ---        start  05:19:34.982  OpenSent      BGP Error: Hold timer expired
            """;

    @Test
    void sessionsAreTheBgpRows() {
        assertThat(BgpView.sessions(BIRDC)).containsExactly(
                new BgpView.Session("peer_10_100_0_1", "10.100.0.1", "up", "04:56:46.814", "Established"),
                new BgpView.Session("peer_10_100_0_3", "10.100.0.3", "start", "05:19:34.982", "OpenSent      BGP Error: Hold timer expired"));
        assertThat(BgpView.sessions("")).isEmpty();
    }

    @Test
    void oneRowPerSessionAndASilentBird() {
        String t = BgpView.render(List.of("node1", "node2"), List.of(BgpView.sessions(BIRDC), List.of()),
                List.of(List.of("10.0.2.0/24 via 10.100.0.3"), List.of()));
        assertThat(t).contains("node1").contains("10.100.0.1").contains("Established").contains("10.0.2.0/24 via 10.100.0.3")
                .contains("BIRD not answering");
        assertThat(t.lines().count()).isEqualTo(4);
    }
}
