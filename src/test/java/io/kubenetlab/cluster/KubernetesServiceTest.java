package io.kubenetlab.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.topology.TopologyLoader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesServiceTest {
    static final java.time.Clock CLOCK = java.time.Clock.fixed(java.time.Instant.parse("2026-01-02T03:04:05Z"), java.time.ZoneOffset.UTC);
    private static final Topology ARTICLE = TopologyLoader.load(Path.of("topologies/service-network.yaml"));

    @TempDir
    Path dir;

    private static List<KubeObject> kubernetesObjects(Topology t) {
        List<KubeObject> out = new ArrayList<>();
        for (YamlNode doc : YamlNode.loadAll(KubernetesService.SOURCE, new StringReader(KubernetesService.manifests(t)))) {
            out.add(ManifestLoader.parse(doc));
        }
        return out;
    }

    private ClusterPlanner planner(Topology t) {
        return new ClusterPlanner("lab", t, new ImageCatalog(p -> true), dir, CLOCK);
    }

    @Test
    void theArticleLabsKubernetesServiceIsTheFirstServiceAddressOnPort443() {
        List<ClusterPlanner.Workload> w = planner(ARTICLE).plan(kubernetesObjects(ARTICLE));
        ServiceRecord s = w.get(0).service();
        assertThat(s.key()).isEqualTo("default/kubernetes");
        assertThat(s.clusterIP()).isEqualTo("10.3.240.1");
        assertThat(s.type()).isEqualTo("ClusterIP");
        assertThat(s.selector()).isNull();
        assertThat(s.labels()).containsEntry("component", "apiserver").containsEntry("provider", "kubernetes");
        assertThat(s.ports()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("https");
            assertThat(p.port()).isEqualTo(443);
            assertThat(p.protocol()).isEqualTo("TCP");
            assertThat(p.targetPortNumber()).isEqualTo(6443);
        });
        List<EndpointRecord> eps = EndpointsController.fromManifest(w.get(1).endpoints());
        assertThat(eps).singleElement().satisfies(e -> {
            assertThat(e.ip()).isEqualTo(ARTICLE.nodes().get(0).address());
            assertThat(e.port()).isEqualTo(6443);
            assertThat(e.portName()).isEqualTo("https");
            assertThat(e.ready()).isTrue();
        });
    }

    @Test
    void aManifestAskingForItsClusterIPIsRefusedNamingFileAndField() throws Exception {
        Path f = dir.resolve("svc.yaml");
        Files.writeString(f, "apiVersion: v1\nkind: Service\nmetadata:\n  name: mine\nspec:\n  clusterIP: 10.3.240.1\n"
                + "  ports:\n    - {port: 80}\n");
        List<KubeObject> objects = new ArrayList<>(kubernetesObjects(ARTICLE));
        objects.addAll(ManifestLoader.load(List.of(f)));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> planner(ARTICLE).plan(objects));
        assertThat(e).isNotNull();
        assertThat(e.file()).isEqualTo(f.toString());
        assertThat(e.field()).isEqualTo("spec.clusterIPs");
        assertThat(e.reason()).endsWith("provided IP is already allocated");
    }

    /** Upstream reserves the first address for the kubernetes Service: allocation never hands it out, even before it exists. */
    @Test
    void allocationNeverHandsOutTheFirstAddress() throws Exception {
        Topology small = new Topology(ARTICLE.name(), ARTICLE.file(), ARTICLE.runtime(), ARTICLE.cni(), ARTICLE.proxyMode(),
                ARTICLE.nodeNetwork(), ARTICLE.clusterCidr(), ARTICLE.podCidrSize(), Cidr.parse("10.3.240.0/28"), ARTICLE.nodePortRange(),
                ARTICLE.bridge(), ARTICLE.nodes(), ARTICLE.networks(), ARTICLE.hosts(), List.of(), ARTICLE.loadBalancer(), ARTICLE.images());
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            yaml.append("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s").append(i).append("\nspec:\n  ports:\n    - {port: 80}\n");
        }
        Path f = dir.resolve("many.yaml");
        Files.writeString(f, yaml.toString());
        List<String> ips = planner(small).plan(ManifestLoader.load(List.of(f))).stream().map(w -> w.service().clusterIP()).toList();
        assertThat(ips).hasSize(12).doesNotHaveDuplicates().doesNotContain("10.3.240.1", "10.3.240.10");
    }

    @Test
    void theCertificateNamesEveryWayAPodReachesTheApi() {
        assertThat(KubernetesService.certificateNames(ARTICLE)).containsExactly("127.0.0.1", "localhost", "10.3.240.1",
                ARTICLE.nodes().get(0).address().toString(), "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local");
    }

    @Test
    void kubeletsVariablesForTheMasterService() {
        assertThat(KubernetesService.env(Cidr.parse("10.3.240.0/20"))).containsExactly(
                java.util.Map.entry("KUBERNETES_SERVICE_HOST", "10.3.240.1"),
                java.util.Map.entry("KUBERNETES_SERVICE_PORT", "443"),
                java.util.Map.entry("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
                java.util.Map.entry("KUBERNETES_PORT", "tcp://10.3.240.1:443"),
                java.util.Map.entry("KUBERNETES_PORT_443_TCP", "tcp://10.3.240.1:443"),
                java.util.Map.entry("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
                java.util.Map.entry("KUBERNETES_PORT_443_TCP_PORT", "443"),
                java.util.Map.entry("KUBERNETES_PORT_443_TCP_ADDR", "10.3.240.1"));
    }

    /** The API server writes its slice itself, named as the Service (not the mirroring controller's generated name). */
    @Test
    void itsEndpointSliceIsNamedKubernetes() {
        List<ClusterPlanner.Workload> w = planner(ARTICLE).plan(kubernetesObjects(ARTICLE));
        var slices = EndpointSliceController.slices(w.get(0).service(), EndpointsController.fromManifest(w.get(1).endpoints()));
        assertThat(slices).singleElement().satisfies(sl -> {
            assertThat(sl.name()).isEqualTo("kubernetes");
            assertThat(sl.endpoints()).extracting(EndpointRecord::ip).containsExactly(Ipv4.parse(ARTICLE.nodes().get(0).address().toString()));
        });
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> meta = (java.util.Map<String, Object>) io.kubenetlab.output.ServiceView.endpointSlice(w.get(0).service(), slices.get(0)).get("metadata");
        assertThat(meta).containsEntry("name", "kubernetes").containsEntry("labels", java.util.Map.of("kubernetes.io/service-name", "kubernetes"))
                .doesNotContainKey("ownerReferences");
    }
}
