package io.kubenetlab.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.k8s.Service;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Service fields beyond kube-proxy's, as a single-stack IPv4 API server checks and defaults them. */
class ServiceOptionsParserTest {
    private static Service service(String spec) {
        String yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80}]\n" + spec;
        return (Service) ManifestLoader.parse(YamlNode.loadAll("m.yaml", new StringReader(yaml)).get(0));
    }

    private static String error(String spec) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> service(spec));
        assertThat(e).isNotNull();
        return e.getMessage();
    }

    @Test
    void defaultsAreSingleStackAndAllocatingNodePortsForALoadBalancer() {
        assertThat(service("").options().ipFamilyPolicy()).isEqualTo("SingleStack");
        assertThat(service("").options().allocateLoadBalancerNodePorts()).isNull();
        assertThat(service("  type: LoadBalancer\n").options().allocateLoadBalancerNodePorts()).isTrue();
    }

    @Test
    void keptAsWritten() {
        Service s = service("  type: LoadBalancer\n  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4]\n  loadBalancerIP: 203.0.113.5\n"
                + "  loadBalancerClass: example.com/lb\n  allocateLoadBalancerNodePorts: false\n  trafficDistribution: PreferClose\n");
        assertThat(s.options().ipFamilyPolicy()).isEqualTo("PreferDualStack");
        assertThat(s.options().loadBalancerIP()).isEqualTo("203.0.113.5");
        assertThat(s.options().loadBalancerClass()).isEqualTo("example.com/lb");
        assertThat(s.options().allocatesNodePorts()).isFalse();
        assertThat(s.options().trafficDistribution()).isEqualTo("PreferClose");
    }

    @Test
    void clusterIPsAgreeWithClusterIP() {
        assertThat(service("  clusterIPs: [10.3.240.7]\n").clusterIP()).isEqualTo("10.3.240.7");
        assertThat(service("  clusterIP: 10.3.240.7\n  clusterIPs: [10.3.240.7]\n").clusterIP()).isEqualTo("10.3.240.7");
        assertThat(error("  clusterIP: 10.3.240.7\n  clusterIPs: [10.3.240.8]\n")).contains("must match `clusterIP`");
        assertThat(error("  clusterIPs: [10.3.240.7, fd00::7]\n")).contains("not configured for dual-stack services");
    }

    @Test
    void whatASingleStackClusterRefuses() {
        assertThat(error("  ipFamilies: [IPv6]\n")).contains("spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster");
        assertThat(error("  ipFamilyPolicy: RequireDualStack\n")).contains("this cluster is not configured for dual-stack services");
        assertThat(error("  ipFamilyPolicy: Sometimes\n")).contains("Unsupported value: \"Sometimes\"");
        assertThat(error("  loadBalancerClass: example.com/lb\n")).contains("Forbidden: may only be used when `type` is 'LoadBalancer'");
        assertThat(error("  allocateLoadBalancerNodePorts: false\n")).contains("Forbidden: may only be used when `type` is 'LoadBalancer'");
        assertThat(error("  type: LoadBalancer\n  loadBalancerIP: nope\n")).contains("must be a valid IP address");
        assertThat(error("  trafficDistribution: Anywhere\n")).contains("supported values: \"PreferClose\"");
    }
}
