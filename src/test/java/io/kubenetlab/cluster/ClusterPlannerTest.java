package io.kubenetlab.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.cluster.ClusterPlanner.Workload;
import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.k8s.Deployment;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.model.Topology;
import io.kubenetlab.topology.TopologyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPlannerTest {
    static final java.time.Clock CLOCK = java.time.Clock.fixed(java.time.Instant.parse("2026-01-02T03:04:05Z"), java.time.ZoneOffset.UTC);


    private static final String LAB = "service-network";
    private static final Path STATE = Path.of("/var/lib/kubenetlab-test");
    private static final String ALPHABET = "[bcdfghjklmnpqrstvwxz2456789]";
    private static final Topology ARTICLE = TopologyLoader.load(Path.of("topologies/service-network.yaml"));

    @TempDir
    Path dir;

    private static ImageCatalog allTools() {
        return new ImageCatalog(p -> true);
    }

    private static List<Workload> planArticle() {
        return new ClusterPlanner(LAB, ARTICLE, allTools(), STATE, CLOCK).plan(ManifestLoader.load(ARTICLE.manifests()));
    }

    private Path write(String name, String text) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, text);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<KubeObject> objects(String yaml) {
        return ManifestLoader.load(List.of(write("m.yaml", yaml)));
    }

    private List<Workload> plan(String yaml) {
        return plan(yaml, allTools());
    }

    private List<Workload> plan(String yaml, ImageCatalog catalog) {
        return new ClusterPlanner(LAB, ARTICLE, catalog, STATE, CLOCK).plan(objects(yaml));
    }

    private ConfigException planError(String yaml, ImageCatalog catalog) {
        List<KubeObject> objs = objects(yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ClusterPlanner(LAB, ARTICLE, catalog, STATE, CLOCK).plan(objs));
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.file()).isEqualTo(dir.resolve("m.yaml").toString());
        return e;
    }

    private static String pod(String name, String extraSpec, String image, String command) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n" + extraSpec
                + "  containers:\n    - name: c\n      image: " + image + "\n" + command;
    }

    private static String deployment(String name, int replicas, String args) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: %s}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      containers:
                        - name: c
                          image: alpine
                          args: ["-c", "%s"]
                """.formatted(name, replicas, name, name, args);
    }

    private static List<PodRecord> pods(List<Workload> workloads) {
        return workloads.stream().flatMap(w -> w.pods().stream()).toList();
    }

    // ------------------------------------------------------------------ the article's lab

    @Test
    void articleReplicasLandOnBothNodesAndTheClientOnNode1() {
        List<Workload> plan = planArticle();
        assertThat(plan).extracting(Workload::describe).containsExactly("Deployment service-test", "Pod service-test-client1", "Service service-test",
                "Service service-test-nodeport", "Service service-test-lb", "Service service-test-headless",
                "Pod service-test-client2", "Service database", "Endpoints database", "Pod api-pod");

        List<PodRecord> replicas = plan.get(0).pods();
        assertThat(replicas).hasSize(2);
        assertThat(replicas).extracting(PodRecord::node).containsExactly("node1", "node2");
        assertThat(replicas).extracting(PodRecord::ip).containsExactly(Ipv4.parse("10.0.1.2"), Ipv4.parse("10.0.2.2"));

        PodRecord client = plan.get(1).pods().get(0);
        assertThat(client.name()).isEqualTo("service-test-client1");
        assertThat(client.node()).isEqualTo("node1");
        assertThat(client.ip()).isEqualTo(Ipv4.parse("10.0.1.3"));
        assertThat(client.ownerKind()).isNull();
        assertThat(client.ownerName()).isNull();
        assertThat(client.labels()).isEmpty();
        assertThat(client.restartPolicy()).isEqualTo("Never");
        assertThat(plan.get(1).deployment()).isNull();
    }

    @Test
    void articleReplicaNamesLookLikeKubernetes() {
        Workload w = planArticle().get(0);
        String rs = w.deployment().replicaSetName();
        assertThat(rs).matches("service-test-[456789bcdf]{1,10}");
        String hash = rs.substring("service-test-".length());
        for (PodRecord p : w.pods()) {
            assertThat(p.name()).matches("service-test-[456789bcdf]{1,10}-" + ALPHABET + "{5}").startsWith(rs + "-");
            assertThat(p.labels()).isEqualTo(Map.of("app", "service_test_pod", "pod-template-hash", hash));
            assertThat(p.ownerKind()).isEqualTo("ReplicaSet");
            assertThat(p.ownerName()).isEqualTo(rs);
            assertThat(p.namespace()).isEqualTo("default");
            assertThat(p.restartPolicy()).isEqualTo("Always");
        }
        assertThat(w.pods().get(0).name()).isNotEqualTo(w.pods().get(1).name());
        assertThat(hash).isEqualTo(PodNamer.templateHash(ClusterPlanner.canonical((Deployment) w.object())));
    }

    @Test
    void articleDeploymentRecord() {
        Workload w = planArticle().get(0);
        assertThat(w.deployment().name()).isEqualTo("service-test");
        assertThat(w.deployment().namespace()).isEqualTo("default");
        assertThat(w.deployment().replicas()).isEqualTo(2);
        assertThat(w.deployment().selector()).isEqualTo(Map.of("app", "service_test_pod"));
        assertThat(w.deployment().createdAt()).isNotBlank();
    }

    @Test
    void articleContainersResolveToProfilesAndArgv() {
        List<Workload> plan = planArticle();
        ContainerRecord server = plan.get(0).pods().get(0).containers().get(0);
        assertThat(server.name()).isEqualTo("simple-http");
        assertThat(server.image()).isEqualTo("python:2.7");
        assertThat(server.profile()).isEqualTo("python2");
        assertThat(server.argv()).containsExactly("/bin/bash", "-c",
                "echo \"<p>Hello from $(hostname)</p>\" > index.html; python -m SimpleHTTPServer 8080");
        assertThat(server.ports()).containsExactly(new ContainerPort("http", 8080, "TCP"));
        assertThat(server.env()).containsOnlyKeys("PATH", "HOSTNAME", "HOME", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT",
                "KUBERNETES_SERVICE_PORT_HTTPS", "KUBERNETES_PORT", "KUBERNETES_PORT_443_TCP", "KUBERNETES_PORT_443_TCP_PROTO",
                "KUBERNETES_PORT_443_TCP_PORT", "KUBERNETES_PORT_443_TCP_ADDR");
        assertThat(server.env().get("PATH"))
                .isEqualTo(STATE.resolve(LAB).resolve("images/python2/bin") + ":" + ImageCatalog.SYSTEM_PATH);
        assertThat(server.env().get("HOSTNAME")).isEqualTo(plan.get(0).pods().get(0).name());
        assertThat(server.env().get("HOME")).isEqualTo("/root");

        ContainerRecord client = plan.get(1).pods().get(0).containers().get(0);
        assertThat(client.profile()).isEqualTo("alpine");
        assertThat(client.argv()).containsExactly("/bin/sh", "-c", "echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc 10.0.2.2 8080");
        assertThat(client.env().get("PATH")).startsWith(STATE.resolve(LAB).resolve("images/alpine/bin") + ":");
        assertThat(client.env().get("HOSTNAME")).isEqualTo("service-test-client1");
    }

    @Test
    void articlePodIdentifiers() {
        PodRecord client = planArticle().get(1).pods().get(0);
        assertThat(client.netns()).isEqualTo("knl-service-network-service-test-client1");
        assertThat(client.hostVeth()).matches("veth[0-9a-f]{8}").hasSizeLessThanOrEqualTo(15);
        assertThat(client.uid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(client.sandbox()).isNull();
        assertThat(client.createdAt()).isNotBlank();
    }

    @Test
    void samePlanTwice() {
        List<PodRecord> first = pods(planArticle());
        List<PodRecord> second = pods(planArticle());
        assertThat(second).extracting(PodRecord::name).containsExactlyElementsOf(first.stream().map(PodRecord::name).toList());
        assertThat(second).extracting(PodRecord::ip).containsExactlyElementsOf(first.stream().map(PodRecord::ip).toList());
        assertThat(second).extracting(PodRecord::node).containsExactlyElementsOf(first.stream().map(PodRecord::node).toList());
        assertThat(second).extracting(PodRecord::uid).containsExactlyElementsOf(first.stream().map(PodRecord::uid).toList());
        assertThat(second).extracting(PodRecord::hostVeth).containsExactlyElementsOf(first.stream().map(PodRecord::hostVeth).toList());
        assertThat(second).extracting(PodRecord::labels).containsExactlyElementsOf(first.stream().map(PodRecord::labels).toList());
    }

    @Test
    void anotherLabNameGivesOtherPodNamesButTheSameTemplateHash() {
        List<KubeObject> objects = ManifestLoader.load(ARTICLE.manifests());
        Workload a = new ClusterPlanner("lab-a", ARTICLE, allTools(), STATE, CLOCK).plan(objects).get(0);
        Workload b = new ClusterPlanner("lab-b", ARTICLE, allTools(), STATE, CLOCK).plan(objects).get(0);
        assertThat(a.deployment().replicaSetName()).isEqualTo(b.deployment().replicaSetName());
        assertThat(a.pods().get(0).name()).isNotEqualTo(b.pods().get(0).name());
        assertThat(a.pods().get(0).ip()).isEqualTo(b.pods().get(0).ip());
    }

    // ------------------------------------------------------------------ template hash

    @Test
    void templateHashFollowsTheTemplateNotTheReplicaCount() {
        String rs2 = plan(deployment("web", 2, "x")).get(0).deployment().replicaSetName();
        String rs5 = plan(deployment("web", 5, "x")).get(0).deployment().replicaSetName();
        String other = plan(deployment("web", 2, "y")).get(0).deployment().replicaSetName();
        assertThat(rs2).isEqualTo(rs5);
        assertThat(rs2).isNotEqualTo(other);
    }

    @Test
    void replicasSpreadAcrossNodesInOrder() {
        List<PodRecord> pods = pods(plan(deployment("web", 5, "x")));
        assertThat(pods).extracting(PodRecord::node).containsExactly("node1", "node2", "node1", "node2", "node1");
        assertThat(pods).extracting(p -> p.ip().toString())
                .containsExactly("10.0.1.2", "10.0.2.2", "10.0.1.3", "10.0.2.3", "10.0.1.4");
        assertThat(pods).extracting(PodRecord::name).doesNotHaveDuplicates();
    }

    @Test
    void zeroReplicasPlansNoPods() {
        Workload w = plan(deployment("web", 0, "x")).get(0);
        assertThat(w.pods()).isEmpty();
        assertThat(w.deployment().replicas()).isZero();
    }

    @Test
    void longDeploymentNamesAreTruncatedTo63Characters() {
        String name = "d".repeat(60);
        List<PodRecord> pods = pods(plan(deployment(name, 2, "x")));
        assertThat(pods).allSatisfy(p -> {
            assertThat(p.name()).hasSize(63).startsWith("d".repeat(58)).matches("d{58}" + ALPHABET + "{5}");
            assertThat(p.labels()).containsKey("pod-template-hash");
            assertThat(p.containers().get(0).env().get("HOSTNAME")).isEqualTo(p.name());
        });
        assertThat(pods.get(0).name()).isNotEqualTo(pods.get(1).name());
    }

    // ------------------------------------------------------------------ bare pods

    @Test
    void nodeNamePinsThePod() {
        List<PodRecord> pods = pods(plan(pod("pinned", "  nodeName: node2\n", "alpine", "") + "---\n"
                + pod("free", "", "alpine", "")));
        assertThat(pods).extracting(PodRecord::name, PodRecord::node, p -> p.ip().toString())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pinned", "node2", "10.0.2.2"),
                        org.assertj.core.groups.Tuple.tuple("free", "node1", "10.0.1.2"));
    }

    @Test
    void imageDefaultsBecomeArgv() {
        ContainerRecord c = pods(plan(pod("p", "", "docker.io/library/alpine:3.19", ""))).get(0).containers().get(0);
        assertThat(c.profile()).isEqualTo("alpine");
        assertThat(c.argv()).containsExactly("/bin/sh");
    }

    @Test
    void envFromTheManifestFollowsTheDefaults() {
        ContainerRecord c = pods(plan(pod("p", "", "alpine", "      env:\n        - name: HOME\n          value: /tmp\n"
                + "        - name: GREETING\n          value: hi\n"))).get(0).containers().get(0);
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("PATH", c.env().get("PATH"));
        expected.put("HOSTNAME", "p");
        expected.put("HOME", "/tmp");
        expected.putAll(KubernetesService.env(io.kubenetlab.net.Cidr.parse("10.3.240.0/20")));
        expected.put("GREETING", "hi");
        assertThat(c.env()).containsExactlyEntriesOf(expected);
    }

    /** kubelet's variables for the master Service, in every container; the manifest's own win (they come after). */
    @Test
    void everyContainerHasTheKubernetesServiceVariables() {
        ContainerRecord c = pods(plan(pod("p", "", "alpine", "      env:\n        - name: KUBERNETES_SERVICE_PORT\n          value: \"8443\"\n"))).get(0).containers().get(0);
        assertThat(c.env()).containsEntry("KUBERNETES_SERVICE_HOST", "10.3.240.1").containsEntry("KUBERNETES_PORT", "tcp://10.3.240.1:443")
                .containsEntry("KUBERNETES_PORT_443_TCP_ADDR", "10.3.240.1").containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443")
                .containsEntry("KUBERNETES_SERVICE_PORT", "8443");
    }

    @Test
    void hostnameIsTruncatedLikeKubelet() {
        String name = "a".repeat(62) + "-bc";
        PodRecord p = pods(plan(pod(name, "", "alpine", ""))).get(0);
        assertThat(p.hostname()).isEqualTo("a".repeat(62));
        assertThat(p.containers().get(0).env().get("HOSTNAME")).isEqualTo(p.hostname());
    }

    @Test
    void generatedNameAvoidsAnExistingPodName() {
        String rsPod = pods(plan(deployment("web", 1, "x"))).get(0).name();
        List<PodRecord> pods = pods(plan(pod(rsPod, "", "alpine", "") + "---\n" + deployment("web", 1, "x")));
        assertThat(pods.get(0).name()).isEqualTo(rsPod);
        assertThat(pods.get(1).name()).isNotEqualTo(rsPod).startsWith(rsPod.substring(0, rsPod.length() - 5))
                .matches(".*-" + ALPHABET + "{5}");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void duplicatePodNameAfterAGeneratedOne() {
        String rsPod = pods(plan(deployment("web", 1, "x"))).get(0).name();
        ConfigException e = planError(deployment("web", 1, "x") + "---\n" + pod(rsPod, "", "alpine", ""), allTools());
        assertThat(e.field()).isEqualTo("metadata.name");
        assertThat(e.reason()).isEqualTo("duplicate pod name \"" + rsPod + "\"");
        assertThat(e.line()).isEqualTo(18);
    }

    @Test
    void unknownNodeName() {
        ConfigException e = planError(pod("p", "  nodeName: node3\n", "alpine", ""), allTools());
        assertThat(e.field()).isEqualTo("spec.nodeName");
        assertThat(e.reason()).isEqualTo("node \"node3\" does not exist (nodes: node1, node2)");
        assertThat(e.line()).isEqualTo(1);
    }

    @Test
    void podNamedLikeANode() {
        ConfigException e = planError(pod("node1", "", "alpine", ""), allTools());
        assertThat(e.field()).isEqualTo("metadata.name");
        assertThat(e.reason()).contains("pod name \"node1\" is already the name of a node or host of this lab");
    }

    @Test
    void podNamedLikeAHostOrTheRouter() {
        assertThat(planError(pod("ext-client", "", "alpine", ""), allTools()).reason())
                .contains("\"ext-client\" is already the name of a node or host");
        assertThat(planError(pod("router", "", "alpine", ""), allTools()).reason())
                .contains("\"router\" is already the name of a node or host");
    }

    @Test
    void unknownImage() {
        ConfigException e = planError(pod("p", "", "nginx:1.25", ""), allTools());
        assertThat(e.field()).isEqualTo("spec.containers[0].image");
        assertThat(e.reason()).startsWith("image \"nginx:1.25\" cannot be run by the netns runtime");
    }

    @Test
    void unknownImageInASecondContainer() {
        ConfigException e = planError(pod("p", "", "alpine", "    - name: d\n      image: redis\n"), allTools());
        assertThat(e.field()).isEqualTo("spec.containers[1].image");
        assertThat(e.reason()).contains("\"redis\"");
    }

    @Test
    void commandNotFound() {
        Predicate<Path> noCurl = p -> !p.getFileName().toString().equals("curl");
        ConfigException e = planError(pod("p", "", "alpine", "      command: [curl, -s, http://10.3.241.152]\n"),
                new ImageCatalog(noCurl));
        assertThat(e.field()).isEqualTo("spec.containers[0].command");
        assertThat(e.reason()).startsWith("command \"curl\" is not available in image \"alpine\" on the netns runtime (profile alpine");
    }

    @Test
    void absoluteCommandNotFound() {
        Predicate<Path> noBash = p -> !p.toString().equals("/opt/bin/tool");
        ConfigException e = planError(pod("p", "", "debian", "      command: [/opt/bin/tool]\n"), new ImageCatalog(noBash));
        assertThat(e.field()).isEqualTo("spec.containers[0].command");
        assertThat(e.reason()).contains("command \"/opt/bin/tool\" is not available");
    }

    @Test
    void missingHostToolIsAnImageError() {
        Predicate<Path> noPython = p -> !p.toString().equals("/usr/bin/python3");
        ConfigException e = planError(deployment("web", 1, "x").replace("image: alpine", "image: python:2.7"), new ImageCatalog(noPython));
        assertThat(e.field()).isEqualTo("spec.containers[0].image");
        assertThat(e.reason()).isEqualTo("image \"python:2.7\" needs /usr/bin/python3 on the host, which is missing (run scripts/setup.sh)");
    }

    @Test
    void nodeRunsOutOfPodAddresses() throws IOException {
        Path lab = write("lab.yaml", """
                name: small
                nodeNetwork: {cidr: 10.100.0.0/24, gateway: 10.100.0.1}
                podCIDRSize: 29
                nodes:
                  - {name: only, address: 10.100.0.2}
                """);
        Topology t = TopologyLoader.load(lab);
        List<KubeObject> objs = objects(deployment("web", 6, "x"));
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ClusterPlanner("small", t, allTools(), STATE, CLOCK).plan(objs));
        assertThat(e.field()).isEqualTo("metadata.name");
        assertThat(e.reason()).contains("no free pod address left in 10.0.0.0/29");
        assertThat(new ClusterPlanner("small", t, allTools(), STATE, CLOCK).plan(objects(deployment("web", 5, "x"))).get(0).pods())
                .extracting(p -> p.ip().toString()).containsExactly("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
    }
}
