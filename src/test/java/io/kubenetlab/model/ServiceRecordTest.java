package io.kubenetlab.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.k8s.ServiceOptions;
import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceRecordTest {
    private static final ServiceOptions OPTIONS = new ServiceOptions("SingleStack", "10.100.0.50", null, false, null);

    private static ServiceRecord lbLocal() {
        return new ServiceRecord("web", "default", Map.of(), "LoadBalancer", Map.of("app", "web"), "10.3.0.10",
                List.of(new ServicePortSpec(null, "TCP", 80, 80, null, 0)), List.of(), List.of(), "None", 0, "Local", "Cluster",
                List.of(), null, "2026-01-01T00:00:00Z", 31000, true, OPTIONS);
    }

    @Test
    void aWrittenStatusOrANewAgeKeepsTheHealthCheckPortNotReadyAddressesAndOptions() {
        ServiceRecord s = lbLocal().withLoadBalancerIPs(List.of(Ipv4.parse("203.0.113.7"))).withCreatedAt("2026-02-02T00:00:00Z");
        assertThat(s.loadBalancerIPs()).containsExactly(Ipv4.parse("203.0.113.7"));
        assertThat(s.healthCheckNodePort()).isEqualTo(31000);
        assertThat(s.publishNotReadyAddresses()).isTrue();
        assertThat(s.options()).isEqualTo(OPTIONS);
        assertThat(s.needsHealthCheck()).isTrue();
    }

    @Test
    void theShortConstructorsDefaultTheRest() {
        ServiceRecord l = lbLocal();
        ServiceRecord shortest = new ServiceRecord(l.name(), l.namespace(), l.labels(), l.type(), l.selector(), l.clusterIP(), l.ports(),
                l.externalIPs(), l.loadBalancerIPs(), l.sessionAffinity(), l.affinityTimeoutSeconds(), l.externalTrafficPolicy(),
                l.internalTrafficPolicy(), l.loadBalancerSourceRanges(), l.externalName(), l.createdAt());
        assertThat(shortest.healthCheckNodePort()).isZero();
        assertThat(shortest.publishNotReadyAddresses()).isFalse();
        assertThat(shortest.options()).isEqualTo(ServiceOptions.DEFAULTS);
        ServiceRecord noOptions = new ServiceRecord(l.name(), l.namespace(), l.labels(), l.type(), l.selector(), l.clusterIP(), l.ports(),
                l.externalIPs(), l.loadBalancerIPs(), l.sessionAffinity(), l.affinityTimeoutSeconds(), l.externalTrafficPolicy(),
                l.internalTrafficPolicy(), l.loadBalancerSourceRanges(), l.externalName(), l.createdAt(), 31000, true);
        assertThat(noOptions.healthCheckNodePort()).isEqualTo(31000);
        assertThat(noOptions.options()).isEqualTo(ServiceOptions.DEFAULTS);
    }
}
