package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.notReady;
import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.servingTerminating;
import static io.kubenetlab.proxy.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** kube-proxy's health check server: which Services, how many local endpoints, and the exact answer. */
class ServiceHealthTest {
    static final List<ServiceEndpoints> SERVICES = List.of(
            svc("ns1", "web", "http", "172.30.0.41", 80).nodePort(30080).loadBalancerIPs("1.2.3.4").externalPolicyLocal().healthCheckNodePort(30000)
                    .with(ready("10.0.1.2:8080", "node1"), ready("10.0.1.3:8080", "node1"), ready("10.0.2.2:8080", "node2"),
                            notReady("10.0.1.4:8080", "node1"), servingTerminating("10.0.1.5:8080", "node1")),
            // A second port of the same Service: the same pod counts once (upstream squashes by IP).
            svc("ns1", "web", "metrics", "172.30.0.41", 9090).nodePort(30090).loadBalancerIPs("1.2.3.4").externalPolicyLocal().healthCheckNodePort(30000)
                    .with(ready("10.0.1.2:9090", "node1")),
            svc("ns2", "plain", "", "172.30.0.42", 80).with(ready("10.0.1.9:80", "node1")));

    @Test
    void countsLocalReadyEndpointsByIp() {
        assertThat(ServiceHealth.onNode(SERVICES, "node1")).containsExactly(new ServiceHealth("ns1", "web", 30000, 2));
        assertThat(ServiceHealth.onNode(SERVICES, "node2")).containsExactly(new ServiceHealth("ns1", "web", 30000, 1));
        assertThat(ServiceHealth.onNode(SERVICES, "node3")).containsExactly(new ServiceHealth("ns1", "web", 30000, 0));
    }

    @Test
    void answersLikeUpstream() {
        HealthCheckResponse ok = HealthCheckResponse.of(new ServiceHealth("ns1", "web", 30000, 2), true);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers()).containsExactly(java.util.Map.entry("Content-Type", "application/json"),
                java.util.Map.entry("X-Content-Type-Options", "nosniff"), java.util.Map.entry("X-Load-Balancing-Endpoint-Weight", "2"));
        // Upstream's dedented template, tabs and all, without a final newline.
        assertThat(ok.body()).isEqualTo("{\n\t\"service\": {\n\t\t\"namespace\": \"ns1\",\n\t\t\"name\": \"web\"\n\t},\n"
                + "\t\"localEndpoints\": 2,\n\t\"serviceProxyHealthy\": true\n}");
        HealthCheckResponse none = HealthCheckResponse.of(new ServiceHealth("ns1", "web", 30000, 0), true);
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.reason()).isEqualTo("Service Unavailable");
        assertThat(none.headers()).containsEntry("X-Load-Balancing-Endpoint-Weight", "0");
        assertThat(HealthCheckResponse.of(new ServiceHealth("ns1", "web", 30000, 3), false).status()).as("an unhealthy proxy").isEqualTo(503);
    }
}
