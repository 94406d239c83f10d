package io.kubenetlab.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Ipv4;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceViewTest {

    private static final Map<String, String> WEB = Map.of("app", "service_test_pod");

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    static ServicePortSpec port(String name, String protocol, int port, int target, int nodePort) {
        return new ServicePortSpec(name, protocol, port, target, null, nodePort);
    }

    static ServiceRecord svc(String name, String type, String clusterIP, List<ServicePortSpec> ports, List<Ipv4> externalIPs,
                             List<Ipv4> lbIPs) {
        boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
        return new ServiceRecord(name, "default", Map.of(), type, WEB, clusterIP, ports, externalIPs, lbIPs, "None", 10800,
                external ? "Cluster" : null, type.equals("ExternalName") ? null : "Cluster", List.of(),
                type.equals("ExternalName") ? "db.example.com" : null, "2024-05-06T07:08:09.123456Z");
    }

    static final ServiceRecord ARTICLE = svc("service-test", "ClusterIP", "10.3.241.152", List.of(port("", "TCP", 80, 8080, 0)),
            List.of(), List.of());
    static final ServiceRecord NODEPORT = svc("service-test-nodeport", "NodePort", "10.3.245.7", List.of(port("", "TCP", 80, 8080, 30080)),
            List.of(), List.of());
    static final ServiceRecord LB = svc("service-test-lb", "LoadBalancer", "10.3.250.1", List.of(port("", "TCP", 80, 8080, 30081)),
            List.of(), List.of(ip("203.0.113.100")));
    static final ServiceRecord PENDING = svc("service-test-lb", "LoadBalancer", "10.3.250.1", List.of(port("", "TCP", 80, 8080, 30081)),
            List.of(), List.of());
    static final ServiceRecord HEADLESS = svc("service-test-headless", "ClusterIP", "None", List.of(port("", "TCP", 8080, 8080, 0)),
            List.of(), List.of());
    static final ServiceRecord EXTERNAL_NAME = svc("db", "ExternalName", null, List.of(), List.of(), List.of());

    static EndpointRecord ep(String ip, String node, String pod, boolean ready, String portName, int port, String protocol) {
        return new EndpointRecord(ip(ip), node, pod, ready, portName, port, protocol);
    }

    static final List<EndpointRecord> TWO_PODS = List.of(
            ep("10.0.1.2", "node1", "service-test-a", true, "", 8080, "TCP"),
            ep("10.0.2.2", "node2", "service-test-b", true, "", 8080, "TCP"));

    // ------------------------------------------------------------------ table columns

    @Test
    void portsColumn() {
        assertThat(ports(ARTICLE)).isEqualTo("80/TCP");
        assertThat(ports(NODEPORT)).isEqualTo("80:30080/TCP");
        assertThat(ports(LB)).isEqualTo("80:30081/TCP");
        assertThat(ports(HEADLESS)).isEqualTo("8080/TCP");
        assertThat(ports(EXTERNAL_NAME)).isEqualTo("<none>");
        ServiceRecord several = svc("dns", "NodePort", "10.3.240.20",
                List.of(port("http", "TCP", 80, 8080, 30080), port("dns", "UDP", 53, 5353, 30053), port("sctp", "SCTP", 9, 9, 30009)),
                List.of(), List.of());
        assertThat(ports(several)).isEqualTo("80:30080/TCP,53:30053/UDP,9:30009/SCTP");
        ServiceRecord severalPlain = svc("web", "ClusterIP", "10.3.240.21",
                List.of(port("http", "TCP", 80, 8080, 0), port("https", "TCP", 443, 8443, 0)), List.of(), List.of());
        assertThat(ports(severalPlain)).isEqualTo("80/TCP,443/TCP");
    }

    @Test
    void clusterIPColumn() {
        assertThat(clusterIP(ARTICLE)).isEqualTo("10.3.241.152");
        assertThat(clusterIP(HEADLESS)).isEqualTo("None");
        assertThat(clusterIP(EXTERNAL_NAME)).isEqualTo("<none>");
    }

    @Test
    void externalIPColumn() {
        assertThat(externalIP(ARTICLE)).isEqualTo("<none>");
        assertThat(externalIP(NODEPORT)).isEqualTo("<none>");
        assertThat(externalIP(HEADLESS)).isEqualTo("<none>");
        assertThat(externalIP(PENDING)).isEqualTo("<pending>");
        assertThat(externalIP(LB)).isEqualTo("203.0.113.100");
        assertThat(externalIP(EXTERNAL_NAME)).isEqualTo("db.example.com");
        ServiceRecord eips = svc("eip", "ClusterIP", "10.3.240.20", List.of(port("", "TCP", 80, 80, 0)),
                List.of(ip("192.0.2.10"), ip("192.0.2.11")), List.of());
        assertThat(externalIP(eips)).isEqualTo("192.0.2.10,192.0.2.11");
        ServiceRecord lbAndEips = svc("both", "LoadBalancer", "10.3.240.21", List.of(port("", "TCP", 80, 80, 30080)),
                List.of(ip("192.0.2.10")), List.of(ip("203.0.113.100")));
        assertThat(externalIP(lbAndEips)).isEqualTo("203.0.113.100,192.0.2.10");
        ServiceRecord pendingWithEips = svc("pend", "LoadBalancer", "10.3.240.22", List.of(port("", "TCP", 80, 80, 30080)),
                List.of(ip("192.0.2.10")), List.of());
        assertThat(externalIP(pendingWithEips)).isEqualTo("192.0.2.10");
    }

    @Test
    void selectorColumnIsSorted() {
        assertThat(selector(null)).isEqualTo("<none>");
        assertThat(selector(Map.of())).isEqualTo("<none>");
        assertThat(selector(WEB)).isEqualTo("app=service_test_pod");
        Map<String, String> sel = new LinkedHashMap<>();
        sel.put("tier", "front");
        sel.put("app", "web");
        assertThat(selector(sel)).isEqualTo("app=web,tier=front");
    }

    @Test
    void endpointsColumn() {
        assertThat(endpoints(List.of())).isEqualTo("<none>");
        assertThat(endpoints(TWO_PODS)).isEqualTo("10.0.1.2:8080,10.0.2.2:8080");
        assertThat(endpoints(List.of(ep("10.0.1.2", "node1", "a", false, "", 8080, "TCP")))).as("not ready only").isEqualTo("<none>");
        assertThat(endpoints(List.of(
                ep("10.0.1.2", "node1", "a", true, "", 8080, "TCP"),
                ep("10.0.1.3", "node1", "b", false, "", 8080, "TCP"),
                ep("10.0.2.2", "node2", "c", true, "", 8080, "TCP")))).isEqualTo("10.0.1.2:8080,10.0.2.2:8080");
    }

    @Test
    void endpointsColumnShowsThreeThenMore() {
        List<EndpointRecord> three = List.of(
                ep("10.0.1.2", "n", "a", true, "", 8080, "TCP"), ep("10.0.1.3", "n", "b", true, "", 8080, "TCP"),
                ep("10.0.1.4", "n", "c", true, "", 8080, "TCP"));
        assertThat(endpoints(three)).isEqualTo("10.0.1.2:8080,10.0.1.3:8080,10.0.1.4:8080");
        List<EndpointRecord> five = new java.util.ArrayList<>(three);
        five.add(ep("10.0.1.5", "n", "d", true, "", 8080, "TCP"));
        assertThat(endpoints(five)).isEqualTo("10.0.1.2:8080,10.0.1.3:8080,10.0.1.4:8080 + 1 more...");
        five.add(ep("10.0.1.6", "n", "e", true, "", 8080, "TCP"));
        assertThat(endpoints(five)).isEqualTo("10.0.1.2:8080,10.0.1.3:8080,10.0.1.4:8080 + 2 more...");
    }

    @Test
    void endpointsColumnListsEveryPortOfAnAddressLikeKubectl() {
        List<EndpointRecord> dns = List.of(
                ep("10.0.1.2", "n", "a", true, "dns", 53, "UDP"), ep("10.0.1.2", "n", "a", true, "dns-tcp", 53, "TCP"),
                ep("10.0.1.2", "n", "a", true, "metrics", 9153, "TCP"));
        assertThat(endpoints(dns)).isEqualTo("10.0.1.2:53,10.0.1.2:53,10.0.1.2:9153");
    }

    // ------------------------------------------------------------------ describe

    @Test
    void describeTheArticleService() {
        assertThat(describe(ARTICLE, TWO_PODS)).isEqualTo(String.join("\n",
                "Name:                     service-test",
                "Namespace:                default",
                "Labels:                   <none>",
                "Annotations:              <none>",
                "Selector:                 app=service_test_pod",
                "Type:                     ClusterIP",
                "IP Family Policy:         SingleStack",
                "IP Families:              IPv4",
                "IP:                       10.3.241.152",
                "IPs:                      10.3.241.152",
                "Port:                     <unset>  80/TCP",
                "TargetPort:               8080/TCP",
                "Endpoints:                10.0.1.2:8080,10.0.2.2:8080",
                "Session Affinity:         None",
                "Internal Traffic Policy:  Cluster",
                "Events:                   <none>",
                ""));
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    @Test
    void describeNodePort() {
        List<String> l = lines(describe(NODEPORT, List.of()));
        assertThat(l).contains(
                "Type:                     NodePort",
                "Port:                     <unset>  80/TCP",
                "TargetPort:               8080/TCP",
                "NodePort:                 <unset>  30080/TCP",
                "Endpoints:                <none>",
                "Session Affinity:         None",
                "External Traffic Policy:  Cluster");
        assertThat(l.indexOf("Port:                     <unset>  80/TCP")).isLessThan(l.indexOf("NodePort:                 <unset>  30080/TCP"));
        assertThat(l.indexOf("Session Affinity:         None")).isLessThan(l.indexOf("External Traffic Policy:  Cluster"));
        assertThat(l).noneMatch(s -> s.startsWith("LoadBalancer Ingress"));
    }

    @Test
    void describeLoadBalancerAndExternalIPs() {
        ServiceRecord s = svc("lb", "LoadBalancer", "10.3.250.1", List.of(port("", "TCP", 80, 8080, 30081)),
                List.of(ip("192.0.2.10"), ip("192.0.2.11")), List.of(ip("203.0.113.100")));
        List<String> l = lines(describe(s, List.of()));
        assertThat(l).contains("External IPs:             192.0.2.10,192.0.2.11", "LoadBalancer Ingress:     203.0.113.100");
        assertThat(lines(describe(PENDING, List.of()))).noneMatch(x -> x.startsWith("LoadBalancer Ingress"));
    }

    @Test
    void describeNamedAndSeveralPortsWithTheirOwnEndpoints() {
        ServiceRecord s = new ServiceRecord("web", "default", Map.of(), "ClusterIP", WEB, "10.3.240.20",
                List.of(new ServicePortSpec("http", "TCP", 80, 0, "http", 0), port("dns", "UDP", 53, 5353, 0)), List.of(), List.of(),
                "ClientIP", 60, null, "Cluster", List.of(), null, "2024-05-06T07:08:09Z");
        List<EndpointRecord> eps = List.of(
                ep("10.0.1.2", "n", "a", true, "http", 8080, "TCP"),
                ep("10.0.1.2", "n", "a", true, "dns", 5353, "UDP"),
                ep("10.0.1.3", "n", "b", false, "http", 8080, "TCP"),
                ep("10.0.1.4", "n", "c", true, "dns", 5353, "TCP")); // wrong protocol for "dns"
        List<String> l = lines(describe(s, eps));
        int http = l.indexOf("Port:                     http  80/TCP");
        assertThat(http).isNotNegative();
        assertThat(l.subList(http, http + 7)).containsExactly(
                "Port:                     http  80/TCP",
                "TargetPort:               http/TCP",
                "Endpoints:                10.0.1.2:8080",
                "Port:                     dns  53/UDP",
                "TargetPort:               5353/UDP",
                "Endpoints:                10.0.1.2:5353",
                "Session Affinity:         ClientIP");
        assertThat(l).contains("Session Affinity Timeout: 60 seconds");
        assertThat(l).noneMatch(x -> x.startsWith("External Traffic Policy"));
    }

    @Test
    void describeEndpointsLineStopsAtThreeLikeKubectl() {
        List<EndpointRecord> five = new java.util.ArrayList<>();
        for (int i = 2; i <= 6; i++) five.add(ep("10.0.1." + i, "n", "p" + i, true, "", 8080, "TCP"));
        assertThat(lines(describe(ARTICLE, five)))
                .contains("Endpoints:                10.0.1.2:8080,10.0.1.3:8080,10.0.1.4:8080 + 2 more...");
    }

    @Test
    void describeHeadlessAndExternalName() {
        List<String> headless = lines(describe(HEADLESS, TWO_PODS));
        assertThat(headless).contains("IP:                       None", "Port:                     <unset>  8080/TCP",
                "Endpoints:                10.0.1.2:8080,10.0.2.2:8080");
        List<String> ext = lines(describe(EXTERNAL_NAME, List.of()));
        assertThat(ext).contains("Type:                     ExternalName", "External Name:            db.example.com");
        assertThat(ext).noneMatch(x -> x.startsWith("IP:") || x.startsWith("IPs:") || x.startsWith("Port:")
                || x.startsWith("Internal Traffic Policy"));
    }

    @Test
    void describeLabelsOnePerLine() {
        ServiceRecord s = new ServiceRecord("web", "shop", Map.of("b", "2", "a", "1"), "ClusterIP", null, "10.3.240.20",
                List.of(port("", "TCP", 80, 80, 0)), List.of(), List.of(), "None", 10800, null, "Cluster", List.of(), null,
                "2024-05-06T07:08:09Z");
        String text = describe(s, List.of());
        assertThat(text).contains("Namespace:                shop\n");
        assertThat(text).contains("Labels:                   a=1\n                          b=2\n");
        assertThat(text).contains("Selector:                 <none>\n");
    }

    // ------------------------------------------------------------------ API-shaped maps

    @Test
    void serviceMapOfTheArticleService() {
        Map<String, Object> m = ServiceView.service(ARTICLE);
        assertThat(m).containsExactly(
                Map.entry("apiVersion", "v1"),
                Map.entry("kind", "Service"),
                Map.entry("metadata", Map.of("name", "service-test", "namespace", "default", "creationTimestamp", "2024-05-06T07:08:09Z")),
                Map.entry("spec", Map.of(
                        "type", "ClusterIP",
                        "selector", WEB,
                        "clusterIP", "10.3.241.152",
                        "clusterIPs", List.of("10.3.241.152"),
                        "ipFamilies", List.of("IPv4"),
                        "ipFamilyPolicy", "SingleStack",
                        "ports", List.of(Map.of("protocol", "TCP", "port", 80, "targetPort", 8080)),
                        "sessionAffinity", "None",
                        "internalTrafficPolicy", "Cluster")),
                Map.entry("status", Map.of("loadBalancer", Map.of())));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) m.get("spec");
        assertThat(spec.keySet()).containsExactly("type", "selector", "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "ports", "sessionAffinity",
                "internalTrafficPolicy");
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceMapOfALoadBalancer() {
        ServiceRecord s = new ServiceRecord("lb", "default", Map.of("tier", "web"), "LoadBalancer", WEB, "10.3.250.1",
                List.of(new ServicePortSpec("http", "TCP", 80, 0, "http", 30081)), List.of(ip("192.0.2.10")), List.of(ip("203.0.113.100")),
                "None", 10800, "Local", "Cluster", List.of(), null, "2024-05-06T07:08:09Z");
        Map<String, Object> m = ServiceView.service(s);
        Map<String, Object> meta = (Map<String, Object>) m.get("metadata");
        assertThat(meta).containsEntry("labels", Map.of("tier", "web"));
        Map<String, Object> spec = (Map<String, Object>) m.get("spec");
        assertThat(spec).containsEntry("ports", List.of(Map.of("name", "http", "protocol", "TCP", "port", 80, "targetPort", "http",
                "nodePort", 30081)));
        assertThat(spec).containsEntry("externalIPs", List.of("192.0.2.10")).containsEntry("externalTrafficPolicy", "Local");
        assertThat(m.get("status")).isEqualTo(Map.of("loadBalancer", Map.of("ingress", List.of(Map.of("ip", "203.0.113.100")))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceMapOfHeadlessAndExternalName() {
        Map<String, Object> headless = (Map<String, Object>) ServiceView.service(HEADLESS).get("spec");
        assertThat(headless).containsEntry("clusterIP", "None").containsEntry("clusterIPs", List.of("None"));
        Map<String, Object> ext = (Map<String, Object>) ServiceView.service(EXTERNAL_NAME).get("spec");
        assertThat(ext).containsEntry("type", "ExternalName").containsEntry("externalName", "db.example.com")
                .doesNotContainKeys("clusterIP", "clusterIPs", "internalTrafficPolicy");
    }

    @Test
    void endpointsObjectOfTheArticleService() {
        Map<String, Object> m = ServiceView.endpointsObject(ARTICLE, TWO_PODS);
        assertThat(m).containsExactly(
                Map.entry("apiVersion", "v1"),
                Map.entry("kind", "Endpoints"),
                Map.entry("metadata", Map.of("name", "service-test", "namespace", "default")),
                Map.entry("subsets", List.of(Map.of(
                        "addresses", List.of(
                                Map.of("ip", "10.0.1.2", "nodeName", "node1",
                                        "targetRef", Map.of("kind", "Pod", "name", "service-test-a", "namespace", "default")),
                                Map.of("ip", "10.0.2.2", "nodeName", "node2",
                                        "targetRef", Map.of("kind", "Pod", "name", "service-test-b", "namespace", "default"))),
                        "ports", List.of(Map.of("port", 8080, "protocol", "TCP"))))));
    }

    @Test
    void endpointsObjectWithoutEndpointsHasNoSubsets() {
        Map<String, Object> m = ServiceView.endpointsObject(ARTICLE, List.of());
        assertThat(m).doesNotContainKey("subsets");
        assertThat(m.get("metadata")).isEqualTo(Map.of("name", "service-test", "namespace", "default"));
    }

    @Test
    void endpointsObjectGroupsByPortSetAndReadiness() {
        ServiceRecord s = new ServiceRecord("web", "default", Map.of(), "ClusterIP", WEB, "10.3.240.20",
                List.of(port("http", "TCP", 80, 8080, 0), port("metrics", "TCP", 9100, 9100, 0)), List.of(), List.of(), "None", 10800,
                null, "Cluster", List.of(), null, "2024-05-06T07:08:09Z");
        List<EndpointRecord> eps = List.of(
                ep("10.0.1.2", "node1", "a", true, "http", 8080, "TCP"),
                ep("10.0.1.2", "node1", "a", true, "metrics", 9100, "TCP"),
                ep("10.0.1.3", "node1", "b", false, "http", 8080, "TCP"),
                ep("10.0.1.3", "node1", "b", false, "metrics", 9100, "TCP"),
                ep("10.0.2.2", "node2", "c", true, "metrics", 9100, "TCP"));   // lacks the named "http" port
        Map<String, Object> m = ServiceView.endpointsObject(s, eps);
        List<Map<String, Object>> both = List.of(Map.of("name", "http", "port", 8080, "protocol", "TCP"),
                Map.of("name", "metrics", "port", 9100, "protocol", "TCP"));
        assertThat(m.get("subsets")).isEqualTo(List.of(
                Map.of("addresses", List.of(Map.of("ip", "10.0.1.2", "nodeName", "node1",
                                "targetRef", Map.of("kind", "Pod", "name", "a", "namespace", "default"))),
                        "notReadyAddresses", List.of(Map.of("ip", "10.0.1.3", "nodeName", "node1",
                                "targetRef", Map.of("kind", "Pod", "name", "b", "namespace", "default"))),
                        "ports", both),
                Map.of("addresses", List.of(Map.of("ip", "10.0.2.2", "nodeName", "node2",
                                "targetRef", Map.of("kind", "Pod", "name", "c", "namespace", "default"))),
                        "ports", List.of(Map.of("name", "metrics", "port", 9100, "protocol", "TCP")))));
    }

    @Test
    void endpointsObjectPutsPodsWhoseNamedPortDiffersInSubsetsOfTheirOwn() {
        List<EndpointRecord> eps = List.of(
                ep("10.0.1.2", "node1", "a", true, "web", 8080, "TCP"),
                ep("10.0.1.3", "node1", "b", true, "web", 8081, "TCP"),
                ep("10.0.2.2", "node2", "c", true, "web", 8080, "TCP"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> subsets = (List<Map<String, Object>>) ServiceView.endpointsObject(ARTICLE, eps).get("subsets");
        assertThat(subsets).extracting(m -> m.get("ports")).containsExactly(
                List.of(Map.of("name", "web", "port", 8080, "protocol", "TCP")), List.of(Map.of("name", "web", "port", 8081, "protocol", "TCP")));
        assertThat(subsets).extracting(m -> ((List<?>) m.get("addresses")).size()).containsExactly(2, 1);
    }

    @Test
    void endpointSliceOfOnePortSetWithConditionsAsTheEndpointsSay() {
        List<EndpointRecord> eps = List.of(
                new EndpointRecord(ip("10.0.1.2"), "node1", "a", true, "web", 8081, "TCP", false, false),   // published, not serving
                new EndpointRecord(ip("10.0.1.3"), null, null, false, "web", 8081, "TCP", true, true));    // serving, terminating
        var derived = new io.kubenetlab.cluster.EndpointSliceController.DerivedSlice("service-test-abcde",
                List.of(new io.kubenetlab.cluster.EndpointSliceController.SlicePort("web", 8081, "TCP")), eps);
        Map<String, Object> m = ServiceView.endpointSlice(ARTICLE, derived);
        assertThat(((Map<?, ?>) m.get("metadata")).get("name")).isEqualTo("service-test-abcde");
        assertThat(m.get("ports")).isEqualTo(List.of(Map.of("name", "web", "port", 8081, "protocol", "TCP")));
        assertThat(m.get("endpoints")).isEqualTo(List.of(
                Map.of("addresses", List.of("10.0.1.2"), "conditions", Map.of("ready", true, "serving", false, "terminating", false),
                        "nodeName", "node1", "targetRef", Map.of("kind", "Pod", "name", "a", "namespace", "default")),
                Map.of("addresses", List.of("10.0.1.3"), "conditions", Map.of("ready", false, "serving", true, "terminating", true))));
    }

    @Test
    void servicePublishingNotReadyAddressesSaysSo() {
        assertThat(spec(ServiceView.service(ARTICLE))).doesNotContainKey("publishNotReadyAddresses");
        ServiceRecord s = ARTICLE;
        ServiceRecord published = new ServiceRecord(s.name(), s.namespace(), s.labels(), s.type(), s.selector(), s.clusterIP(), s.ports(),
                s.externalIPs(), s.loadBalancerIPs(), s.sessionAffinity(), s.affinityTimeoutSeconds(), s.externalTrafficPolicy(),
                s.internalTrafficPolicy(), s.loadBalancerSourceRanges(), s.externalName(), s.createdAt(), 0, true);
        assertThat(spec(ServiceView.service(published))).containsEntry("publishNotReadyAddresses", true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> service) {
        return (Map<String, Object>) service.get("spec");
    }

    @Test
    void endpointsObjectOnlyNotReady() {
        Map<String, Object> m = ServiceView.endpointsObject(ARTICLE, List.of(ep("10.0.1.2", "node1", "a", false, "", 8080, "TCP")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> subsets = (List<Map<String, Object>>) m.get("subsets");
        assertThat(subsets).hasSize(1);
        assertThat(subsets.get(0)).doesNotContainKey("addresses").containsKey("notReadyAddresses");
        assertThat(subsets.get(0).keySet()).containsExactly("notReadyAddresses", "ports");
    }

    @Test
    void endpointsObjectOfTheArticleDatabase() {
        ServiceRecord db = new ServiceRecord("database", "default", Map.of(), "ClusterIP", null, "None",
                List.of(port("", "TCP", 5432, 5432, 0)), List.of(), List.of(), "None", 10800, null, "Cluster", List.of(), null,
                "2024-05-06T07:08:09Z");
        Map<String, Object> m = ServiceView.endpointsObject(db, List.of(ep("192.0.2.42", null, null, true, "", 5432, "TCP")));
        assertThat(m.get("subsets")).isEqualTo(List.of(Map.of(
                "addresses", List.of(Map.of("ip", "192.0.2.42")),
                "ports", List.of(Map.of("port", 5432, "protocol", "TCP")))));
    }

    // The table cells and describe work on API objects, as kubectl does: these go through them.
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static com.fasterxml.jackson.databind.JsonNode json(Object o) {
        return JSON.valueToTree(o);
    }

    private static String ports(ServiceRecord s) {
        return io.kubenetlab.output.Tables.servicePorts(json(ServiceView.service(s)).path("spec"));
    }

    private static String clusterIP(ServiceRecord s) {
        return json(ServiceView.service(s)).path("spec").path("clusterIP").asText("<none>");
    }

    private static String externalIP(ServiceRecord s) {
        return io.kubenetlab.output.Tables.externalIP(json(ServiceView.service(s)));
    }

    private static String selector(Map<String, String> sel) {
        return io.kubenetlab.output.Tables.selector(sel == null ? null : json(sel));
    }

    private static String endpoints(List<EndpointRecord> eps) {
        return io.kubenetlab.output.Tables.endpoints(json(ServiceView.endpointsObject(ARTICLE, eps)));
    }

    private static String describe(ServiceRecord s, List<EndpointRecord> eps) {
        return ServiceView.describe(json(ServiceView.service(s)), json(ServiceView.endpointsObject(s, eps)), List.of());
    }
}
