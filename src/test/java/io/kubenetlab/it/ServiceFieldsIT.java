package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.it.Kubectl.Out;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Through the real kubectl: Service fields that were accepted and dropped (issue 13, item 11) are
 * honoured (loadBalancerIP, loadBalancerClass, allocateLoadBalancerNodePorts, ipFamilies and
 * ipFamilyPolicy, clusterIPs) or answered with a warning kubectl prints (trafficDistribution, an
 * EXTERNAL-IP the pool cannot give, a LoadBalancer without node ports).
 */
class ServiceFieldsIT extends ArticleKubectlBase {
    ServiceFieldsIT() {
        super("knl-i13c", "i13c-fld");
    }

    private Out kubectl(String... args) {
        return kubectl.run(lab, args);
    }

    private Out apply(String fileName, String spec) throws IOException {
        Path f = tmp.resolve(fileName);
        Files.writeString(f, "apiVersion: v1\nkind: Service\nmetadata: {name: " + fileName.replace(".yaml", "") + "}\nspec:\n"
                + "  selector: {app: service_test_pod}\n  ports: [{port: 80, targetPort: 8080}]\n" + spec);
        return kubectl("apply", "-f", f.toString());
    }

    private String applied(String fileName, String spec) throws IOException {
        Out o = apply(fileName, spec);
        assertThat(o.exit()).as(o.err()).isZero();
        return o.err();
    }

    private String get(String svc, String jsonpath) {
        Out o = kubectl("get", "svc", svc, "-o", "jsonpath=" + jsonpath);
        assertThat(o.exit()).as(o.err()).isZero();
        return o.out();
    }

    private String request(String from, String ip, int port) {
        return lab.execCapture(from, List.of("sh", "-c", "echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 3 " + ip + " " + port)).stdout();
    }

    @Test
    void loadBalancerIPIsAskedOfThePoolOrWarnedAbout() throws IOException {
        assertThat(applied("lb-ip.yaml", "  type: LoadBalancer\n  loadBalancerIP: 203.0.113.150\n")).doesNotContain("Warning");
        assertThat(get("lb-ip", "{.spec.loadBalancerIP} {.status.loadBalancer.ingress[0].ip}")).isEqualTo("203.0.113.150 203.0.113.150");
        eventually("the balancer serves the asked address", 10_000, () -> request("ext-client", "203.0.113.150", 80).contains("Hello from"));

        String err = applied("lb-far.yaml", "  type: LoadBalancer\n  loadBalancerIP: 192.0.2.200\n");
        assertThat(err).contains("Warning: spec.loadBalancerIP: 192.0.2.200 is not free in the lab load balancer's pool");
        assertThat(kubectl("get", "svc", "lb-far").out()).contains("<pending>");
    }

    @Test
    void anotherLoadBalancerClassIsLeftToItsController() throws IOException {
        applied("lb-class.yaml", "  type: LoadBalancer\n  loadBalancerClass: example.com/other\n");
        assertThat(get("lb-class", "{.spec.loadBalancerClass}")).isEqualTo("example.com/other");
        assertThat(kubectl("get", "svc", "lb-class").out()).contains("<pending>");
        Out change = kubectl("patch", "svc", "lb-class", "--type=merge", "-p", "{\"spec\":{\"loadBalancerClass\":\"example.com/mine\"}}");
        assertThat(change.err()).contains("spec.loadBalancerClass: Invalid value: \"example.com/mine\": may not change once set");
        Out onClusterIP = apply("cip-class.yaml", "  loadBalancerClass: example.com/other\n");
        assertThat(onClusterIP.err()).contains("spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'");
    }

    @Test
    void noNodePortsWhenTheyAreNotToBeAllocated() throws IOException {
        String err = applied("lb-nonp.yaml", "  type: LoadBalancer\n  allocateLoadBalancerNodePorts: false\n");
        assertThat(err).contains("Warning: spec.allocateLoadBalancerNodePorts: false: the lab's load balancer forwards to node ports");
        assertThat(get("lb-nonp", "{.spec.allocateLoadBalancerNodePorts}/{.spec.ports[0].nodePort}/")).isEqualTo("false//");
        String ip = get("lb-nonp", "{.status.loadBalancer.ingress[0].ip}");
        assertThat(ip).startsWith("203.0.113.");
        eventually("kube-proxy captures the EXTERNAL-IP on the nodes", 10_000, () -> request("node2", ip, 80).contains("Hello from"));
        assertThat(get("service-test-lb", "{.spec.allocateLoadBalancerNodePorts}")).as("the default, served").isEqualTo("true");
    }

    @Test
    void ipFamiliesAndClusterIPsAreThoseOfASingleStackIPv4Cluster() throws IOException {
        assertThat(get("service-test", "{.spec.ipFamilies} {.spec.ipFamilyPolicy} {.spec.clusterIPs}")).isEqualTo("[\"IPv4\"] SingleStack [\"10.3.241.152\"]");
        applied("prefer.yaml", "  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4]\n");
        assertThat(get("prefer", "{.spec.ipFamilyPolicy} {.spec.ipFamilies}")).isEqualTo("PreferDualStack [\"IPv4\"]");
        assertThat(apply("v6.yaml", "  ipFamilies: [IPv6]\n").err()).contains("spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster");
        assertThat(apply("dual.yaml", "  ipFamilyPolicy: RequireDualStack\n").err())
                .contains("spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services");
        applied("ips.yaml", "  clusterIPs: [10.3.250.7]\n");
        assertThat(get("ips", "{.spec.clusterIP} {.spec.clusterIPs}")).isEqualTo("10.3.250.7 [\"10.3.250.7\"]");
        assertThat(apply("mismatch.yaml", "  clusterIP: 10.3.250.8\n  clusterIPs: [10.3.250.9]\n").err())
                .contains("spec.clusterIPs[0]: Invalid value: \"10.3.250.9\": must match `clusterIP`");
    }

    @Test
    void trafficDistributionIsKeptWithAWarning() throws IOException {
        assertThat(applied("td.yaml", "  trafficDistribution: PreferClose\n"))
                .contains("Warning: spec.trafficDistribution: PreferClose is kept but not modelled");
        assertThat(get("td", "{.spec.trafficDistribution}")).isEqualTo("PreferClose");
    }
}
