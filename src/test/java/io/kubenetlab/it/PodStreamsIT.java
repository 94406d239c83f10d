package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.kubenetlab.lab.Lab;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kubectl exec, attach, port-forward and cp, and fabric8's exec and portForward, against the article
 * lab's API: the WebSocket protocols (v5/v4 channels, kubectl's SPDY tunnel), exit codes, stdin, stderr
 * kept apart, a terminal (driven through script(1)'s pseudo-terminal) with Ctrl-C and resize, 1 MiB each
 * way through a port-forward, concurrent execs, and a killed client leaving nothing running in the pod.
 */
class PodStreamsIT extends ArticleKubectlBase {
    private String webPod;

    PodStreamsIT() {
        super("knl-streams", "it-streams");
    }

    /** The kubectl: 1.32 speaks WebSockets for exec, attach and port-forward alike. */
    @Override
    Path kubectlBinary() {
        return ItSupport.requireKubectl132();
    }

    @BeforeAll
    void findAServerPod() {
        webPod = kubectl("get", "pods", "-l", "app=service_test_pod", "-o", "jsonpath={.items[0].metadata.name}").out();
        assertThat(webPod).startsWith("service-test-");
    }

    private Kubectl.Out kubectl(String... args) {
        return kubectl.run(lab, args);
    }

    private List<String> kubectlArgv(String... args) {
        return kubectl.argv(lab, args);
    }

    @Test
    void theStreamsAreDrivenByKubectl132() {
        assertThat(kubectl("version").out()).contains("Client Version: v1.32.").contains("Server Version: v1.31.0-kubenetlab");
    }

    @Test
    void execReachesTheServiceFromAPodEveryTime() {
        int failures = 0;
        for (int i = 0; i < 10; i++) {
            Kubectl.Out o = kubectl("exec", "api-pod", "--", "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w2 10.3.241.152 80");
            if (o.exit() != 0 || !o.out().contains("Hello from service-test-")) failures++;
        }
        assertThat(failures).as("requests through kubectl exec that failed, of 10").isZero();
    }

    @Test
    void execOnADeploymentPicksOneOfItsPods() {
        Kubectl.Out o = kubectl("exec", "deploy/service-test", "--", "hostname");
        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out().trim()).startsWith("service-test-");
    }

    @Test
    void stdinReachesTheCommandAndItsEndOfFileToo() {
        Kubectl.Out o = kubectl.runWithInput(lab, "hi\nthere\n", "exec", "-i", "api-pod", "--", "cat");
        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).isEqualTo("hi\nthere\n");
    }

    @Test
    void theExitCodeComesBackAndStderrStaysApart() {
        Kubectl.Out o = kubectl("exec", webPod, "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(o.exit()).isEqualTo(3);
        assertThat(o.out()).isEqualTo("out\n");
        assertThat(o.err()).contains("err\n").contains("command terminated with exit code 3");
        assertThat(kubectl("exec", webPod, "--", "true").exit()).isZero();
    }

    @Test
    void theExecRunsInThePodAsItsOwnProcessesDo() {
        // same hostname, network, mounts (the pod's private /tmp) and PID namespace as the pod's server
        Kubectl.Out o = kubectl("exec", webPod, "--", "sh", "-c", "hostname; ip -o -4 addr show eth0 | awk '{print $4}'; ps -e -o comm= | sort -u | tr '\\n' ' '");
        assertThat(o.exit()).as(o.err()).isZero();
        String podIp = kubectl("get", "pod", webPod, "-o", "jsonpath={.status.podIP}").out();
        assertThat(o.out()).startsWith(webPod + "\n").contains(podIp + "/24").contains("python3");
    }

    @Test
    void aContainerNamedWithDashCIsTheOneEntered() {
        Kubectl.Out o = kubectl("exec", webPod, "-c", "simple-http", "--", "hostname");
        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).isEqualTo(webPod + "\n");
    }

    @Test
    void mistakesAreAnsweredAsTheApiServerWordsThem() {
        Kubectl.Out noContainer = kubectl("exec", "api-pod", "-c", "nope", "--", "true");
        assertThat(noContainer.exit()).isNotZero();
        assertThat(noContainer.err()).contains("container nope is not valid for pod api-pod");
        Kubectl.Out noPod = kubectl("exec", "no-such-pod", "--", "true");
        assertThat(noPod.exit()).isNotZero();
        assertThat(noPod.err()).contains("pods \"no-such-pod\" not found");
    }

    @Test
    void anInteractiveShellOnATerminalTakesCtrlCAndItsExitCode() throws Exception {
        // script(1) gives kubectl a terminal of 120x33; what we type reaches the pod's shell through it
        String cmd = "stty cols 120 rows 33; exec " + String.join(" ", kubectlArgv("exec", "-it", webPod, "--", "sh"));
        Process p = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectErrorStream(true).start();
        ByteArrayOutputStream seen = Kubectl.collect(p.getInputStream());
        OutputStream keys = p.getOutputStream();
        waitFor(seen, "# ", 20);
        type(keys, "stty size; tty; echo term=$TERM; sleep 300\n");
        waitFor(seen, "term=xterm", 20);
        type(keys, "\u0003"); // Ctrl-C: SIGINT to the foreground sleep, through the pod's terminal
        type(keys, "echo after-interrupt\n");
        waitFor(seen, "after-interrupt\r\n", 20);
        type(keys, "exit 4\n");
        assertThat(ItSupport.exitWithin(p, 20, "kubectl exec -it")).as(seen.toString()).isEqualTo(4);
        assertThat(seen.toString()).contains("33 120").contains("/dev/pts/").contains("command terminated with exit code 4");
    }

    @Test
    void attachFollowsTheContainersOutput() throws Exception {
        assertThat(outputAfterARequest("attach", "attach", webPod)).as("attach's output").contains("HTTP/1.0\" 404");
    }

    @Test
    void logsFollowTheContainersOutput() throws Exception {
        // the same following of the log as attach's (FollowedLog), through pods/log?follow=true
        String before = "/before-logs-f-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        request(before);
        String seen = outputAfterARequest("logs-f", "logs", "-f", webPod);
        assertThat(seen).as("kubectl logs -f's output").contains("HTTP/1.0\" 404");
        assertThat(seen).as("logs -f starts with the log so far").contains("\"GET " + before + " HTTP/1.0\" 404");
    }

    /** A GET of {@code path} to the web pod, from api-pod: a line in the web pod's log. */
    private void request(String path) {
        String podIp = kubectl("get", "pod", webPod, "-o", "jsonpath={.status.podIP}").out();
        kubectl("exec", "api-pod", "--", "sh", "-c", "printf 'GET " + path + " HTTP/1.0\\r\\n\\r\\n' | nc -w2 " + podIp + " 8080");
    }

    /**
     * What a long-running kubectl (attach, logs -f) printed once a request made after it started shows in
     * the web pod's log; its output so far, which holds that request's line.
     */
    private String outputAfterARequest(String what, String... args) throws Exception {
        Process p = new ProcessBuilder(kubectlArgv(args)).redirectErrorStream(true).start();
        try {
            ByteArrayOutputStream seen = Kubectl.collect(p.getInputStream());
            String mark = "/" + what + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!seen.toString().contains("GET " + mark) && System.nanoTime() < deadline) {
                request(mark);
                Thread.sleep(500);
            }
            assertThat(seen.toString()).as(what + "'s output").contains("\"GET " + mark + " HTTP/1.0\" 404");
            return seen.toString();
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void portForwardToTheServiceAnswersEveryRequest() throws Exception {
        Process p = new ProcessBuilder(kubectlArgv("port-forward", "svc/service-test", ":80")).redirectErrorStream(true).start();
        try {
            int port = Kubectl.forwardedPorts(p, 1).get(0);
            int failures = 0;
            for (int i = 0; i < 20; i++) {
                String answer = Kubectl.httpGet(port, "/");
                if (!answer.contains("Hello from service-test-")) failures++;
            }
            assertThat(failures).as("requests through kubectl port-forward that failed, of 20").isZero();
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMebibyteGoesEachWayThroughAPodPortForward() throws Exception {
        Kubectl.Out setup = kubectl("exec", "api-pod", "--", "sh", "-c", "mkdir -p /tmp/pf && head -c 1048576 /dev/urandom > /tmp/pf/big"
                + " && (setsid python3 -m http.server 9000 --bind 127.0.0.1 --directory /tmp/pf >/dev/null 2>&1 &)"
                + " && (setsid sh -c 'nc -d -l 127.0.0.1 9001 > /tmp/pf/up' >/dev/null 2>&1 &) && sleep 1");
        assertThat(setup.exit()).as(setup.err()).isZero();
        String bigSum = kubectl("exec", "api-pod", "--", "sha256sum", "/tmp/pf/big").out().split(" ")[0];
        Process p = new ProcessBuilder(kubectlArgv("port-forward", "pod/api-pod", ":9000", ":9001")).redirectErrorStream(true).start();
        try {
            List<Integer> ports = Kubectl.forwardedPorts(p, 2);
            // down: the pod's file through its loopback-only server
            byte[] body;
            try (Socket s = new Socket("127.0.0.1", ports.get(0))) {
                s.getOutputStream().write("GET /big HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] all = s.getInputStream().readAllBytes();
                int start = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
                body = java.util.Arrays.copyOfRange(all, start, all.length);
            }
            assertThat(body.length).isEqualTo(1 << 20);
            assertThat(sha256(body)).isEqualTo(bigSum);
            // up: 1 MiB to a listener in the pod, which writes it to a file
            byte[] up = new byte[1 << 20];
            ThreadLocalRandom.current().nextBytes(up);
            try (Socket s = new Socket("127.0.0.1", ports.get(1))) {
                s.getOutputStream().write(up);
                s.shutdownOutput();
                s.getInputStream().readAllBytes(); // the pod's side closes once nc has it all
            }
            String upSum = "";
            for (int i = 0; i < 50 && !upSum.equals(sha256(up)); i++) {
                upSum = kubectl("exec", "api-pod", "--", "sha256sum", "/tmp/pf/up").out().split(" ")[0];
                Thread.sleep(200);
            }
            assertThat(upSum).isEqualTo(sha256(up));
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void cpCopiesBothWays(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path local = dir.resolve("file");
        Files.writeString(local, "copied into the pod\n");
        Kubectl.Out in = kubectl("cp", local.toString(), "api-pod:/tmp/file");
        assertThat(in.exit()).as(in.err()).isZero();
        assertThat(kubectl("exec", "api-pod", "--", "cat", "/tmp/file").out()).isEqualTo("copied into the pod\n");
        Path back = dir.resolve("h");
        Kubectl.Out out = kubectl("cp", "api-pod:/etc/hostname", back.toString());
        assertThat(out.exit()).as(out.err()).isZero();
        assertThat(Files.readString(back)).isEqualTo(kubectl("exec", "api-pod", "--", "cat", "/etc/hostname").out());
    }

    @Test
    void concurrentExecsEachGetTheirOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Kubectl.Out>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                runs.add(pool.submit((Callable<Kubectl.Out>) () -> kubectl("exec", "api-pod", "--", "sh", "-c", "sleep 1; echo run-" + n)));
            }
            int failures = 0;
            for (int i = 0; i < runs.size(); i++) {
                Kubectl.Out o = runs.get(i).get(60, TimeUnit.SECONDS);
                if (o.exit() != 0 || !o.out().equals("run-" + i + "\n")) failures++;
            }
            assertThat(failures).as("concurrent execs that failed, of 8").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKilledClientLeavesNothingRunningInThePod() throws Exception {
        for (boolean tty : new boolean[] {false, true}) {
            String marker = Integer.toString(7000 + ThreadLocalRandom.current().nextInt(2000)) + (tty ? "1" : "0");
            assertThat(kubectl.sleepsLeftAfterAKilledExec(lab, "api-pod", marker, tty)).as("processes of the killed exec left in the pod, tty=" + tty).isEmpty();
        }
    }

    @Test
    void fabric8ExecsWithStdinExitCodeAndATerminalItResizes() throws Exception {
        KubernetesClient client = lab.kubernetesClient();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch w = client.pods().inNamespace("default").withName("api-pod").redirectingInput().writingOutput(out).writingError(err)
                .exec("sh", "-c", "head -n 1; echo to-stderr >&2; exit 5")) {
            // v4.channel.k8s.io (fabric8's) has no way to close stdin: the command reads one line
            w.getInput().write("from fabric8\n".getBytes(StandardCharsets.UTF_8));
            w.getInput().flush();
            assertThat(w.exitCode().get(30, TimeUnit.SECONDS)).isEqualTo(5);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("from fabric8\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("to-stderr\n");

        ByteArrayOutputStream term = new ByteArrayOutputStream();
        try (ExecWatch w = client.pods().inNamespace("default").withName(webPod).redirectingInput().writingOutput(term).withTTY().exec("sh")) {
            w.resize(100, 40);
            Thread.sleep(300);
            w.getInput().write("stty size; exit 0\n".getBytes(StandardCharsets.UTF_8));
            w.getInput().flush();
            assertThat(w.exitCode().get(30, TimeUnit.SECONDS)).isZero();
        }
        assertThat(term.toString(StandardCharsets.UTF_8)).contains("40 100");
    }

    @Test
    void fabric8PortForwardsToAPod() throws Exception {
        KubernetesClient client = lab.kubernetesClient();
        int failures = 0;
        try (LocalPortForward pf = client.pods().inNamespace("default").withName(webPod).portForward(8080)) {
            for (int i = 0; i < 5; i++) {
                if (!Kubectl.httpGet(pf.getLocalPort(), "/").contains("Hello from " + webPod)) failures++;
            }
        }
        assertThat(failures).as("requests through fabric8's port-forward that failed, of 5").isZero();
    }

    // ------------------------------------------------------------------ helpers

    private static void waitFor(ByteArrayOutputStream seen, String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!seen.toString().contains(text) && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(seen.toString()).as("the terminal's output").contains(text);
    }

    private static void type(OutputStream keys, String text) throws IOException, InterruptedException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
        Thread.sleep(300);
    }

    private static int indexOf(byte[] all, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= all.length; i++) {
            for (int j = 0; j < part.length; j++) if (all[i + j] != part[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
