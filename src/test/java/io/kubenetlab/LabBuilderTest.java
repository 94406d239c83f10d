package io.kubenetlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.model.Topology;
import io.kubenetlab.topology.TopologyLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabBuilderTest {
    @TempDir Path dir;

    @Test
    void aBuiltLabIsTheArticlesAddressPlanWithItsManifests() throws Exception {
        LabBuilder b = KubenetLab.builder().name("shop").nodes(3).proxyMode("nftables").cni("host-gw")
                .deployment("web", 2).service("web", 80, 8080).nodePortService("web-np", 80, 8080, 30080).pod("client").host("outside");
        Topology t = load(b);
        assertThat(t.name()).isEqualTo("shop");
        assertThat(t.proxyMode()).isEqualTo("nftables");
        assertThat(t.cni()).isEqualTo("host-gw");
        assertThat(t.nodes()).extracting(n -> n.name() + " " + n.address() + " " + n.podCidr())
                .containsExactly("node1 10.100.0.2 10.0.1.0/24", "node2 10.100.0.3 10.0.2.0/24", "node3 10.100.0.4 10.0.3.0/24");
        assertThat(t.hosts()).extracting(h -> h.name() + " " + h.address()).containsExactly("outside 10.100.0.100");
        assertThat(t.manifests()).extracting(m -> m.getFileName().toString())
                .containsExactly("manifest-1.yaml", "manifest-2.yaml", "manifest-3.yaml", "manifest-4.yaml");
    }

    @Test
    void badInputIsRefusedWhereItIsGiven() {
        assertThatThrownBy(() -> KubenetLab.builder().nodes(0)).hasMessageContaining("1 to 250 nodes");
        assertThatThrownBy(() -> KubenetLab.builder().deployment("Web_1", 1)).hasMessageContaining("deployment name \"Web_1\"");
        assertThatThrownBy(() -> KubenetLab.builder().service("web", 0, 8080)).hasMessageContaining("port 0: not a port");
        assertThatThrownBy(() -> KubenetLab.builder().pod("a").pod("a")).hasMessageContaining("Pod \"a\" added twice");
        assertThatThrownBy(() -> KubenetLab.builder().host("h").host("h")).hasMessageContaining("host(h): added twice");
        assertThatThrownBy(() -> KubenetLab.builder().name("Bad")).hasMessageContaining("lab name prefix \"Bad\"");
        assertThatThrownBy(() -> KubenetLab.builder().manifest(" ")).hasMessageContaining("manifest(): empty");
    }

    @Test
    void aWrongChoiceIsReportedByTheLabFilesValidation() {
        assertThatThrownBy(() -> load(KubenetLab.builder().proxyMode("ipvs"))).hasMessageContaining("unknown kube-proxy mode \"ipvs\"");
    }

    private Topology load(LabBuilder b) throws Exception {
        return TopologyLoader.load(b.writeTo(dir));
    }
}
