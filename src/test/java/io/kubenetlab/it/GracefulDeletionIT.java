package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.it.Kubectl.Out;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Through the real kubectl: graceful pod deletion (issue 13, item 2). A deleted pod gets a
 * deletionTimestamp and stays Terminating while its process, which handles SIGTERM, finishes; its
 * preStop hook (exec, httpGet) runs before SIGTERM; its endpoint stays in the EndpointSlice not ready,
 * serving, terminating, and kube-proxy still sends it traffic while it is the Service's only one; it goes
 * when its process exits. One ignoring SIGTERM goes at the end of its grace period; --grace-period=0
 * --force removes at once; scaling down and a rollout terminate pods the same way. The article's pods
 * still go at once (their servers end on SIGTERM).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GracefulDeletionIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP server that, on SIGTERM, says whether its preStop hook ran first and keeps serving LINGER seconds. */
    static final String SERVER = """
            import http.server, os, signal, threading
            name = os.environ.get('HOSTNAME', '?')
            hooked = []
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    if self.path == '/prestop':
                        hooked.append(1)
                        print('HOOK', flush=True)
                    body = ('Hello from %s\\n' % name).encode()
                    self.send_response(200)
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *a):
                    pass
            def term(sig, frame):
                print('TERM prestop=%s' % (bool(hooked) or os.path.exists('prestop.txt')), flush=True)
                threading.Timer(float(os.environ.get('LINGER', '3')), lambda: os._exit(0)).start()
            signal.signal(signal.SIGTERM, term)
            http.server.ThreadingHTTPServer(('', 8080), H).serve_forever()
            """;

    private String name;
    private Lab lab;
    private Kubectl kubectl;
    private Path tmp;

    /** The runtime the lab runs on: both must behave the same (see GracefulDeletionDockerIT). */
    String runtime() {
        return "netns";
    }

    @BeforeAll
    void deploy() throws IOException {
        kubectl = Kubectl.create("knl-i13g");
        tmp = kubectl.scratch();
        name = ItSupport.uniqueLab("i13g-gd");
        lab = ItSupport.deployArticle(name, runtime());
        ok("apply", "-f", file("client.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: gclient}
                spec:
                  nodeName: node1
                  containers:
                    - name: c
                      image: alpine
                      command: ["sh", "-c", "while true; do sleep 1; done"]
                """).toString());
    }

    @AfterAll
    void destroy() {
        if (kubectl != null) kubectl.close();
        if (lab == null) return;
        lab.close();
        ItSupport.assertGone(name);
    }

    private String ok(String... args) {
        return kubectl.ok(lab, args);
    }

    private Out kubectl(String... args) {
        return kubectl.run(lab, args);
    }

    private Path file(String fileName, String text) throws IOException {
        Path f = tmp.resolve(fileName);
        Files.writeString(f, text);
        return f;
    }

    private static void eventually(String what, long millis, Supplier<Boolean> check) {
        long deadline = System.currentTimeMillis() + millis;
        while (!check.get()) {
            assertThat(System.currentTimeMillis()).as(what + " within " + millis + " ms").isLessThan(deadline);
            Procs.sleep(100);
        }
    }

    private JsonNode json(String... args) {
        try {
            return JSON.readTree(ok(args));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A container running {@link #SERVER}, indented for a pod spec's containers list. */
    private static String serverContainer(String linger, String lifecycle) {
        StringBuilder sb = new StringBuilder("""
                    - name: web
                      image: python:3
                      command: ["python", "-c", %s]
                      env: [{name: LINGER, value: "%s"}]
                      ports: [{containerPort: 8080}]
                      readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
                """.formatted(quote(SERVER), linger));
        if (lifecycle != null) sb.append(lifecycle);
        return sb.toString();
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s); // a JSON string is a YAML flow scalar
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean gone(String pod) {
        return kubectl("get", "pod", pod).err().contains("NotFound");
    }

    /** Sends n requests to ip:port from {@code from}; returns how many got no answer from {@code pod}. */
    private int failures(String from, String ip, int port, String pod, int n) {
        String script = "i=0; while [ $i -lt " + n + " ]; do echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 2 " + ip
                + " " + port + " | grep -o 'Hello from [a-z0-9-]*'; i=$((i+1)); sleep 0.1; done";
        String out = lab.execCapture(from, List.of("sh", "-c", script)).stdout();
        return n - (int) out.lines().filter(l -> l.equals("Hello from " + pod)).count();
    }

    @Test
    @Order(1)
    void aDeletedPodTerminatesServesAsTheLastEndpointAndGoesWhenItsProcessExits() throws IOException {
        ok("apply", "-f", file("gterm.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: gterm, labels: {app: gterm}}
                spec:
                  nodeName: node1
                  containers:
                %s---
                apiVersion: v1
                kind: Service
                metadata: {name: gsvc}
                spec:
                  selector: {app: gterm}
                  ports: [{port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: gsvc-itp}
                spec:
                  selector: {app: gterm}
                  internalTrafficPolicy: Local
                  ports: [{port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: gsvc-etp}
                spec:
                  type: NodePort
                  selector: {app: gterm}
                  externalTrafficPolicy: Local
                  ports: [{port: 80, targetPort: 8080, nodePort: 30090}]
                """.formatted(serverContainer("8", """
                      lifecycle:
                        preStop:
                          exec:
                            command: ["sh", "-c", "sleep 1; echo done > prestop.txt"]
                """))).toString());
        ok("wait", "--for=condition=Ready", "pod/gterm", "pod/gclient", "--timeout=60s");
        String ip = ok("get", "svc", "gsvc", "-o", "jsonpath={.spec.clusterIP}");
        String local = ok("get", "svc", "gsvc-itp", "-o", "jsonpath={.spec.clusterIP}");
        String node1 = ok("get", "node", "node1", "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}");
        assertThat(failures("gclient", ip, 80, "gterm", 3)).as("before the delete").isZero();
        assertThat(failures("ext-client", node1, 30090, "gterm", 2)).as("before the delete, NodePort with externalTrafficPolicy Local").isZero();

        long t0 = System.currentTimeMillis();
        assertThat(ok("delete", "pod", "gterm", "--wait=false")).contains("pod \"gterm\" deleted");

        JsonNode pod = json("get", "pod", "gterm", "-o", "json");
        assertThat(pod.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
        assertThat(pod.path("metadata").path("deletionGracePeriodSeconds").asInt()).as("the default grace period").isEqualTo(30);
        assertThat(ok("get", "pod", "gterm", "--no-headers")).contains("Terminating");
        JsonNode slice = json("get", "endpointslices", "-l", "kubernetes.io/service-name=gsvc", "-o", "json").path("items").get(0);
        JsonNode conditions = slice.path("endpoints").get(0).path("conditions");
        assertThat(conditions.toString()).isEqualTo("{\"ready\":false,\"serving\":true,\"terminating\":true}");
        assertThat(ok("get", "endpoints", "gsvc", "-o", "jsonpath={.subsets}")).as("the Endpoints object drops it").isEmpty();
        // kube-proxy's fallback: no ready endpoint left, so the serving terminating one still gets the traffic,
        // for traffic policies Cluster and Local alike.
        assertThat(failures("gclient", ip, 80, "gterm", 8)).as("requests through the ClusterIP while it terminates").isZero();
        assertThat(failures("gclient", local, 80, "gterm", 4)).as("internalTrafficPolicy Local").isZero();
        assertThat(failures("ext-client", node1, 30090, "gterm", 4)).as("NodePort, externalTrafficPolicy Local").isZero();

        assertThat(awaitLog("gterm", "TERM")).as("SIGTERM after the preStop hook").contains("TERM prestop=True");
        eventually("the pod goes when its process exits", 25_000, () -> gone("gterm"));
        long took = System.currentTimeMillis() - t0;
        assertThat(took).as("hook (1 s) + lingering (8 s), well before its 30 s grace period").isBetween(8_500L, 22_000L);
        String events = ok("get", "events", "--field-selector", "involvedObject.name=gterm");
        assertThat(events).contains("Killing").contains("Stopping container web");
    }

    @Test
    @Order(2)
    void aPodIgnoringSigtermIsKilledAtTheEndOfItsGracePeriodAndAFailedHookIsReported() throws IOException {
        ok("apply", "-f", file("stubborn.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: gstubborn}
                spec:
                  terminationGracePeriodSeconds: 3
                  containers:
                    - name: c
                      image: alpine
                      command: ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"]
                      lifecycle:
                        preStop:
                          exec:
                            command: ["sh", "-c", "exit 3"]
                """).toString());
        ok("wait", "--for=condition=Ready", "pod/gstubborn", "--timeout=60s");
        long t0 = System.currentTimeMillis();
        ok("delete", "pod", "gstubborn"); // kubectl waits until it is gone
        long took = System.currentTimeMillis() - t0;
        assertThat(gone("gstubborn")).isTrue();
        assertThat(took).as("its 3 s grace period").isBetween(2_800L, 8_000L);
        assertThat(ok("get", "events", "--field-selector", "involvedObject.name=gstubborn")).contains("FailedPreStopHook");
    }

    @Test
    @Order(3)
    void aForcedDeleteRemovesAtOnce() throws IOException {
        ok("apply", "-f", file("forced.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: gforced}
                spec:
                  containers:
                    - name: c
                      image: alpine
                      command: ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"]
                """).toString());
        ok("wait", "--for=condition=Ready", "pod/gforced", "--timeout=60s");
        long t0 = System.currentTimeMillis();
        Out o = kubectl("delete", "pod", "gforced", "--grace-period=0", "--force");
        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(gone("gforced")).isTrue();
        assertThat(System.currentTimeMillis() - t0).as("not its 30 s grace period").isLessThan(8_000);
    }

    @Test
    @Order(4)
    void theArticlesPodsStillGoAtOnce() {
        String pod = ok("get", "pods", "-l", "app=service_test_pod", "-o", "jsonpath={.items[0].metadata.name}");
        long t0 = System.currentTimeMillis();
        ok("delete", "pod", pod);
        assertThat(System.currentTimeMillis() - t0).as("python ends on SIGTERM: not its 30 s grace period").isLessThan(10_000);
        ok("rollout", "status", "deployment/service-test", "--timeout=60s");
    }

    @Test
    @Order(5)
    void scalingDownAndARolloutTerminateThePodsTheyRemove() throws IOException {
        ok("apply", "-f", file("gdep.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: gdep}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: gdep}}
                  template:
                    metadata: {labels: {app: gdep}}
                    spec:
                      terminationGracePeriodSeconds: 20
                      containers:
                %s""".formatted(serverContainer("4", """
                      lifecycle:
                        preStop:
                          httpGet: {path: /prestop, port: 8080}
                """).indent(4))).toString());
        ok("rollout", "status", "deployment/gdep", "--timeout=60s");
        List<String> before = pods("app=gdep");
        assertThat(before).hasSize(2);

        ok("scale", "deployment", "gdep", "--replicas=1");
        eventually("the extra pod is Terminating", 5_000, () -> terminating("app=gdep").size() == 1);
        String extra = terminating("app=gdep").get(0);
        assertThat(awaitLog(extra, "TERM")).as("its httpGet preStop hook ran before SIGTERM").contains("HOOK").contains("TERM prestop=True");
        assertThat(ok("get", "pod", extra, "--no-headers")).contains("Terminating");
        eventually("it goes when its server exits", 10_000, () -> gone(extra));
        assertThat(ok("get", "deployment", "gdep", "-o", "jsonpath={.status.replicas}/{.status.readyReplicas}")).isEqualTo("1/1");

        List<String> old = pods("app=gdep");
        ok("set", "env", "deployment/gdep", "ROLLOUT=1");
        eventually("the rollout terminates the old pod", 30_000, () -> terminating("app=gdep").containsAll(old));
        ok("rollout", "status", "deployment/gdep", "--timeout=60s");
        eventually("the old pod goes", 10_000, () -> old.stream().allMatch(this::gone));
    }

    /** The pod's log once it holds {@code text} (read while the pod terminates: it goes with its log). */
    private String awaitLog(String pod, String text) {
        long t0 = System.currentTimeMillis();
        String last = "";
        while (System.currentTimeMillis() < t0 + 10_000) {
            Out o = kubectl("logs", pod);
            if (o.out().contains(text)) return o.out();
            last = o.out() + o.err();
            Procs.sleep(50);
        }
        throw new AssertionError("no \"" + text + "\" in the log of " + pod + " within 10 s; last: " + last);
    }

    private List<String> pods(String selector) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : json("get", "pods", "-l", selector, "-o", "json").path("items")) out.add(p.path("metadata").path("name").asText());
        return out;
    }

    private List<String> terminating(String selector) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : json("get", "pods", "-l", selector, "-o", "json").path("items")) {
            if (p.path("metadata").has("deletionTimestamp")) out.add(p.path("metadata").path("name").asText());
        }
        return out;
    }
}
