package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.endpoint;
import static io.kubenetlab.proxy.Fixtures.notReady;
import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.servingTerminating;
import static io.kubenetlab.proxy.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointCategoriesTest {
    private static final ServicePort CLUSTER_IP = svc("ns1", "svc1", "p80", "172.30.0.41", 80).build();
    private static final ServicePort ETP_LOCAL = svc("ns3", "svc3", "https", "172.30.0.43", 443)
            .nodePort(30443).externalPolicyLocal().build();
    private static final ServicePort ITP_LOCAL = svc("ns5", "svc5", "p80", "172.30.0.45", 80)
            .internalPolicyLocal().build();

    private static List<String> keys(List<Endpoint> endpoints) {
        return endpoints.stream().map(ChainNames::endpoint).toList();
    }

    private static EndpointCategories of(ServicePort sp, Endpoint... endpoints) {
        return EndpointCategories.of(sp, List.of(endpoints), "node1");
    }

    @Test
    void sortedByTheIpPortStringNotNumerically() {
        EndpointCategories c = of(CLUSTER_IP, ready("10.180.0.2:80", null), ready("10.180.0.1:80", null),
                ready("10.180.0.10:80", null), ready("9.1.1.1:80", null), ready("10.180.0.1:8080", null));
        // '0' < ':' puts .10 before .1, and "10.180.0.1:80" < "10.180.0.1:8080" (a prefix first).
        assertThat(keys(c.endpoints())).containsExactly(
                "10.180.0.10:80", "10.180.0.1:80", "10.180.0.1:8080", "10.180.0.2:80", "9.1.1.1:80");
        assertThat(c.allReachable()).isEqualTo(c.cluster()).isEqualTo(c.endpoints());
    }

    @Test
    void duplicatesKeepOneEntryAndATerminatingDuplicateNeverReplacesAnother() {
        Endpoint running = ready("10.180.0.1:80", "node2");
        Endpoint oldPod = servingTerminating("10.180.0.1:80", "node1");
        assertThat(of(CLUSTER_IP, running, oldPod).endpoints()).containsExactly(running);
        assertThat(of(CLUSTER_IP, oldPod, running).endpoints()).containsExactly(running);
        Endpoint later = ready("10.180.0.1:80", "node1");
        assertThat(of(CLUSTER_IP, running, later).endpoints()).containsExactly(later);
    }

    @Test
    void endpointsWithoutAPortAreIgnored() {
        assertThat(of(CLUSTER_IP, ready("10.180.0.1:0", null)).endpoints()).isEmpty();
    }

    @Test
    void clusterPolicyUsesReadyEndpointsOnly() {
        EndpointCategories c = of(CLUSTER_IP, ready("10.180.0.1:80", null), notReady("10.180.0.2:80", null),
                servingTerminating("10.180.0.3:80", null));
        assertThat(keys(c.cluster())).containsExactly("10.180.0.1:80");
        assertThat(c.local()).isEmpty();
        assertThat(keys(c.allReachable())).containsExactly("10.180.0.1:80");
        assertThat(c.hasEndpoints()).isTrue();
        assertThat(c.usesClusterChain()).isTrue();
        assertThat(c.usesLocalChain()).isFalse();
        assertThat(c.usesExtChain()).isFalse();
    }

    @Test
    void withoutReadyEndpointsClusterPolicyFallsBackToServingTerminatingOnes() {
        EndpointCategories c = of(CLUSTER_IP, endpoint("10.180.0.1:80", null, false, false, true),
                servingTerminating("10.180.0.3:80", null), servingTerminating("10.180.0.2:80", null));
        assertThat(keys(c.cluster())).containsExactly("10.180.0.2:80", "10.180.0.3:80");
        assertThat(c.hasEndpoints()).isTrue();
    }

    @Test
    void noUsableEndpointMeansNoEndpoints() {
        EndpointCategories c = of(CLUSTER_IP, notReady("10.180.0.1:80", null),
                endpoint("10.180.0.2:80", null, false, false, true));
        assertThat(c.cluster()).isEmpty();
        assertThat(c.hasEndpoints()).isFalse();
        assertThat(c.hasInternalEndpoints()).isFalse();
        assertThat(c.hasExternalEndpoints()).isFalse();
        assertThat(c.usesClusterChain()).isFalse();
    }

    @Test
    void externalPolicyLocalUsesBothChainsAndReachesTheClusterEndpoints() {
        EndpointCategories c = of(ETP_LOCAL, ready("10.180.2.7:8443", "node2"), ready("10.180.0.4:8443", "node1"));
        assertThat(keys(c.cluster())).containsExactly("10.180.0.4:8443", "10.180.2.7:8443");
        assertThat(keys(c.local())).containsExactly("10.180.0.4:8443");
        assertThat(keys(c.allReachable())).containsExactly("10.180.0.4:8443", "10.180.2.7:8443");
        assertThat(c.usesClusterChain()).isTrue();
        assertThat(c.usesLocalChain()).isTrue();
        assertThat(c.usesExtChain()).isTrue();
        assertThat(c.hasInternalEndpoints()).isTrue();
        assertThat(c.hasExternalEndpoints()).isTrue();
    }

    @Test
    void externalPolicyLocalWithoutLocalEndpointHasNoExternalEndpoints() {
        EndpointCategories c = of(ETP_LOCAL, ready("10.180.2.7:8443", "node2"));
        assertThat(c.local()).isEmpty();
        assertThat(c.hasEndpoints()).isTrue();
        assertThat(c.hasInternalEndpoints()).isTrue();
        assertThat(c.hasExternalEndpoints()).isFalse();
        assertThat(c.usesExtChain()).isTrue(); // for the short-circuit rules of pod and node traffic
        assertThat(c.usesLocalChain()).isFalse();
    }

    @Test
    void localFallbackToTerminatingEndpointsReachesTheUnionSorted() {
        EndpointCategories c = of(ETP_LOCAL, ready("10.180.2.7:8443", "node2"),
                servingTerminating("10.180.0.4:8443", "node1"));
        assertThat(keys(c.cluster())).containsExactly("10.180.2.7:8443");
        assertThat(keys(c.local())).containsExactly("10.180.0.4:8443");
        assertThat(keys(c.allReachable())).containsExactly("10.180.0.4:8443", "10.180.2.7:8443");
    }

    @Test
    void localReadyEndpointsWinOverLocalTerminatingOnes() {
        EndpointCategories c = of(ETP_LOCAL, ready("10.180.0.5:8443", "node1"),
                servingTerminating("10.180.0.4:8443", "node1"));
        assertThat(keys(c.local())).containsExactly("10.180.0.5:8443");
        assertThat(keys(c.allReachable())).containsExactly("10.180.0.5:8443");
    }

    @Test
    void internalPolicyLocalNotExternallyAccessibleUsesOnlyLocalEndpoints() {
        EndpointCategories c = of(ITP_LOCAL, ready("10.180.1.3:80", "node2"), ready("10.180.0.3:80", "node1"));
        assertThat(c.cluster()).isEmpty();
        assertThat(keys(c.local())).containsExactly("10.180.0.3:80");
        assertThat(keys(c.allReachable())).containsExactly("10.180.0.3:80");
        assertThat(c.usesClusterChain()).isFalse();
        assertThat(c.usesLocalChain()).isTrue();
    }

    @Test
    void internalPolicyLocalWithRemoteEndpointsOnlyHasEndpointsButNoInternalOnes() {
        EndpointCategories c = of(ITP_LOCAL, ready("10.180.1.3:80", "node2"));
        assertThat(c.hasEndpoints()).isTrue();
        assertThat(c.hasInternalEndpoints()).isFalse();
        assertThat(c.allReachable()).isEmpty();
    }

    @Test
    void anEndpointWithoutNodeIsNeverLocal() {
        EndpointCategories c = EndpointCategories.of(ETP_LOCAL, List.of(ready("10.180.0.4:8443", null)), null);
        assertThat(c.local()).isEmpty();
    }

    @Test
    void firewallChainNeedsEndpointsLoadBalancerIpsAndSourceRanges() {
        ServicePort lb = svc("ns1", "svc1", "p80", "172.30.0.41", 80).loadBalancerIPs("1.2.3.4")
                .sourceRanges("192.168.0.0/24").build();
        assertThat(of(lb, ready("10.180.0.1:80", null)).usesFwChain()).isTrue();
        assertThat(of(lb).usesFwChain()).isFalse();
        ServicePort noRanges = svc("ns1", "svc1", "p80", "172.30.0.41", 80).loadBalancerIPs("1.2.3.4").build();
        assertThat(of(noRanges, ready("10.180.0.1:80", null)).usesFwChain()).isFalse();
    }
}
