package io.kubenetlab.cli;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.lab.Orphans;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "destroy", description = "Remove a lab: its processes, namespaces, links and state files, and nothing else.")
final class DestroyCommand implements Callable<Integer> {
    static final class Which {
        @Option(names = {"-t", "--topo"}, paramLabel = "FILE", description = "The lab file the lab was deployed from.")
        Path topology;

        @Option(names = {"--name", "--lab"}, paramLabel = "NAME", description = "The lab's name.")
        String name;

        @Option(names = "--all", description = "Every lab on this machine.")
        boolean all;

        @Option(names = "--orphans", description = "Every lab a test run started (Java API, JUnit 5 extension) whose JVM is gone;"
                + " labs of the CLI and of running tests are left alone.")
        boolean orphans;
    }

    @ArgGroup(exclusive = true)
    Which which = new Which();

    @Override
    public Integer call() {
        LabStore store = LabStore.fromEnvironment();
        if (which.orphans) {
            List<Orphans.Reaped> reaped = Orphans.destroy(store);
            for (Orphans.Reaped r : reaped) System.out.printf("lab %s destroyed in %d ms (its test run is gone: %s)%n", r.lab(), r.millis(), r.owner());
            if (reaped.isEmpty()) System.out.println("no orphaned labs: nothing to do");
            return 0;
        }
        List<String> names;
        if (which.all) names = store.list();
        else if (which.topology != null) names = List.of(TopologyLoader.load(which.topology).name());
        else names = List.of(Lab.resolveName(which.name, store));
        for (String n : names) {
            if (!store.exists(n)) {
                System.out.println("lab " + n + " does not exist: nothing to do");
                continue;
            }
            long t0 = System.nanoTime();
            Lab.destroy(n, store);
            System.out.printf("lab %s destroyed in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
        }
        if (names.isEmpty()) System.out.println("no labs: nothing to do");
        return 0;
    }
}
