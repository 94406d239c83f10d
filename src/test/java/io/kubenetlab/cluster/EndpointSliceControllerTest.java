package io.kubenetlab.cluster;

import static io.kubenetlab.cluster.EndpointsControllerTest.container;
import static io.kubenetlab.cluster.EndpointsControllerTest.named;
import static io.kubenetlab.cluster.EndpointsControllerTest.notReady;
import static io.kubenetlab.cluster.EndpointsControllerTest.number;
import static io.kubenetlab.cluster.EndpointsControllerTest.pod;
import static io.kubenetlab.cluster.EndpointsControllerTest.ready;
import static io.kubenetlab.cluster.EndpointsControllerTest.service;
import static io.kubenetlab.cluster.EndpointsControllerTest.web;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.cluster.EndpointSliceController.DerivedSlice;
import io.kubenetlab.cluster.EndpointSliceController.SlicePort;
import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSliceControllerTest {
    private static final Map<String, String> WEB = Map.of("app", "service_test_pod");
    private static final String BASE_NAME = PodNamer.generate("service-test-", "endpointslice/default/service-test");

    private static PodRecord webOn(String name, String ip, int port) {
        return pod(name, "default", WEB, "node1", ip, container("app", new ContainerPort("http", port, "TCP")));
    }

    private static List<DerivedSlice> slices(ServiceRecord s, EndpointsController.PodState... pods) {
        return EndpointSliceController.slices(s, EndpointsController.forService(s, List.of(pods)));
    }

    private static List<String> addresses(DerivedSlice s) {
        return s.endpoints().stream().map(e -> e.ip().toString()).toList();
    }

    @Test
    void oneSliceWhenEveryPodServesTheSamePorts() {
        ServiceRecord s = service("default", WEB, number("", "TCP", 80, 8080));
        List<DerivedSlice> out = slices(s, ready(web("a", "node1", "10.0.1.2")), notReady(web("b", "node2", "10.0.2.2")));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).name()).isEqualTo(BASE_NAME);
        assertThat(out.get(0).ports()).containsExactly(new SlicePort("", 8080, "TCP"));
        assertThat(out.get(0).endpoints()).extracting(EndpointRecord::podName, EndpointRecord::ready)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", true), org.assertj.core.groups.Tuple.tuple("b", false));
    }

    @Test
    void aNamedTargetPortWithDifferentNumbersGivesOneSlicePerPortSetNotACrossProduct() {
        ServiceRecord s = service("default", WEB, named("web", "TCP", 80, "http"));
        List<DerivedSlice> out = slices(s, ready(webOn("a", "10.0.1.2", 8080)), ready(webOn("b", "10.0.1.3", 8081)),
                ready(webOn("c", "10.0.1.4", 8080)));
        assertThat(out).hasSize(2);
        assertThat(out).extracting(DerivedSlice::ports)
                .containsExactly(List.of(new SlicePort("web", 8080, "TCP")), List.of(new SlicePort("web", 8081, "TCP")));
        assertThat(addresses(out.get(0))).containsExactly("10.0.1.2", "10.0.1.4");
        assertThat(addresses(out.get(1))).containsExactly("10.0.1.3");
        assertThat(out.get(0).name()).isEqualTo(BASE_NAME);
        assertThat(out.get(1).name()).startsWith("service-test-").hasSize(BASE_NAME.length()).isNotEqualTo(BASE_NAME);
    }

    @Test
    void aPodLackingOneOfTheNamedPortsGoesToASliceWithTheOthersOnly() {
        ServiceRecord s = service("default", WEB, named("web", "TCP", 80, "http"), number("metrics", "TCP", 9100, 9100));
        PodRecord lacking = pod("c", "default", WEB, "node2", "10.0.2.3", container("app"));
        List<DerivedSlice> out = slices(s, ready(web("a", "node1", "10.0.1.2")), ready(lacking));
        assertThat(out).extracting(DerivedSlice::ports).containsExactlyInAnyOrder(
                List.of(new SlicePort("web", 8080, "TCP"), new SlicePort("metrics", 9100, "TCP")),
                List.of(new SlicePort("metrics", 9100, "TCP")));
        for (DerivedSlice d : out) {
            assertThat(addresses(d)).containsExactly(d.ports().size() == 2 ? "10.0.1.2" : "10.0.2.3");
        }
    }

    @Test
    void portsFollowTheServicesOrder() {
        ServiceRecord s = service("default", WEB, number("zeta", "TCP", 80, 8080), number("alpha", "TCP", 81, 8081));
        List<DerivedSlice> out = slices(s, ready(web("a", "node1", "10.0.1.2")));
        assertThat(out.get(0).ports()).extracting(SlicePort::name).containsExactly("zeta", "alpha");
    }

    @Test
    void noEndpointsKeepsOneEmptySliceUnderTheUsualName() {
        List<DerivedSlice> out = EndpointSliceController.slices(service("default", WEB, number("", "TCP", 80, 8080)), List.of());
        assertThat(out).containsExactly(new DerivedSlice(BASE_NAME, List.of(), List.of()));
    }

    @Test
    void namesAreStableForAPortSet() {
        ServiceRecord s = service("default", WEB, named("web", "TCP", 80, "http"));
        List<DerivedSlice> first = slices(s, ready(webOn("a", "10.0.1.2", 8080)), ready(webOn("b", "10.0.1.3", 8081)));
        List<DerivedSlice> again = slices(s, ready(webOn("b", "10.0.1.3", 8081)), notReady(webOn("d", "10.0.1.9", 8081)),
                ready(webOn("a", "10.0.1.2", 8080)));
        assertThat(again).extracting(DerivedSlice::name).isEqualTo(first.stream().map(DerivedSlice::name).toList());
    }
}
