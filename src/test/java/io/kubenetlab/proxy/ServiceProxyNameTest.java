package io.kubenetlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.model.ServiceRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kube-proxy's label selector: Services owned by another proxy, or marked headless, get no rules. */
class ServiceProxyNameTest {
    static ServiceRecord labelled(String name, Map<String, String> labels) {
        ServiceRecord s = ProxyInputsTest.clusterIP(name, "10.3.240.20", ProxyInputsTest.port("", "TCP", 80, 0));
        return new ServiceRecord(s.name(), s.namespace(), labels, s.type(), s.selector(), s.clusterIP(), s.ports(), s.externalIPs(),
                s.loadBalancerIPs(), s.sessionAffinity(), s.affinityTimeoutSeconds(), s.externalTrafficPolicy(), s.internalTrafficPolicy(),
                s.loadBalancerSourceRanges(), s.externalName(), s.createdAt());
    }

    @Test
    void servicesWithEitherLabelAreLeftOutWhateverTheValue() {
        List<ServiceEndpoints> in = ProxyInputs.of(List.of(
                labelled("mine", Map.of("app", "web")),
                labelled("other-proxy", Map.of(ServiceProxyName.LABEL, "foo")),
                labelled("empty-value", Map.of(ServiceProxyName.LABEL, "")),
                labelled("headless-label", Map.of(ServiceProxyName.HEADLESS, ""))), Map.of());
        assertThat(in).extracting(se -> se.service().name()).containsExactly("mine");
    }

    @Test
    void theReasonNamesTheLabel() {
        assertThat(ServiceProxyName.ignoredBecause(Map.of(ServiceProxyName.LABEL, "foo")))
                .hasValue("labelled service.kubernetes.io/service-proxy-name=foo, another service proxy owns it");
        assertThat(ServiceProxyName.ignoredBecause(Map.of(ServiceProxyName.HEADLESS, ""))).get().asString().contains("service.kubernetes.io/headless");
        assertThat(ServiceProxyName.ignoredBecause(Map.of("app", "web"))).isEmpty();
        assertThat(ServiceProxyName.ignoredBecause(null)).isEmpty();
    }
}
