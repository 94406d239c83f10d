package io.kubenetlab.it;

import static io.kubenetlab.it.SmallLab.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCTP Services get endpoints and kube-proxy rules in both modes. This kernel has no SCTP sockets, so
 * a pod declaring an SCTP port can never "listen" on it: readiness is kubelet's (running, without a
 * readiness probe), and only declared TCP ports hold deploy's ordering; UDP ports never do either.
 */
class SctpServiceIT {
    @TempDir
    static Path tmp;

    /** web declares an SCTP port next to its TCP one; a sleeper declares a UDP port it never binds. */
    static final String EXTRA = """
            apiVersion: v1
            kind: Service
            metadata: {name: web-sctp}
            spec:
              selector: {app: web}
              ports: [{name: assoc, port: 9999, protocol: SCTP, targetPort: assoc}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: quiet}
            spec:
              replicas: 1
              selector: {matchLabels: {app: quiet}}
              template:
                metadata: {labels: {app: quiet}}
                spec:
                  containers:
                    - name: c
                      image: alpine
                      command: ["sleep", "100000"]
                      ports: [{name: syslog, containerPort: 514, protocol: UDP}]
            """;

    @BeforeAll
    static void needs() {
        ItSupport.requireRoot();
        ItSupport.requireKubectl();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iptables", "nftables"})
    void sctpServicesHaveReadyEndpointsAndRulesOnEveryNode(String mode) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(mode));
        Path topo = SmallLab.write(dir, mode, "[{name: http, containerPort: 8080}, {name: assoc, containerPort: 9999, protocol: SCTP}]", EXTRA);
        String name = ItSupport.uniqueLab("i13b-sctp");
        Path cache = dir.resolve("kcache");
        // Before: deploy waited for the SCTP port to listen, which it never can, and failed after 60 s.
        Lab lab = Lab.deploy(topo, Lab.Options.defaults().withName(name));
        try {
            Path kc = lab.kubeconfig();
            // kubelet's Ready condition: running is enough without a readiness probe.
            String ready = SmallLab.ok(kc, cache, "get", "pods", "-l", "app in (web,quiet)", "-o",
                    "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\" \"}{end}").out().trim();
            assertThat(ready.split(" ")).as("Ready of web and quiet pods").containsOnly("True").hasSize(3);
            List<String> podIPs = Arrays.asList(SmallLab.ok(kc, cache, "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.podIP}").out().trim().split(" "));
            assertThat(podIPs).hasSize(2);

            String ep = SmallLab.ok(kc, cache, "get", "endpoints", "web-sctp").out();
            for (String ip : podIPs) assertThat(ep).contains(ip + ":9999");
            assertThat(SmallLab.ok(kc, cache, "get", "endpoints", "web-sctp", "-o", "jsonpath={.subsets[0].ports[0].protocol}").out()).isEqualTo("SCTP");
            String slice = SmallLab.ok(kc, cache, "get", "endpointslices", "-l", "kubernetes.io/service-name=web-sctp", "-o",
                    "jsonpath={.items[0].ports[0].protocol}/{.items[0].ports[0].port} {range .items[0].endpoints[*]}{.addresses[0]}={.conditions.ready} {end}").out();
            assertThat(slice).startsWith("SCTP/9999 ");
            for (String ip : podIPs) assertThat(slice).contains(ip + "=true");
            assertThat(SmallLab.ok(kc, cache, "get", "svc", "web-sctp").out()).contains("9999/SCTP");

            // A NodePort SCTP Service made with kubectl: its rules appear on every node too.
            Path np = dir.resolve("np.yaml");
            Files.writeString(np, """
                    apiVersion: v1
                    kind: Service
                    metadata: {name: web-sctp-np}
                    spec:
                      type: NodePort
                      selector: {app: web}
                      ports: [{name: assoc, port: 9998, protocol: SCTP, targetPort: 9999, nodePort: 30998}]
                    """);
            SmallLab.ok(kc, cache, "apply", "-f", np.toString());
            String clusterIP = SmallLab.ok(kc, cache, "get", "svc", "web-sctp", "-o", "jsonpath={.spec.clusterIP}").out().trim();
            String npIP = SmallLab.ok(kc, cache, "get", "svc", "web-sctp-np", "-o", "jsonpath={.spec.clusterIP}").out().trim();
            for (String node : List.of("node1", "node2")) {
                eventually(node + " holds the SCTP rules", 10_000, () -> {
                    String live = lab.liveRules(node);
                    return mode.equals("iptables") ? iptablesHasSctp(live, clusterIP, npIP, podIPs) : nftHasSctp(live, clusterIP, npIP, podIPs);
                });
            }

            // The TCP side still waits for its port: right after deploy every request is served.
            int n = 20;
            String script = "i=0; while [ $i -lt " + n + " ]; do echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 3 web 80"
                    + " | grep -o 'Hello from [a-z0-9-]*'; i=$((i+1)); done";
            List<String> answers = lab.execCapture("client", List.of("sh", "-c", script)).stdout().lines().toList();
            assertThat(answers).as("answers to " + n + " requests, none may fail").hasSize(n);
        } finally {
            lab.close();
            ItSupport.assertGone(name);
        }
    }

    static boolean iptablesHasSctp(String live, String clusterIP, String npIP, List<String> podIPs) {
        boolean ok = live.contains("-d " + clusterIP + "/32 -p sctp -m comment --comment \"default/web-sctp:assoc cluster IP\" -m sctp --dport 9999 -j KUBE-SVC-")
                && live.contains("-d " + npIP + "/32 -p sctp -m comment --comment \"default/web-sctp-np:assoc cluster IP\" -m sctp --dport 9998 -j KUBE-SVC-")
                && live.contains("-A KUBE-NODEPORTS -p sctp -m comment --comment \"default/web-sctp-np:assoc\" -m sctp --dport 30998 -j KUBE-EXT-");
        for (String ip : podIPs) ok &= live.contains("-p sctp -m comment --comment \"default/web-sctp:assoc\" -m sctp -j DNAT --to-destination " + ip + ":9999");
        return ok;
    }

    static boolean nftHasSctp(String live, String clusterIP, String npIP, List<String> podIPs) {
        boolean ok = live.contains(clusterIP + " . sctp . 9999 : goto service-") && live.contains(npIP + " . sctp . 9998 : goto service-")
                && live.contains("sctp . 30998 : goto external-")
                && live.contains("ip daddr " + clusterIP + " sctp dport 9999 ip saddr != 10.0.0.0/14 jump mark-for-masquerade");
        for (String ip : podIPs) ok &= live.contains("meta l4proto sctp dnat to " + ip + ":9999");
        return ok;
    }
}
