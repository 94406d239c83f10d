package io.kubenetlab.cli;

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

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long each workload may take to become ready (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        Lab.Options options = Lab.Options.defaults().withName(name).withReadyTimeout(Duration.ofSeconds(timeout))
                .withProgress(Progress.to(System.out)).withRuntime(runtime);
        Lab lab = Lab.deploy(topology, options);
        System.out.printf("Lab %s is up in %d ms.%n%n", lab.name(), (System.nanoTime() - t0) / 1_000_000);
        System.out.print(InspectCommand.render(lab));
        System.out.printf("%nTry: kubenetlab get pods -o wide | kubenetlab exec %s -- ip route | kubenetlab destroy --name %s%n",
                lab.topology().nodes().get(0).name(), lab.name());
        return 0;
    }
}
