import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.proxy.Endpoint;
import io.kubenetlab.proxy.KubeProxyRules;
import io.kubenetlab.proxy.NftablesRules;
import io.kubenetlab.proxy.NftablesSync;
import io.kubenetlab.proxy.PartialSync;
import io.kubenetlab.proxy.NodeSettings;
import io.kubenetlab.proxy.ServiceEndpoints;
import io.kubenetlab.proxy.ServicePort;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * On-demand kube-proxy rules benchmark (not part of the Maven test suite). Run from the repository root:
 *
 * <pre>
 *   java -cp target/kubenetlab.jar bench/ProxyBench.java [options]
 * </pre>
 *
 * For N ClusterIP Services x E endpoints on one node it measures how long {@code KubeProxyRules.render}
 * takes (in-process, after 2 s of JIT warm-up; the first, cold call is printed too) and how long the kernel takes to load that payload with
 * {@code iptables-nft-restore} and {@code iptables-legacy-restore --noflush}: each restore goes into a fresh
 * throwaway network namespace ({@code knl-proxybench-<pid>-<n>}, bootstrap() applied first, untimed), which
 * is deleted in a finally block (and by a shutdown hook on Ctrl-C). The restores need root; without root only
 * the generation is measured. Target: generation at most --target % (default 10) of the restore time.
 *
 * <p>With {@code --modes} including nftables (the default is both), the same Services are also written as
 * kube-proxy's nftables table ({@code NftablesRules.render}) and loaded with {@code nft -f} into a fresh
 * namespace; both modes also load the partial sync after one endpoint moved.
 */
public final class ProxyBench {
    static final long PID = ProcessHandle.current().pid();
    static int seq = 0;
    /** Namespaces this run created and has not deleted yet: the shutdown hook deletes them, by name. */
    static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static List<Integer> serviceCounts = List.of(1000, 10000);
    static int endpointsPerService = 5;
    static int genReps = 10;
    static int restoreReps = 3;
    static double targetPercent = 10.0;
    static List<String> iptables = List.of("iptables-nft", "iptables-legacy");
    static List<String> modes = List.of("iptables", "nftables");

    static final NodeSettings NODE = NodeSettings.of("node1", Ipv4.parse("10.100.0.2"), Cidr.parse("10.0.0.0/14"));

    public static void main(String[] args) throws Exception {
        parseArgs(args);
        Runtime.getRuntime().addShutdownHook(new Thread(ProxyBench::onShutdown, "proxybench-cleanup"));
        boolean root = "root".equals(System.getProperty("user.name"));
        header(root);

        List<String> summary = new ArrayList<>();
        for (int n : serviceCounts) {
            List<ServiceEndpoints> services = services(n, endpointsPerService);
            List<ServiceEndpoints> changed = oneEndpointMoved(services);
            System.out.printf(Locale.ROOT, "%d services x %d endpoints (%d endpoints)%n", n, endpointsPerService, n * endpointsPerService);
            if (modes.contains("iptables")) {
                iptablesMode(n, services, changed, root, summary);
            }
            if (modes.contains("nftables")) {
                nftablesMode(n, services, changed, root, summary);
            }
            System.out.println();
        }
        System.out.println("summary (medians; target: render <= " + (int) targetPercent + "% of restore)");
        summary.forEach(s -> System.out.println("   " + s));
    }

    /** render() timed after warm-up; returns the payload of the last call. */
    static String timedRender(String what, BiFunction<List<ServiceEndpoints>, NodeSettings, String> render,
                              List<ServiceEndpoints> services, long[] gen) {
        // The first call runs interpreted; then warm up for 2 s (at least 3 calls) so the JIT has
        // compiled the renderer: the timed calls measure what a long-running process would see.
        long cold = System.nanoTime();
        render.apply(services, NODE);
        cold = System.nanoTime() - cold;
        int warmups = 0;
        for (long end = System.nanoTime() + 2_000_000_000L; warmups < 3 || System.nanoTime() < end; warmups++) {
            render.apply(services, NODE);
        }
        String payload = null;
        for (int i = 0; i < gen.length; i++) {
            long t0 = System.nanoTime();
            payload = render.apply(services, NODE);
            gen[i] = System.nanoTime() - t0;
        }
        System.out.printf(Locale.ROOT, "   %s, first call in this JVM: %.1f ms (not counted; then %d warm-up calls)%n", what, ms(cold), warmups);
        print(what, gen);
        return payload;
    }

    static void iptablesMode(int n, List<ServiceEndpoints> services, List<ServiceEndpoints> changed, boolean root, List<String> summary)
            throws IOException, InterruptedException {
        System.out.println(" iptables mode");
        long[] gen = new long[genReps];
        String payload = timedRender("render()", KubeProxyRules::render, services, gen);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        long lines = payload.chars().filter(c -> c == '\n').count();
        long chains = payload.lines().filter(l -> l.startsWith(":")).count();
        System.out.printf(Locale.ROOT, "   payload: %.1f MB, %d lines (%d chains, %d rules)%n",
                bytes.length / 1e6, lines, chains, payload.lines().filter(l -> l.startsWith("-A ")).count());
        String next = KubeProxyRules.render(changed, NODE);
        String partial = PartialSync.restoreText(payload, next);
        System.out.printf(Locale.ROOT, "   one endpoint moved: partial sync of %.1f kB, %d lines%n",
                partial.length() / 1e3, partial.lines().count());

        if (!root) {
            System.out.println("   restore: skipped (not root)");
            summary.add(String.format(Locale.ROOT, "%6d services, iptables: render %8.1f ms (restore not measured: not root)", n, ms(median(gen))));
            return;
        }
        Path file = Files.createTempFile("knl-proxybench", ".rules");
        try {
            Files.write(file, bytes);
            for (String ipt : iptables) {
                if (!onPath(ipt + "-restore")) {
                    System.out.println("   " + ipt + "-restore: not installed, skipped");
                    continue;
                }
                Loads loads = measureLoads(ipt + "-restore", List.of(ipt + "-restore", "--noflush"),
                        KubeProxyRules.bootstrap(), file, file, partial);
                long[] fresh = loads.fresh(), resync = loads.resync(), oneChange = loads.oneChange();
                double pct = 100.0 * median(gen) / median(fresh);
                String verdict = pct <= targetPercent ? "meets" : "MISSES";
                System.out.printf(Locale.ROOT, "   render / %s-restore (fresh, medians): %.1f%%  -> %s the target of <= %.0f%%%n",
                        ipt, pct, verdict, targetPercent);
                summary.add(String.format(Locale.ROOT,
                        "%6d services: render %8.1f ms, %-24s %9.1f ms fresh, %9.1f ms resync, %8.1f ms one endpoint: render = %5.1f%% (%s)",
                        n, ms(median(gen)), ipt + "-restore", ms(median(fresh)), ms(median(resync)), ms(median(oneChange)), pct, verdict));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * kube-proxy's nftables mode: the table as one {@code nft -f} transaction into a fresh namespace, the
     * full sync a restarted kube-proxy does over it, and the partial sync after one endpoint moved (the
     * changed endpoint chain, its service chain and nothing else).
     */
    static void nftablesMode(int n, List<ServiceEndpoints> services, List<ServiceEndpoints> changed, boolean root, List<String> summary)
            throws IOException, InterruptedException {
        System.out.println(" nftables mode");
        long[] gen = new long[genReps];
        String payload = timedRender("NftablesRules.render()", NftablesRules::render, services, gen);
        System.out.printf(Locale.ROOT, "   payload: %.1f MB, %d lines (%d chains)%n", payload.length() / 1e6, payload.lines().count(),
                payload.lines().filter(l -> l.startsWith("add chain ")).count());
        String full = NftablesSync.syncText("", payload);
        String next = NftablesRules.render(changed, NODE);
        long[] diff = new long[genReps];
        String partial = null;
        for (int i = 0; i < genReps; i++) {
            long t0 = System.nanoTime();
            partial = NftablesSync.syncText(payload, next);
            diff[i] = System.nanoTime() - t0;
        }
        print("NftablesSync.syncText() (one endpoint)", diff);
        System.out.printf(Locale.ROOT, "   one endpoint moved: partial sync of %.1f kB, %d lines%n", partial.length() / 1e3, partial.lines().count());
        if (!root) {
            System.out.println("   nft -f: skipped (not root)");
            summary.add(String.format(Locale.ROOT, "%6d services, nftables: render %8.1f ms (nft -f not measured: not root)", n, ms(median(gen))));
            return;
        }
        if (!onPath("nft")) throw new IllegalStateException("nft is not installed (scripts/setup.sh installs it)");
        // a fresh node is given the rendered table; a restarted kube-proxy's full sync flushes and refills it
        Loads loads = measureLoads("nft -f", List.of("nft", "-f", "/dev/stdin"), null, payload, full, partial);
        long[] fresh = loads.fresh(), resync = loads.resync(), oneChange = loads.oneChange();
        summary.add(String.format(Locale.ROOT,
                "%6d services: render %8.1f ms, %-24s %9.1f ms fresh, %9.1f ms resync, %8.1f ms one endpoint (sync text %.1f ms)",
                n, ms(median(gen)), "nft -f", ms(median(fresh)), ms(median(resync)), ms(median(oneChange)), ms(median(diff))));
    }

    /** Times of one loader: nothing, a fresh node, the same full text again, the one-endpoint partial. */
    record Loads(long[] empty, long[] fresh, long[] resync, long[] oneChange) {}

    /**
     * {@code restoreReps} times, each in its own fresh namespace: the command with nothing to load (process
     * start-up and netns switch), {@code bootstrap} (untimed, when given), then {@code first} on the fresh
     * node, {@code full} over it (a later full sync: every declared chain is replaced), and the partial.
     */
    static Loads measureLoads(String label, List<String> command, Object bootstrap, Object first, Object full, Object partial)
            throws IOException, InterruptedException {
        Loads loads = new Loads(new long[restoreReps], new long[restoreReps], new long[restoreReps], new long[restoreReps]);
        for (int i = 0; i < restoreReps; i++) {
            String ns = newNamespace();
            try {
                load(ns, command, null); // warms the binary's pages
                loads.empty()[i] = load(ns, command, null);
                if (bootstrap != null) load(ns, command, bootstrap);
                loads.fresh()[i] = load(ns, command, first);
                loads.resync()[i] = load(ns, command, full);
                loads.oneChange()[i] = load(ns, command, partial);
            } finally {
                deleteNamespace(ns);
            }
        }
        print(label + ", empty input", loads.empty());
        print(label + ", fresh node", loads.fresh());
        print(label + ", full resync", loads.resync());
        print(label + ", one endpoint moved", loads.oneChange());
        return loads;
    }

    /** The same Services with the first endpoint of the first Service at a new address. */
    static List<ServiceEndpoints> oneEndpointMoved(List<ServiceEndpoints> services) {
        List<ServiceEndpoints> out = new ArrayList<>(services);
        ServiceEndpoints first = out.get(0);
        List<Endpoint> eps = new ArrayList<>(first.endpoints());
        Endpoint e = eps.get(0);
        eps.set(0, new Endpoint(Ipv4.parse("10.3.255.254"), e.port(), e.nodeName(), true, true, false));
        out.set(0, new ServiceEndpoints(first.service(), eps));
        return out;
    }

    /**
     * N ClusterIP services "bench/svc-NNNNN", port "http" 80/TCP, cluster IPs from 10.96.0.0/12, each with E
     * ready endpoints on :8080 spread over five nodes (one in five on this node), pod IPs from 10.0.0.0/14.
     */
    static List<ServiceEndpoints> services(int n, int perService) {
        Cidr serviceCidr = Cidr.parse("10.96.0.0/12");
        Cidr podCidr = Cidr.parse("10.0.0.0/14");
        List<ServiceEndpoints> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ServicePort sp = new ServicePort("bench", String.format(Locale.ROOT, "svc-%05d", i), "http", "TCP",
                    serviceCidr.address(i + 1), 80, 0, List.of(), List.of(), List.of(), 0, false, false, 0);
            List<Endpoint> eps = new ArrayList<>(perService);
            for (int j = 0; j < perService; j++) {
                eps.add(new Endpoint(podCidr.address(1 + (long) i * perService + j), 8080, "node" + (j % 5 + 1), true, true, false));
            }
            out.add(new ServiceEndpoints(sp, eps));
        }
        return out;
    }

    /** Runs the command in the namespace with the payload on stdin (a String, a file, or null: empty); returns its time. */
    static long load(String ns, List<String> command, Object input) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path err = Files.createTempFile("knl-proxybench", ".err");
        Path in = null;
        try {
            pb.redirectError(err.toFile());
            if (input instanceof Path p) {
                pb.redirectInput(p.toFile());
            } else if (input instanceof String s) {
                in = Files.createTempFile("knl-proxybench", ".in");
                Files.writeString(in, s);
                pb.redirectInput(in.toFile());
            } else {
                pb.redirectInput(new File("/dev/null"));
            }
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " in " + ns + " did not finish in 600 s");
            }
            long t = System.nanoTime() - t0;
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " in " + ns + " failed (exit " + p.exitValue() + "): " + Files.readString(err));
            }
            return t;
        } finally {
            Files.deleteIfExists(err);
            if (in != null) Files.deleteIfExists(in);
        }
    }

    static String newNamespace() throws IOException, InterruptedException {
        String ns = "knl-proxybench-" + PID + "-" + (++seq);
        LIVE.add(ns);
        int exit = new ProcessBuilder("ip", "netns", "add", ns).inheritIO().start().waitFor();
        if (exit != 0) {
            LIVE.remove(ns);
            throw new IllegalStateException("ip netns add " + ns + " failed");
        }
        return ns;
    }

    /** Deletes one namespace this run created, by its exact name. */
    static void deleteNamespace(String ns) {
        try {
            new ProcessBuilder("ip", "netns", "delete", ns).inheritIO().start().waitFor();
        } catch (IOException e) {
            System.err.println("bench: cannot delete namespace " + ns + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(ns);
    }

    static void onShutdown() {
        for (String ns : new ArrayList<>(LIVE)) {
            System.err.println("bench: deleting namespace " + ns);
            deleteNamespace(ns);
        }
    }

    static boolean onPath(String binary) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) return true;
        }
        return false;
    }

    static long median(long[] samples) {
        long[] v = samples.clone();
        Arrays.sort(v);
        return v[(v.length - 1) / 2];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static void print(String what, long[] samples) {
        long[] v = samples.clone();
        Arrays.sort(v);
        StringBuilder all = new StringBuilder();
        for (long s : samples) all.append(all.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", ms(s)));
        System.out.printf(Locale.ROOT, "   %-40s min %9.1f ms   median %9.1f ms   max %9.1f ms   [%s]%n",
                what, ms(v[0]), ms(v[(v.length - 1) / 2]), ms(v[v.length - 1]), all);
    }

    static void header(boolean root) {
        System.out.println("kubenetlab kube-proxy rules benchmark  (pid " + PID + ", namespaces named knl-proxybench-" + PID + "-N)");
        System.out.println("   " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version")
                + ", kernel " + System.getProperty("os.version") + ", " + version("iptables-nft") + ", " + version("iptables-legacy"));
        System.out.println("   modes " + modes + ", " + version("nft") + ", services " + serviceCounts + " x " + endpointsPerService + " endpoints, render reps " + genReps
                + ", restore reps " + restoreReps + (root ? "" : "  (not root: restores skipped)"));
        System.out.println();
    }

    static String version(String ipt) {
        if (!onPath(ipt)) return ipt + " not installed";
        try {
            Process p = new ProcessBuilder(ipt, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            return ipt + " ?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ipt + " ?";
        }
    }

    static void parseArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--services" -> serviceCounts = Arrays.stream(next(args, ++i, a).split(",")).map(Integer::parseInt).toList();
                case "--endpoints" -> endpointsPerService = Integer.parseInt(next(args, ++i, a));
                case "--reps" -> genReps = Integer.parseInt(next(args, ++i, a));
                case "--restore-reps" -> restoreReps = Integer.parseInt(next(args, ++i, a));
                case "--target" -> targetPercent = Double.parseDouble(next(args, ++i, a));
                case "--iptables" -> iptables = List.of(next(args, ++i, a).split(","));
                case "--modes" -> modes = List.of(next(args, ++i, a).split(","));
                case "--help", "-h" -> {
                    System.out.println("""
                            usage: java -cp target/kubenetlab.jar bench/ProxyBench.java [options]   (as root for the restores)
                              --services N,N       service counts (default 1000,10000)
                              --endpoints E        ready endpoints per service (default 5)
                              --reps R             timed render() runs per size, after 2 s of warm-up (default 10)
                              --restore-reps R     restores per size and binary, each in a fresh namespace (default 3)
                              --iptables A,B       iptables variants (default iptables-nft,iptables-legacy)
                              --modes M,M          kube-proxy modes (default iptables,nftables)
                              --target P           render's target share of the restore time, in % (default 10)""");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (--help lists them)");
            }
        }
        if (serviceCounts.isEmpty() || endpointsPerService < 1 || genReps < 1 || restoreReps < 1) {
            throw new IllegalArgumentException("counts and reps must be positive");
        }
    }

    static String next(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }
}
