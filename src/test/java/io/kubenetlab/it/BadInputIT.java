package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** Bad input through the real CLI: a clear message naming file and field, a non-zero exit, nothing created. */
class BadInputIT {
    @TempDir
    Path tmp;

    static final String GOOD_MANIFEST = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers: [{name: c, image: alpine, command: ["sleep", "600"]}]
            """;

    static Stream<Arguments> cases() {
        String nodes = "nodes:\n  - {name: node1, address: 10.100.0.2, podCIDR: 10.0.1.0/24}\n";
        String net = "nodeNetwork: {cidr: 10.100.0.0/24, gateway: 10.100.0.1}\n";
        return Stream.of(
                Arguments.of("malformed YAML", "name: x\nnodes: [\n", GOOD_MANIFEST, "lab.yaml:", "malformed YAML"),
                Arguments.of("unknown field", "name: x\n" + net + nodes + "nodez: []\nmanifests: [m.yaml]\n", GOOD_MANIFEST, "nodez", "unknown field"),
                Arguments.of("pod CIDR outside cluster CIDR", "name: x\n" + net + "nodes:\n  - {name: node1, address: 10.100.0.2, podCIDR: 10.9.0.0/24}\nmanifests: [m.yaml]\n",
                        GOOD_MANIFEST, "nodes[0].podCIDR", "outside clusterCIDR"),
                Arguments.of("node address outside node network", "name: x\n" + net + "nodes:\n  - {name: node1, address: 10.200.0.2}\nmanifests: [m.yaml]\n",
                        GOOD_MANIFEST, "nodes[0].address", "outside 10.100.0.0/24"),
                Arguments.of("duplicate node names", "name: x\n" + net + nodes + "  - {name: node1, address: 10.100.0.3}\nmanifests: [m.yaml]\n",
                        GOOD_MANIFEST, "nodes[1].name", "duplicate name"),
                Arguments.of("overlapping CIDRs", "name: x\nnodeNetwork: {cidr: 10.0.0.0/24, gateway: 10.0.0.1}\nnodes:\n  - {name: node1, address: 10.0.0.2}\nmanifests: [m.yaml]\n",
                        GOOD_MANIFEST, "nodeNetwork.cidr", "overlaps clusterCIDR"),
                Arguments.of("interface name overflow", "name: x\n" + net + nodes + "bridge: averyveryverylongbridge\nmanifests: [m.yaml]\n",
                        GOOD_MANIFEST, "bridge", "interface name"),
                Arguments.of("unknown kind", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        "apiVersion: v1\nkind: Pdo\nmetadata: {name: p}\n", "m.yaml", "unknown kind"),
                Arguments.of("unknown manifest field", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        GOOD_MANIFEST.replace("spec:", "spec:\n  restartPolicyy: Never"), "spec.restartPolicyy", "unknown field"),
                Arguments.of("duplicate pod names", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        GOOD_MANIFEST + "---\n" + GOOD_MANIFEST, "metadata.name", "duplicate Pod"),
                Arguments.of("image the netns runtime cannot serve", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        GOOD_MANIFEST.replace("alpine", "nginx:1.25"), "spec.containers[0].image", "cannot be run by the netns runtime"),
                Arguments.of("command the image lacks", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        GOOD_MANIFEST.replace("\"sleep\"", "\"no-such-tool\""), "spec.containers[0].command", "not available in image"),
                Arguments.of("ClusterIP outside the service CIDR", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        service("clusterIP: 10.9.0.1", "port: 80"), "spec.clusterIPs",
                        "the provided IP (10.9.0.1) is not in the valid range. The range of valid IPs is 10.3.240.0/20"),
                Arguments.of("ClusterIP already taken", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        service("clusterIP: 10.3.241.152", "port: 80") + "---\n" + service("clusterIP: 10.3.241.152", "port: 80").replace("name: s", "name: t"),
                        "spec.clusterIPs", "failed to allocate IP 10.3.241.152: provided IP is already allocated"),
                Arguments.of("nodePort out of range", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        service("type: NodePort", "port: 80, nodePort: 40000"), "spec.ports[0].nodePort",
                        "provided port is not in the valid range. The range of valid ports is 30000-32767"),
                Arguments.of("nodePort already allocated", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        service("type: NodePort", "port: 80, nodePort: 30080") + "---\n"
                                + service("type: NodePort", "port: 80, nodePort: 30080").replace("name: s", "name: t"),
                        "spec.ports[0].nodePort", "Invalid value: 30080: provided port is already allocated"),
                Arguments.of("unknown Service type", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        service("type: Balancer", "port: 80"), "spec.type", "Unsupported value: \"Balancer\""),
                Arguments.of("lab name that climbs out", "name: ../../etc\n" + net + nodes + "manifests: [m.yaml]\n", GOOD_MANIFEST, "name",
                        "\"../../etc\" is not a valid lab name"),
                Arguments.of("manifest path that climbs to /etc", "name: x\n" + net + nodes + "manifests: [../../../../../../../../etc]\n", GOOD_MANIFEST,
                        "manifests[0]", "no such file: /etc"),
                Arguments.of("manifest name that climbs out", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        GOOD_MANIFEST.replace("name: p", "name: ../../etc"), "metadata.name", "not a valid name"),
                Arguments.of("bad Service port", "name: x\n" + net + nodes + "manifests: [m.yaml]\n",
                        service("type: ClusterIP", "port: 70000"), "spec.ports[0].port", "must be between 1 and 65535"));
    }

    static String service(String specLine, String port) {
        return "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  " + specLine + "\n  selector: {app: a}\n  ports:\n    - {"
                + port + "}\n";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithFileFieldAndReasonAndCreatesNothing(String what, String lab, String manifest, String field, String reason)
            throws IOException {
        ItSupport.requireRoot();
        String name = ItSupport.uniqueLab("it-bad");
        Files.writeString(tmp.resolve("lab.yaml"), lab.replace("name: x", "name: " + name));
        Files.writeString(tmp.resolve("m.yaml"), manifest);
        String before = ItSupport.rootNamespaceSnapshot();
        ItSupport.CliResult r = ItSupport.cli("deploy", "-t", tmp.resolve("lab.yaml").toString());
        assertThat(r.exit()).as(what).isNotZero();
        assertThat(r.err()).as(what).startsWith("error: ").contains(field).contains(reason).doesNotContain("Exception");
        ItSupport.assertGone(name);
        assertThat(ItSupport.rootNamespaceSnapshot()).isEqualTo(before);
    }
}
