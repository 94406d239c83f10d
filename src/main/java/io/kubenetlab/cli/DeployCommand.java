package io.kubenetlab.cli;

import io.kubenetlab.kernel.NeighbourTable;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.lab.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "deploy", description = "Build a lab from a lab file: namespaces, bridges, routes, then the manifests' workloads in order.")
final class DeployCommand implements Callable<Integer> {
    @Option(names = {"-t", "--topo"}, required = true, paramLabel = "FILE", description = "The lab file (YAML).")
    Path topology;

    @Option(names = "--name", paramLabel = "NAME", description = "Deploy under this lab name instead of the file's.")
    String name;

    @Option(names = "--runtime", paramLabel = "RUNTIME",
            description = "netns (namespaces and host tools, no images) or docker (containers from local images); default: the lab file's runtime.")
    String runtime;

    @Option(names = "--cni", paramLabel = "PLUGIN", completionCandidates = PlanCommand.CniNames.class,
            description = "The network plugin (${COMPLETION-CANDIDATES}); default: the lab file's cni (routed).")
    String cni;

    @Option(names = "--proxy-mode", paramLabel = "MODE", description = "kube-proxy's mode: iptables or nftables; default: the lab file's proxyMode (iptables).")
    String proxyMode;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long each workload may take to become ready (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        io.kubenetlab.store.LabStore store = io.kubenetlab.store.LabStore.fromEnvironment();
        String labName = name != null ? name : io.kubenetlab.topology.TopologyLoader.load(topology).name();
        if (java.nio.file.Files.isRegularFile(store.labDir(labName).resolve(io.kubenetlab.store.LabStore.STATE_FILE))) {
            // A running lab: deploy brings its controller back if it died, and otherwise leaves it alone.
            var running = io.kubenetlab.client.ControllerProcess.running(store, labName);
            if (running.isPresent()) {
                throw new io.kubenetlab.model.LabException("lab \"" + labName + "\" is already running (Kubernetes API on " + running.get().url()
                        + "); destroy it first: kubenetlab destroy --name " + labName);
            }
            var e = io.kubenetlab.client.ControllerProcess.start(store, labName);
            System.out.printf("Lab %s was running without its controller: started it again, nothing else changed (Kubernetes API on %s).%n", labName, e.url());
            System.out.printf("kubectl: export KUBECONFIG=%s%n", Lab.open(labName, store).reader().kubeconfig());
            return 0;
        }
        Lab.Options options = Lab.Options.defaults().withName(name).withReadyTimeout(Duration.ofSeconds(timeout))
                .withProgress(Progress.to(System.out)).withRuntime(runtime).withCni(cni).withProxyMode(proxyMode);
        Lab lab = Lab.deploy(topology, options);
        System.out.printf("Lab %s is up in %d ms.%n%n", lab.name(), (System.nanoTime() - t0) / 1_000_000);
        System.out.print(InspectCommand.render(lab));
        System.out.printf("%nKubernetes API on %s%nkubectl: export KUBECONFIG=%s   (or: export KUBECONFIG=$(kubenetlab kubeconfig --lab %s))%n",
                lab.api().url(), lab.kubeconfig(), lab.name());
        System.out.printf("%nTry: kubenetlab get pods -o wide | kubenetlab exec %s -- ip route | kubenetlab destroy --name %s%n",
                lab.topology().nodes().get(0).name(), lab.name());
        int needed = NeighbourTable.entriesNeeded(lab.pods().size(), lab.state().machines.size());
        NeighbourTable.limit().ifPresent(limit -> NeighbourTable.warning(needed, limit).ifPresent(w -> System.err.println("\n" + w)));
        return 0;
    }
}
