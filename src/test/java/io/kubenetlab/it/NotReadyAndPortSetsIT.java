package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Through the real kubectl (issue 13, items 3 and 8): a Service with publishNotReadyAddresses lists its
 * never-ready pods as ready addresses, in its slices, in DNS (headless) and sends them its traffic, until
 * the flag is patched off; a named targetPort resolving to different numbers on different pods gives one
 * slice (and one Endpoints subset) per port set, and each pod gets traffic on its own port. Both kube-proxy modes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotReadyAndPortSetsIT extends ArticleKubectlBase {
    NotReadyAndPortSetsIT() {
        super("knl-i13d", "i13d-nr");
    }

    private static final int REQUESTS = 20;
    private static final int ALLOWED_FAILURES = 1; // a request may be lost while a node's rules change; more is a bug

    private void apply(String fileName, String yaml) throws IOException {
        Path f = tmp.resolve(fileName);
        Files.writeString(f, yaml);
        ok("apply", "-f", f.toString());
    }

    private static final String SERVE = "[\"sh\", \"-c\", \"echo \\\"Hello from $(hostname)\\\" > index.html; exec python -m http.server %d\"]";

    private String clusterIP(String service) {
        return ok("get", "svc", service, "-o", "jsonpath={.spec.clusterIP}");
    }

    private List<String> podIPs(String selector) {
        return List.of(ok("get", "pods", "-l", selector, "-o", "jsonpath={.items[*].status.podIP}").trim().split(" ")).stream().sorted().toList();
    }

    /** Answers by pod to the article's request sent REQUESTS times from node2 (its own traffic goes through kube-proxy's rules). */
    private Map<String, Integer> spread(String ip) {
        return ItSupport.spread(lab, "node2", ip, 80, REQUESTS).atMostFailed(ALLOWED_FAILURES);
    }

    @Test
    @Order(1)
    void notReadyPodsOfAServicePublishingThemAreItsReadyEndpointsInSlicesDnsAndTraffic() throws IOException {
        publishNotReady();
    }

    @Test
    @Order(2)
    void podsWhoseNamedPortDiffersGetSlicesAndSubsetsOfTheirOwnAndTrafficOnTheirOwnPort() throws IOException {
        portSets();
    }

    @Test
    @Order(3)
    void bothInNftablesMode() throws IOException {
        Lab iptables = lab;
        String nft = ItSupport.uniqueLab("i13d-nft");
        lab = Lab.deploy(ItSupport.ARTICLE, Lab.Options.defaults().withName(nft).withProxyMode("nftables"));
        try {
            assertThat(lab.liveRules("node1")).contains("table ip kube-proxy");
            publishNotReady();
            portSets();
        } finally {
            lab.close();
            lab = iptables;
            ItSupport.assertGone(nft);
        }
    }

    private void publishNotReady() throws IOException {
        apply("unready.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: unready}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: unready}}
                  template:
                    metadata: {labels: {app: unready}}
                    spec:
                      containers:
                        - name: web
                          image: python:3
                          command: %s
                          ports: [{containerPort: 8080, name: http}]
                          readinessProbe:                 # never ready: there is no /ready
                            httpGet: {path: /ready, port: http}
                            periodSeconds: 1
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: unready-pub}
                spec:
                  selector: {app: unready}
                  publishNotReadyAddresses: true
                  ports: [{name: web, port: 80, targetPort: http}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: unready-plain}
                spec:
                  selector: {app: unready}
                  ports: [{name: web, port: 80, targetPort: http}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: unready-peers}
                spec:
                  clusterIP: None
                  selector: {app: unready}
                  publishNotReadyAddresses: true
                  ports: [{name: web, port: 8080, targetPort: http}]
                """.formatted(SERVE.formatted(8080)));
        eventually("both pods running, not ready", 30_000, () -> ok("get", "pods", "-l", "app=unready", "-o",
                "jsonpath={.items[*].status.phase}/{.items[*].status.conditions[?(@.type==\"Ready\")].status}").equals("Running Running/False False"));
        List<String> ips = podIPs("app=unready");
        assertThat(ips).hasSize(2);

        assertThat(ok("get", "svc", "unready-pub", "-o", "jsonpath={.spec.publishNotReadyAddresses}")).isEqualTo("true");
        eventually("unready-pub's Endpoints list both pods as ready addresses", 10_000, () ->
                sorted(ok("get", "endpoints", "unready-pub", "-o", "jsonpath={.subsets[*].addresses[*].ip}")).equals(ips));
        assertThat(ok("get", "endpoints", "unready-pub", "-o", "jsonpath={.subsets[*].notReadyAddresses}")).isEmpty();
        assertThat(sorted(ok("get", "endpoints", "unready-plain", "-o", "jsonpath={.subsets[*].notReadyAddresses[*].ip}"))).isEqualTo(ips);
        assertThat(ok("get", "endpointslices", "-l", "kubernetes.io/service-name=unready-pub", "-o",
                "jsonpath={range .items[*].endpoints[*]}{.conditions.ready}/{.conditions.serving} {end}").trim()).isEqualTo("true/false true/false");

        Map<String, Integer> pub = spread(clusterIP("unready-pub"));
        assertThat(ItSupport.answers(pub)).as("answers through unready-pub: " + pub).isGreaterThanOrEqualTo(REQUESTS - ALLOWED_FAILURES);
        assertThat(pub).as("both never-ready pods answer").hasSize(2);
        assertThat(ItSupport.spread(lab, "node2", clusterIP("unready-plain"), 80, 5).noneAnswered()).as("unready-plain rejects every request").isEqualTo(5);

        eventually("the headless unready-peers resolves to both not-ready pods", 10_000, () -> sorted(lab.execCapture("service-test-client1",
                List.of("sh", "-c", "getent ahostsv4 unready-peers.default.svc.cluster.local | awk '{print $1}' | sort -u | tr '\\n' ' '")).stdout()).equals(ips));

        // Patched off: the pods go back among the not-ready addresses, out of the rules and of DNS.
        ok("patch", "svc", "unready-pub", "-p", "{\"spec\":{\"publishNotReadyAddresses\":false}}");
        ok("patch", "svc", "unready-peers", "-p", "{\"spec\":{\"publishNotReadyAddresses\":false}}");
        eventually("unready-pub's pods are not-ready addresses again", 10_000, () ->
                sorted(ok("get", "endpoints", "unready-pub", "-o", "jsonpath={.subsets[*].notReadyAddresses[*].ip}")).equals(ips));
        eventually("node2's rules no longer DNAT to the not-ready pods", 10_000, () -> ips.stream().noneMatch(ip -> ItSupport.dnatsTo(lab.liveRules("node2"), ip + ":8080")));
        assertThat(ItSupport.spread(lab, "node2", clusterIP("unready-pub"), 80, 5).noneAnswered()).as("unready-pub rejects every request once patched").isEqualTo(5);
        eventually("unready-peers no longer resolves", 10_000, () -> lab.execCapture("service-test-client1",
                List.of("sh", "-c", "getent ahostsv4 unready-peers.default.svc.cluster.local")).stdout().isBlank());
    }

    private static List<String> sorted(String words) {
        return words.isBlank() ? List.of() : List.of(words.trim().split("\\s+")).stream().sorted().toList();
    }

    private void portSets() throws IOException {
        apply("multi.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: multi-a, labels: {app: multi}}
                spec:
                  containers:
                    - name: web
                      image: python:3
                      command: %s
                      ports: [{containerPort: 8080, name: http}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: multi-b, labels: {app: multi}}
                spec:
                  containers:
                    - name: web
                      image: python:3
                      command: %s
                      ports: [{containerPort: 8081, name: http}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: multi}
                spec:
                  selector: {app: multi}
                  ports: [{name: web, port: 80, targetPort: http}]
                """.formatted(SERVE.formatted(8080), SERVE.formatted(8081)));
        eventually("both multi pods ready", 30_000, () -> ok("get", "pods", "-l", "app=multi", "-o",
                "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}").equals("True True"));
        String a = ok("get", "pod", "multi-a", "-o", "jsonpath={.status.podIP}");
        String b = ok("get", "pod", "multi-b", "-o", "jsonpath={.status.podIP}");

        eventually("one slice per port set", 10_000, () -> sorted(ok("get", "endpointslices", "-l", "kubernetes.io/service-name=multi", "-o",
                "jsonpath={range .items[*]}{.ports[*].port}={.endpoints[*].addresses[*]} {end}")).equals(List.of("8080=" + a, "8081=" + b)));
        assertThat(sorted(ok("get", "endpoints", "multi", "-o", "jsonpath={range .subsets[*]}{.ports[*].port}={.addresses[*].ip} {end}")))
                .isEqualTo(List.of("8080=" + a, "8081=" + b));
        assertThat(ok("get", "endpoints", "multi")).contains(a + ":8080").contains(b + ":8081")
                .doesNotContain(a + ":8081").doesNotContain(b + ":8080");

        for (String node : List.of("node1", "node2")) {
            String rules = lab.liveRules(node);
            assertThat(ItSupport.dnatsTo(rules, a + ":8080")).as(node + " DNATs multi-a to 8080").isTrue();
            assertThat(ItSupport.dnatsTo(rules, b + ":8081")).as(node + " DNATs multi-b to 8081").isTrue();
            assertThat(ItSupport.dnatsTo(rules, b + ":8080")).as(node + " never DNATs multi-b to 8080").isFalse();
        }
        Map<String, Integer> answers = spread(clusterIP("multi"));
        assertThat(ItSupport.answers(answers)).as("answers through multi: " + answers).isGreaterThanOrEqualTo(REQUESTS - ALLOWED_FAILURES);
        assertThat(answers).as("both pods answer on their own port").containsOnlyKeys("multi-a", "multi-b");
    }
}
