package io.kubenetlab.it;

import static io.kubenetlab.it.SmallLab.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExternalName Services created with kubectl resolve in pods as with CoreDNS: a target inside the
 * cluster domain gives the CNAME and the target's addresses (so glibc's getent and nc find them), a
 * target outside it the CNAME alone (no upstream: the lab has no internet).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalNameDnsIT {
    @TempDir
    static Path tmp;
    String name;
    Lab lab;

    @BeforeAll
    void deploy() throws IOException {
        ItSupport.requireRoot();
        ItSupport.requireKubectl();
        Path dir = Files.createDirectories(tmp.resolve("lab"));
        Path topo = SmallLab.write(dir, "iptables", "[{name: http, containerPort: 8080}]", """
                apiVersion: v1
                kind: Service
                metadata: {name: web-hl}
                spec:
                  clusterIP: None
                  selector: {app: web}
                  ports: [{name: http, port: 8080}]
                """);
        name = ItSupport.uniqueLab("i13b-dns");
        lab = Lab.deploy(topo, Lab.Options.defaults().withName(name));
        Path extra = tmp.resolve("externalnames.yaml");
        Files.writeString(extra, """
                apiVersion: v1
                kind: Service
                metadata: {name: alias}
                spec: {type: ExternalName, externalName: web.default.svc.cluster.local}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: alias-hl}
                spec: {type: ExternalName, externalName: web-hl.default.svc.cluster.local}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: outside}
                spec: {type: ExternalName, externalName: db.example.com}
                """);
        assertThat(kubectl("apply", "-f", extra.toString()).out()).contains("service/alias created", "service/outside created");
    }

    @AfterAll
    void destroy() {
        if (lab == null) return;
        lab.close();
        ItSupport.assertGone(name);
    }

    SmallLab.Out kubectl(String... args) {
        return SmallLab.ok(lab.kubeconfig(), tmp.resolve("kcache"), args);
    }

    Kernel.Result inClient(String script) {
        return lab.execCapture("client", List.of("sh", "-c", script));
    }

    /** getent's addresses for a name, empty when it finds none. */
    TreeSet<String> getent(String host) {
        Kernel.Result r = inClient("getent hosts " + host);
        TreeSet<String> ips = new TreeSet<>();
        r.stdout().lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).forEach(ips::add);
        return ips;
    }

    @Test
    @Order(1)
    void anExternalNameToAClusterIpServiceResolvesToItsClusterIp() {
        String clusterIP = kubectl("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").out().trim();
        eventually("getent hosts alias gives web's ClusterIP", 10_000, () -> getent("alias").equals(new TreeSet<>(List.of(clusterIP))));
        // glibc names the target as the canonical name and the asked name as an alias, as with CoreDNS.
        assertThat(inClient("getent hosts alias.default.svc.cluster.local").stdout())
                .startsWith(clusterIP + " ").contains("web.default.svc.cluster.local").contains("alias.default.svc.cluster.local");
        String dig = inClient("dig +tries=1 +time=3 alias.default.svc.cluster.local A").stdout();
        assertThat(dig).contains("status: NOERROR").containsPattern("flags: qr aa rd;")
                .containsPattern("alias\\.default\\.svc\\.cluster\\.local\\.\\s+5\\s+IN\\s+CNAME\\s+web\\.default\\.svc\\.cluster\\.local\\.")
                .containsPattern("web\\.default\\.svc\\.cluster\\.local\\.\\s+5\\s+IN\\s+A\\s+" + clusterIP.replace(".", "\\."));
    }

    @Test
    @Order(2)
    void clientsReachTheServersByTheExternalName() {
        int n = 20;
        String script = "i=0; while [ $i -lt " + n + " ]; do echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 3 alias 80"
                + " | grep -o 'Hello from [a-z0-9-]*'; i=$((i+1)); done";
        List<String> answers = inClient(script).stdout().lines().toList();
        // Every request goes to a ready server that listens: none may fail.
        assertThat(answers).as("answers to " + n + " requests to alias:80").hasSize(n);
        assertThat(answers.stream().distinct().count()).as("both servers answer").isEqualTo(2);
    }

    @Test
    @Order(3)
    void anExternalNameToAHeadlessServiceResolvesToItsReadyPods() {
        TreeSet<String> pods = new TreeSet<>(Arrays.asList(kubectl("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.podIP}").out().trim().split(" ")));
        assertThat(pods).hasSize(2);
        eventually("getent hosts alias-hl gives both pods", 10_000, () -> getent("alias-hl").equals(pods));
    }

    @Test
    @Order(4)
    void anExternalNameOutsideTheClusterIsTheCnameAlone() {
        String dig = inClient("dig +tries=1 +time=3 outside.default.svc.cluster.local A").stdout();
        assertThat(dig).contains("status: NOERROR", "ANSWER: 1,").containsPattern("CNAME\\s+db\\.example\\.com\\.");
        Kernel.Result r = lab.execCapture("client", List.of("getent", "hosts", "outside"));
        assertThat(r.exit()).as("not found: no address, and nothing asked outside the lab").isEqualTo(2);
    }

    @Test
    @Order(5)
    void retargetingWithKubectlFollowsAndAMissingTargetResolvesToNothing() {
        kubectl("patch", "svc", "alias", "--type=merge", "-p", "{\"spec\":{\"externalName\":\"web-hl.default.svc.cluster.local\"}}");
        TreeSet<String> pods = new TreeSet<>(Arrays.asList(kubectl("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.podIP}").out().trim().split(" ")));
        eventually("alias now gives the pods", 10_000, () -> getent("alias").equals(pods));
        kubectl("patch", "svc", "alias", "--type=merge", "-p", "{\"spec\":{\"externalName\":\"gone.default.svc.cluster.local\"}}");
        eventually("alias to a name that does not exist finds nothing", 10_000, () -> getent("alias").isEmpty());
        assertThat(inClient("dig +tries=1 +time=3 alias.default.svc.cluster.local A").stdout()).contains("status: NOERROR").contains("ANSWER: 0");
    }
}
