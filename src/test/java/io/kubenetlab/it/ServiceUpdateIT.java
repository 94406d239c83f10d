package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Through the real kubectl: Service updates defaulted and cleaned as the API server does (issue 13,
 * item 5). {@code kubectl apply} of a type change keeps the live object's allocated fields in its patch;
 * upstream's dropTypeDependentFields wipes those that no longer apply (and frees them), and
 * SetDefaults_Service clears sessionAffinityConfig when sessionAffinity goes back to None. Before, each
 * of these updates was refused with a Forbidden field error.
 */
class ServiceUpdateIT extends ArticleKubectlBase {
    ServiceUpdateIT() {
        super("knl-i13u", "i13u-up");
    }

    private String apply(String fileName, String yaml) throws IOException {
        return ok("apply", "-f", file(fileName, yaml).toString());
    }

    /** n requests from a client pod to host:80; how many were answered by the article's pods. */
    private int answered(String host, int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            String out = lab.execCapture("service-test-client1",
                    List.of("sh", "-c", "echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 3 " + host + " 80")).stdout();
            if (out.contains("Hello from service-test-")) ok++;
        }
        return ok;
    }

    private static String service(String type, String extra) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: flip}
                spec:
                  type: %s
                %s  ports: [{port: 80, targetPort: 8080%s}]
                """.formatted(type, extra, type.equals("NodePort") ? ", nodePort: 30090" : "");
    }

    @Test
    void nodePortToExternalNameAndBack() throws IOException {
        apply("flip.yaml", service("NodePort", "  selector: {app: service_test_pod}\n"));
        String clusterIP = ok("get", "svc", "flip", "-o", "jsonpath={.spec.clusterIP}");
        eventually("the node port's rules", 10_000, () -> lab.liveRules("node1").contains("30090"));

        // kubectl's patch keeps the live clusterIP and nodePort; the API server drops them for ExternalName.
        String out = apply("flip.yaml", service("ExternalName", "  externalName: service-test.default.svc.cluster.local\n"));
        assertThat(out).contains("service/flip configured");
        assertThat(ok("get", "svc", "flip", "-o", "jsonpath={.spec.type}|{.spec.clusterIP}|{.spec.clusterIPs}|{.spec.ports[0].nodePort}"
                + "|{.spec.externalTrafficPolicy}|{.spec.ipFamilies}")).isEqualTo("ExternalName|||||");
        eventually("the node port's and the clusterIP's rules gone", 10_000, () -> {
            String rules = lab.liveRules("node1");
            return !rules.contains("30090") && !rules.contains(clusterIP + "/32");
        });
        // The name now answers as a CNAME to the article's Service: traffic by name still arrives.
        assertThat(answered("flip", 10)).as("requests to flip (a CNAME now) answered, of 10").isEqualTo(10);

        // Both allocations were released: another Service may take them at once.
        apply("taker.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: taker}
                spec:
                  type: NodePort
                  clusterIP: %s
                  selector: {app: service_test_pod}
                  ports: [{port: 80, targetPort: 8080, nodePort: 30090}]
                """.formatted(clusterIP));
        assertThat(ok("get", "svc", "taker", "-o", "jsonpath={.spec.clusterIP}:{.spec.ports[0].nodePort}")).isEqualTo(clusterIP + ":30090");
        ok("delete", "svc", "taker");

        // And back: a ClusterIP Service gets a new address.
        apply("flip.yaml", service("ClusterIP", "  selector: {app: service_test_pod}\n"));
        String again = ok("get", "svc", "flip", "-o", "jsonpath={.spec.clusterIP}");
        assertThat(again).startsWith("10.3.");
        assertThat(answered(again, 10)).as("requests to the new clusterIP answered, of 10").isEqualTo(10);
        ok("delete", "svc", "flip");
    }

    @Test
    void loadBalancerToClusterIPDropsNodePortsAndStatus() throws IOException {
        String lb = """
                apiVersion: v1
                kind: Service
                metadata: {name: shrink}
                spec:
                  type: %s
                  selector: {app: service_test_pod}
                  ports: [{port: 80, targetPort: 8080}]
                """;
        apply("shrink.yaml", lb.formatted("LoadBalancer"));
        String before = ok("get", "svc", "shrink", "-o", "jsonpath={.spec.clusterIP}|{.spec.ports[0].nodePort}|{.status.loadBalancer.ingress[0].ip}");
        String[] f = before.split("\\|");
        assertThat(f[1]).matches("3\\d{4}");
        assertThat(f[2]).startsWith("203.0.113.");

        apply("shrink.yaml", lb.formatted("ClusterIP"));
        assertThat(ok("get", "svc", "shrink", "-o", "jsonpath={.spec.type}|{.spec.clusterIP}|{.spec.ports[0].nodePort}"
                + "|{.spec.allocateLoadBalancerNodePorts}|{.spec.externalTrafficPolicy}|{.status.loadBalancer.ingress}"))
                .isEqualTo("ClusterIP|" + f[0] + "||||");
        eventually("the node port's rules gone", 10_000, () -> !lab.liveRules("node1").contains("dport " + f[1]) && !lab.liveRules("node1").contains(f[2]));
        assertThat(answered(f[0], 10)).as("requests to the kept clusterIP answered, of 10").isEqualTo(10);
        ok("delete", "svc", "shrink");
    }

    @Test
    void sessionAffinityNoneClearsItsConfig() throws IOException {
        apply("sticky.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: sticky}
                spec:
                  selector: {app: service_test_pod}
                  sessionAffinity: ClientIP
                  sessionAffinityConfig: {clientIP: {timeoutSeconds: 77}}
                  ports: [{port: 80, targetPort: 8080}]
                """);
        eventually("ClientIP affinity's rules", 10_000, () -> lab.liveRules("node1").contains("--seconds 77"));
        // The merge leaves the config as it was; defaulting clears it (before: 422 "must not be set").
        ok("patch", "svc", "sticky", "--type=merge", "-p", "{\"spec\":{\"sessionAffinity\":\"None\"}}");
        assertThat(ok("get", "svc", "sticky", "-o", "jsonpath={.spec.sessionAffinity}|{.spec.sessionAffinityConfig}")).isEqualTo("None|");
        eventually("affinity's rules gone", 10_000, () -> !lab.liveRules("node1").contains("--seconds 77"));
        // Created that way, too: the config is dropped, not refused.
        apply("loose.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: loose}
                spec:
                  selector: {app: service_test_pod}
                  sessionAffinityConfig: {clientIP: {timeoutSeconds: 77}}
                  ports: [{port: 80, targetPort: 8080}]
                """);
        assertThat(ok("get", "svc", "loose", "-o", "jsonpath={.spec.sessionAffinity}|{.spec.sessionAffinityConfig}")).isEqualTo("None|");
        ok("delete", "svc", "sticky", "loose");
    }
}
