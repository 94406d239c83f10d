package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rules --render -f} takes objects as kube-proxy does: upstream's TestOverallNFTablesRules Services
 * written as manifests (LoadBalancer status ingress, healthCheckNodePort, source ranges, a nodePort below
 * any lab's range) render exactly what {@link NftablesUpstreamTest} proves equal to upstream's literal
 * expectation, in nftables mode, and what the iptables renderer gives for them in iptables mode (with the
 * health check node port's ACCEPT rule; nftables mode has none, as upstream). Nothing is re-allocated.
 */
class OfflineRenderUpstreamTest {
    @TempDir
    Path tmp;

    static final String OBJECTS = """
            apiVersion: v1
            kind: Service
            metadata: {name: svc1, namespace: ns1}
            spec: {clusterIP: 172.30.0.41, ports: [{name: p80, port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc2, namespace: ns2}
            spec:
              type: LoadBalancer
              clusterIP: 172.30.0.42
              externalIPs: [192.168.99.22]
              externalTrafficPolicy: Local
              healthCheckNodePort: 30000
              ports: [{name: p80, port: 80, nodePort: 3001}]
            status:
              loadBalancer: {ingress: [{ip: 1.2.3.4}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc3, namespace: ns3}
            spec: {type: NodePort, clusterIP: 172.30.0.43, ports: [{name: p80, port: 80, nodePort: 3003}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc4, namespace: ns4}
            spec: {type: NodePort, clusterIP: 172.30.0.44, externalIPs: [192.168.99.33], ports: [{name: p80, port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc5, namespace: ns5}
            spec:
              type: LoadBalancer
              clusterIP: 172.30.0.45
              loadBalancerSourceRanges: [" 203.0.113.0/25"]
              sessionAffinity: ClientIP
              ports: [{name: p80, port: 80, nodePort: 3002}]
            status:
              loadBalancer: {ingress: [{ip: 5.6.7.8}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc6, namespace: ns6}
            spec: {clusterIP: 172.30.0.46, ports: [{name: p80, port: 80}]}
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: svc1, namespace: ns1}
            subsets: [{addresses: [{ip: 10.180.0.1}], ports: [{name: p80, port: 80}]}]
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: svc2, namespace: ns2}
            subsets: [{addresses: [{ip: 10.180.0.2}], ports: [{name: p80, port: 80}]}]
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: svc3, namespace: ns3}
            subsets: [{addresses: [{ip: 10.180.0.3}], ports: [{name: p80, port: 80}]}]
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: svc4, namespace: ns4}
            subsets: [{addresses: [{ip: 10.180.0.4}, {ip: 10.180.0.5, nodeName: test-hostname}], ports: [{name: p80, port: 80}]}]
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: svc5, namespace: ns5}
            subsets: [{addresses: [{ip: 10.180.0.3}], ports: [{name: p80, port: 80}]}]
            """;

    private String render(String mode) throws IOException {
        Path f = tmp.resolve("objects.yaml");
        Files.writeString(f, OBJECTS);
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("rules", "--render", "--proxy-mode", mode, "-f", f.toString(), "--node-name", "test-hostname",
                    "--node-ip", "192.168.0.2", "--cluster-cidr", "10.0.0.0/8", "--service-cidr", "172.30.0.0/16")).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void nftablesModeMatchesUpstreamsOverallRules() throws IOException {
        String offline = render("nftables");
        assertThat(NftDumps.canonical(offline)).isEqualTo(NftDumps.canonical(NftablesRules.render(NftablesUpstreamTest.overallServices(), NftablesUpstreamTest.UPSTREAM_NODE)));
        // The ingress IPs and their firewall, taken from the status; no rule at all for the health check port.
        assertThat(offline).contains("add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }")
                .contains("add element ip kube-proxy firewall-ips { 5.6.7.8 . tcp . 80 : goto firewall-HVFWP5L3-ns5/svc5/tcp/p80 }")
                .contains("add element ip kube-proxy no-endpoint-services { 1.2.3.4 . tcp . 80 comment \"ns2/svc2:p80\" : drop }")
                .doesNotContain("30000");
    }

    @Test
    void iptablesModeHasTheHealthCheckNodePortAndTheIngressRules() throws IOException {
        String offline = render("iptables");
        assertThat(offline).isEqualTo(KubeProxyRules.render(NftablesUpstreamTest.overallServices(), NftablesUpstreamTest.UPSTREAM_NODE));
        assertThat(offline)
                .contains("-A KUBE-NODEPORTS -m comment --comment \"ns2/svc2:p80 health check node port\" -m tcp -p tcp --dport 30000 -j ACCEPT")
                .contains("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns2/svc2:p80 has no local endpoints\" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP")
                .contains("-A KUBE-SERVICES -m comment --comment \"ns5/svc5:p80 loadbalancer IP\" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-")
                .contains("-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment \"ns5/svc5:p80 loadbalancer IP\" -s 203.0.113.0/25 -j KUBE-EXT-")
                .contains("-A KUBE-PROXY-FIREWALL -m comment --comment \"ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C\" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP");
    }
}
