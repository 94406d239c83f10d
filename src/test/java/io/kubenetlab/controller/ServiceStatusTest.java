package io.kubenetlab.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.api.ApiException;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import org.junit.jupiter.api.Test;

/** services/status bodies: checked and defaulted as the API server's ValidateLoadBalancerStatus and defaults. */
class ServiceStatusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ServiceStatus parse(String json) throws Exception {
        return ServiceStatus.parse("s", JSON.readTree(json));
    }

    @Test
    void vipIngressIPsAreWhatKubeProxyCaptures() throws Exception {
        ServiceStatus st = parse("{\"loadBalancer\":{\"ingress\":[{\"ip\":\"203.0.113.7\"},{\"ip\":\"198.51.100.1\",\"ipMode\":\"Proxy\"},"
                + "{\"hostname\":\"lb.example.com\"}]}}");
        assertThat(st.vips()).isEqualTo(List.of(Ipv4.parse("203.0.113.7")));
        assertThat(st.status().path("loadBalancer").path("ingress").get(0).path("ipMode").asText()).isEqualTo("VIP");
        assertThat(parse("{}").vips()).isEmpty();
    }

    @Test
    void refusedInTheApiServersWords() {
        assertThat(error("{\"loadBalancer\":{\"ingress\":[{\"ip\":\"x\"}]}}")).contains("status.loadBalancer.ingress[0].ip: Invalid value: \"x\"");
        assertThat(error("{\"loadBalancer\":{\"ingress\":[{\"hostname\":\"h\",\"ipMode\":\"VIP\"}]}}"))
                .contains("ingress[0].ipMode: Forbidden: may not be specified when `ip` is not set");
        assertThat(error("{\"loadBalancer\":{\"ingress\":[{\"ip\":\"1.2.3.4\",\"ipMode\":\"Other\"}]}}")).contains("Unsupported value: \"Other\"");
        assertThat(error("{\"loadBalancer\":{\"ingress\":[{\"hostname\":\"1.2.3.4\"}]}}")).contains("must be a DNS name, not an IP address");
        assertThat(error("{\"loadBalancer\":{\"bogus\":1}}")).contains("unknown field \"status.loadBalancer.bogus\"");
    }

    private static String error(String json) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parse(json));
        assertThat(e).isNotNull();
        return e.getMessage();
    }
}
