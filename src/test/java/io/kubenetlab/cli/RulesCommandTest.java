package io.kubenetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubenetlab rules --render -f}: kube-proxy's text for manifests, offline, no lab, no root. */
class RulesCommandTest {
    @TempDir
    Path tmp;

    private String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rendersWhatKubeProxyWouldWriteForTheGivenObjects() throws IOException {
        Path f = tmp.resolve("svc-and-endpoints.yaml");
        // A ClusterIP far outside any lab's range: like kube-proxy, the renderer trusts its input.
        Files.writeString(f, """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  clusterIP: 172.30.0.41
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Endpoints
                metadata: {name: web, namespace: shop}
                subsets:
                  - addresses: [{ip: 10.1.0.5, nodeName: n}, {ip: 10.2.0.7, nodeName: m}]
                    ports: [{name: http, port: 8080}]
                """);
        String text = run("rules", "--render", "-f", f.toString(), "--node-name", "n", "--node-ip", "192.168.0.2",
                "--cluster-cidr", "10.0.0.0/8");
        assertThat(text).startsWith("*filter\n").contains("\nCOMMIT\n*nat\n").endsWith("COMMIT\n");
        assertThat(text).contains("-A KUBE-SERVICES -m comment --comment \"shop/web:http cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-")
                .contains("! -s 10.0.0.0/8 -j KUBE-MARK-MASQ")
                .contains("-m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-")
                .contains("-j DNAT --to-destination 10.1.0.5:8080")
                .contains("-j DNAT --to-destination 10.2.0.7:8080");
        // The nodeports jump is the last nat rule, as upstream requires.
        String nat = text.substring(text.indexOf("*nat"));
        String[] lines = nat.split("\n");
        assertThat(lines[lines.length - 2]).contains("kubernetes service nodeports; NOTE: this must be the last rule in this chain");
    }

    @Test
    void withoutAClusterCidrThereIsNoMasqueradeRuleForOffClusterTraffic() throws IOException {
        Path f = tmp.resolve("svc.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  clusterIP: 10.96.0.20
                  ports: [{port: 80}]
                """);
        String text = run("rules", "--render", "-f", f.toString());
        assertThat(text).doesNotContain("-j KUBE-MARK-MASQ\n-A KUBE-SVC").doesNotContain("cluster IP\" -m tcp -p tcp -d 10.96.0.20 --dport 80 ! -s").contains("\"default/web has no endpoints\"").contains("-j REJECT");
    }

    private static final String SLICED = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              clusterIP: 172.30.0.41
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-abc12
              namespace: shop
              labels: {kubernetes.io/service-name: web}
            addressType: IPv4
            ports: [{name: http, port: 8080, protocol: TCP}]
            endpoints:
              - addresses: [10.1.0.5]
                conditions: {ready: true}
                nodeName: n
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-def34
              namespace: shop
              labels: {kubernetes.io/service-name: web}
            addressType: IPv4
            ports: [{name: http, port: 8080, protocol: TCP}]
            endpoints:
              - addresses: [10.2.0.7]
                nodeName: m
              - addresses: [10.2.0.8]
                conditions: {ready: false, serving: true, terminating: true}
                nodeName: m
            """;

    /** One condition changed in the whole file: what a terminating rollout looks like to kube-proxy. */
    private String allTerminating() {
        return SLICED.replace("conditions: {ready: true}", "conditions: {ready: false, serving: true, terminating: true}")
                .replace("  - addresses: [10.2.0.7]\n    nodeName: m\n", "  - addresses: [10.2.0.7]\n    conditions: {ready: false, serving: false, terminating: true}\n    nodeName: m\n");
    }

    private String render(String yaml, String mode) throws IOException {
        Path f = tmp.resolve("slices-" + mode + ".yaml");
        Files.writeString(f, yaml);
        return run("rules", "--render", "--proxy-mode", mode, "-f", f.toString(), "--node-name", "n", "--node-ip", "192.168.0.2",
                "--cluster-cidr", "10.0.0.0/8");
    }

    @Test
    void iptablesModeReadsEveryReadyEndpointOfEverySlice() throws IOException {
        String text = render(SLICED, "iptables");
        assertThat(text).contains("-j DNAT --to-destination 10.1.0.5:8080").contains("-j DNAT --to-destination 10.2.0.7:8080")
                .doesNotContain("10.2.0.8:8080")
                .contains("-m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-");
    }

    @Test
    void iptablesModeFallsBackToServingTerminatingEndpointsWhenNoneIsReady() throws IOException {
        String text = render(allTerminating(), "iptables");
        // 10.1.0.5 and 10.2.0.8 serve while terminating; 10.2.0.7 does not serve: upstream's CategorizeEndpoints.
        assertThat(text).contains("-j DNAT --to-destination 10.1.0.5:8080").contains("-j DNAT --to-destination 10.2.0.8:8080")
                .doesNotContain("10.2.0.7:8080").doesNotContain("has no endpoints");
    }

    @Test
    void nftablesModeReadsEveryReadyEndpointOfEverySlice() throws IOException {
        String text = render(SLICED, "nftables");
        assertThat(text).contains("dnat to 10.1.0.5:8080").contains("dnat to 10.2.0.7:8080").doesNotContain("10.2.0.8")
                .contains("numgen random mod 2 vmap");
    }

    @Test
    void nftablesModeFallsBackToServingTerminatingEndpointsWhenNoneIsReady() throws IOException {
        String text = render(allTerminating(), "nftables");
        assertThat(text).contains("dnat to 10.1.0.5:8080").contains("dnat to 10.2.0.8:8080").doesNotContain("10.2.0.7")
                .contains("numgen random mod 2 vmap");
    }

    @Test
    void slicesKubeProxyIgnoresAreNamedOnStderr() throws IOException {
        String yaml = SLICED.replace("labels: {kubernetes.io/service-name: web}\naddressType: IPv4\nports: [{name: http, port: 8080, protocol: TCP}]\nendpoints:\n  - addresses: [10.2.0.7]",
                "labels: {app: web}\naddressType: IPv4\nports: [{name: http, port: 8080, protocol: TCP}]\nendpoints:\n  - addresses: [10.2.0.7]")
                + "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-v6, namespace: shop, labels: {kubernetes.io/service-name: web}}\n"
                + "addressType: IPv6\nports: [{name: http, port: 8080}]\nendpoints: [{addresses: ['fd00::7']}]\n";
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        String text;
        try {
            text = render(yaml, "iptables");
        } finally {
            System.setErr(saved);
        }
        assertThat(text).contains("10.1.0.5:8080").doesNotContain("10.2.0.7").doesNotContain("fd00");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("note: EndpointSlice shop/web-def34 has no kubernetes.io/service-name label: kube-proxy ignores it")
                .contains("note: EndpointSlice shop/web-v6 has addressType IPv6: kube-proxy in IPv4 mode ignores it");
    }
}
