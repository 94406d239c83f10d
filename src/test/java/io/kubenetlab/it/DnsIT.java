package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kernel.Procs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Cluster DNS on the article's lab: names, headless Services, SRV, ExternalName, the outside database. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsIT {
    @TempDir
    static Path tmp;
    static String name;
    static Lab lab;

    @BeforeAll
    static void deploy() {
        ItSupport.requireRoot();
        Path topo = ItSupport.articleWith(tmp, """
                apiVersion: v1
                kind: Service
                metadata: {name: named}
                spec:
                  selector: {app: service_test_pod}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: ext-db}
                spec:
                  type: ExternalName
                  externalName: db.example.com
                """);
        name = ItSupport.uniqueLab("it-dns");
        lab = Lab.deploy(topo, Lab.Options.defaults().withName(name));
    }

    @AfterAll
    static void destroy() {
        if (lab != null) lab.close();
        ItSupport.assertGone(name);
    }

    static String sh(String pod, String script) {
        return lab.execCapture(pod, List.of("sh", "-c", script)).stdout();
    }

    static Set<String> serverIps() {
        return lab.pods().stream().filter(p -> "service_test_pod".equals(p.labels().get("app")))
                .map(p -> p.ip().toString()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    @Order(1)
    void theArticlesClient2ReachesBothPodsByName() {
        assertThat(lab.logs("service-test-client2", null)).contains("<p>Hello from service-test-");
        String out = sh("service-test-client2", "i=0; while [ $i -lt 30 ]; do echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc service-test 80"
                + " | grep -o 'Hello from [a-z0-9-]*'; i=$((i+1)); done");
        assertThat(out.lines().count()).isEqualTo(30);
        assertThat(out.lines().distinct().count()).as(out).isEqualTo(2);
    }

    @Test
    @Order(1)
    void shortAndQualifiedNamesResolveToTheClusterIp() {
        for (String n : List.of("service-test", "service-test.default", "service-test.default.svc",
                "service-test.default.svc.cluster.local", "kube-dns.kube-system")) {
            String ip = n.startsWith("kube-dns") ? "10.3.240.10" : "10.3.241.152";
            assertThat(sh("service-test-client1", "getent hosts " + n)).as(n).startsWith(ip + " ");
        }
        String nslookup = sh("service-test-client2", "nslookup service-test.default.svc.cluster.local");
        assertThat(nslookup).contains("10.3.240.10").contains("Address: 10.3.241.152");
    }

    @Test
    @Order(1)
    void srvAndExternalNameAnswers() {
        String srv = sh("service-test-client1", "dig +short SRV _http._tcp.named.default.svc.cluster.local");
        assertThat(srv.trim()).isEqualTo("0 100 80 named.default.svc.cluster.local.");
        String cname = sh("service-test-client1", "dig +short CNAME ext-db.default.svc.cluster.local");
        assertThat(cname.trim()).isEqualTo("db.example.com.");
    }

    @Test
    @Order(1)
    void unknownNamesGetNxdomainAndOutsideNamesARefusalAtOnce() {
        long t0 = System.nanoTime();
        String nx = sh("service-test-client1", "dig +tries=1 +time=2 nosuch.default.svc.cluster.local | grep status");
        String out = sh("service-test-client1", "dig +tries=1 +time=2 example.com | grep status");
        assertThat(nx).contains("NXDOMAIN");
        assertThat(out).contains("REFUSED");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("no timeouts").isLessThan(2000);
        Kernel.Result r = lab.execCapture("service-test-client1", List.of("getent", "hosts", "nosuch"));
        assertThat(r.exit()).isEqualTo(2);
    }

    @Test
    @Order(1)
    void theOutsideDatabaseResolvesAndAnswersARealQuery() {
        assertThat(sh("api-pod", "getent hosts database")).startsWith("192.0.2.42 ");
        String psql = sh("api-pod", "psql -h database -U postgres -tAc 'select 40 + 2'");
        assertThat(psql.trim()).isEqualTo("42");
    }

    @Test
    @Order(2)
    void aHeadlessServiceAnswersItsReadyPodsAndFollowsAScale() {
        assertThat(headless()).isEqualTo(serverIps()).hasSize(2);
        lab.scale("service-test", "default", 3);
        assertThat(awaitHeadless(3)).isEqualTo(serverIps());
        lab.scale("service-test", "default", 2);
        assertThat(awaitHeadless(2)).isEqualTo(serverIps());
    }

    static Set<String> headless() {
        String out = sh("service-test-client1", "dig +short service-test-headless.default.svc.cluster.local");
        return out.lines().map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> awaitHeadless(int n) {
        long deadline = System.currentTimeMillis() + 1500; // "within a second", plus the exec
        Set<String> ips = headless();
        while (ips.size() != n && System.currentTimeMillis() < deadline) {
            Procs.sleep(50);
            ips = headless();
        }
        return ips;
    }

    @Test
    @Order(3)
    void dnsKeepsAnsweringAfterItsProcessIsKilledAndRestarted() {
        PodRecord dns = lab.pods().stream().filter(p -> p.namespace().equals("kube-system")).findFirst().orElseThrow();
        String pids = sh(dns.name(), "pgrep -x java"); // the server itself, not its supervisor (whose argv names it too)
        assertThat(pids.trim()).isNotEmpty();
        lab.execCapture(dns.name(), List.of("kill", "-9", pids.trim()));
        // kubelet's back-off before the first restart is 10 s.
        long deadline = System.currentTimeMillis() + 30_000;
        String answer = "";
        while (System.currentTimeMillis() < deadline) {
            answer = sh("service-test-client1", "getent hosts service-test");
            if (answer.startsWith("10.3.241.152 ") && lab.status(lab.pod(dns.name())).restarts() >= 1) break;
            Procs.sleep(250);
        }
        assertThat(lab.status(lab.pod(dns.name())).restarts()).isGreaterThanOrEqualTo(1);
        assertThat(answer).startsWith("10.3.241.152 ");
        assertThat(Arrays.asList(sh("service-test-client1", "getent hosts service-test-headless").split("\n"))).hasSize(2);
    }
}
