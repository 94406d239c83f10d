import com.fasterxml.jackson.databind.JsonNode;
import io.kubenetlab.client.ApiClient;
import io.kubenetlab.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * On-demand network programming latency benchmark (not part of the Maven test suite), as root, from the
 * repository root:
 *
 * <pre>
 *   java -cp target/kubenetlab.jar bench/ProgrammingBench.java [--services 1000] [--groups 50] [--replicas 2] [--rounds 30] [--proxy-mode iptables]
 * </pre>
 *
 * Deploys a two-node lab ({@code bench-prog-<pid>}) with --groups Deployments of --replicas http servers
 * and --services ClusterIP Services, each selecting one Deployment's pods (by default 50 x 2: a pod backs
 * 20 Services; {@code --groups 1 --replicas 5} is the worst case, every Service over the same 5 pods, where
 * a pod change rewrites every Service), then
 * --rounds times deletes one server pod through the lab's API and waits for its replacement to be ready.
 * Two numbers per change, the way kube-proxy's network_programming_duration_seconds counts:
 * <ul>
 *   <li>the DELETE round trip: the controller removes the pod, recomputes the endpoints and has every
 *       node's rules restored before it answers;</li>
 *   <li>the controller's own histogram (/metrics): from each change it saw (the delete, the replacement
 *       becoming ready) to the rules on every node.</li>
 * </ul>
 * The first 5 rounds warm the controller's JIT up and are not counted. Target: p99 at most 200 ms.
 * The lab is destroyed at the end (and on Ctrl-C).
 */
public final class ProgrammingBench {
    public static void main(String[] args) throws Exception {
        int services = 1000, replicas = 2, rounds = 30, groups = 50;
        String proxyMode = "iptables";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--services" -> services = Integer.parseInt(args[++i]);
                case "--replicas" -> replicas = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--groups" -> groups = Integer.parseInt(args[++i]);
                case "--proxy-mode" -> proxyMode = args[++i];
                default -> {
                    System.err.println("usage: ProgrammingBench [--services N] [--replicas N] [--groups N] [--rounds N] [--proxy-mode iptables|nftables]");
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory("kubenetlab-progbench");
        String name = "bench-prog-" + ProcessHandle.current().pid();
        Files.writeString(dir.resolve("lab.yaml"), """
                name: %s
                proxyMode: %s
                nodeNetwork: {cidr: 10.100.0.0/24, gateway: 10.100.0.1}
                nodes:
                  - {name: node1, address: 10.100.0.2}
                  - {name: node2, address: 10.100.0.3}
                manifests: [web.yaml, services.yaml]
                """.formatted(name, proxyMode));
        StringBuilder web = new StringBuilder();
        for (int g = 0; g < groups; g++) {
            web.append("""
                    ---
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web-%1$d}
                    spec:
                      replicas: %2$d
                      selector: {matchLabels: {app: web-%1$d}}
                      template:
                        metadata: {labels: {app: web-%1$d, tier: web}}
                        spec:
                          containers:
                          - name: web
                            image: python:2.7
                            command: ["python", "-m", "SimpleHTTPServer", "8080"]
                            ports: [{containerPort: 8080}]
                    """.formatted(g, replicas));
        }
        Files.writeString(dir.resolve("web.yaml"), web);
        StringBuilder svcs = new StringBuilder();
        for (int i = 0; i < services; i++) {
            svcs.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-").append(i)
                    .append("}\nspec:\n  selector: {app: web-").append(i % groups).append("}\n  ports: [{port: 80, targetPort: 8080}]\n");
        }
        Files.writeString(dir.resolve("services.yaml"), svcs);
        long t0 = System.nanoTime();
        Lab lab = Lab.deploy(dir.resolve("lab.yaml"), Lab.Options.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close));
        System.out.printf(Locale.ROOT, "deployed %s: %d Services x %d endpoints on 2 nodes (%d Deployments: a pod backs %d Services) in %.1f s%n",
                name, services, replicas, groups, services / groups, (System.nanoTime() - t0) / 1e9);
        ApiClient api = lab.api();
        List<Double> deletes = new ArrayList<>();
        int warmup = 5;
        long countBefore = 0;
        for (int r = -warmup; r < rounds; r++) {
            if (r == 0) countBefore = count(api.text("/metrics"));
            // A pod deleted in an earlier round may still be listed while it terminates: pick a live one.
            List<String> live = new ArrayList<>();
            for (JsonNode p : api.get("/api/v1/namespaces/default/pods?labelSelector=tier%3Dweb").path("items"))
                if (p.path("metadata").path("deletionTimestamp").isMissingNode()) live.add(p.path("metadata").path("name").asText());
            String victim = live.get(Math.floorMod(r, live.size()));
            long d0 = System.nanoTime();
            api.delete("/api/v1/namespaces/default/pods/" + victim);
            if (r >= 0) deletes.add((System.nanoTime() - d0) / 1e6);
            lab.awaitDeploymentsReady();
        }
        long measured = count(api.text("/metrics")) - countBefore;
        String metrics = api.text("/metrics?window=" + measured);
        Collections.sort(deletes);
        System.out.printf(Locale.ROOT, "pod deleted -> endpoints and rules on every node (API DELETE round trip, n=%d): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                deletes.size(), pct(deletes, 50), pct(deletes, 99), deletes.get(deletes.size() - 1));
        double p50 = quantile(metrics, "0.5"), p99 = quantile(metrics, "0.99"), max = quantile(metrics, "1.0");
        long count = measured;
        System.out.printf(Locale.ROOT, "controller: change seen -> rules on every node (deletes and replacements ready, after %d warm-up rounds, n=%d): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                warmup, count, p50, p99, max);
        // The target is kube-proxy's metric: change seen -> rules on every node. The DELETE round trip
        // also stops the pod's processes and removes its namespace (after its rules are gone).
        System.out.printf(Locale.ROOT, "target (controller) p99 <= 200 ms: %s%n", p99 <= 200 ? "met" : "MISSED");
    }

    /** The controller's count of programmed changes so far. */
    static long count(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("kubenetlab_network_programming_duration_seconds_count")).findFirst()
                .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).orElse(0L);
    }

    static double pct(List<Double> sorted, double p) {
        int idx = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }

    static double quantile(String metrics, String q) {
        String prefix = "kubenetlab_network_programming_duration_seconds_quantile{quantile=\"" + q + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix)).findFirst().map(l -> Double.parseDouble(l.substring(prefix.length())) * 1000)
                .orElse(Double.NaN);
    }
}
