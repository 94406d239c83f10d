package io.kubenetlab.cli;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.lab.LabException;
import io.kubenetlab.lab.ServiceRecord;
import io.kubenetlab.output.ServiceView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "describe", description = "Show a Service in detail, like kubectl describe services NAME.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Parameters(index = "0", paramLabel = "RESOURCE", description = "services (svc)")
    String resource;

    @Parameters(index = "1..*", paramLabel = "NAME")
    List<String> names = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default")
    String namespace;

    @Override
    public Integer call() {
        if (!List.of("services", "service", "svc").contains(resource.toLowerCase())) {
            throw new IllegalArgumentException("describe knows services (svc); for pods use: kubenetlab get pods NAME -o yaml");
        }
        Lab lab = labOption.open();
        List<ServiceRecord> chosen = new ArrayList<>();
        for (ServiceRecord s : lab.state().services) {
            if (s.namespace().equals(namespace) && (names.isEmpty() || names.contains(s.name()))) chosen.add(s);
        }
        for (String n : names) {
            if (chosen.stream().noneMatch(s -> s.name().equals(n))) throw new LabException("services \"" + n + "\" not found");
        }
        for (int i = 0; i < chosen.size(); i++) {
            if (i > 0) System.out.println();
            ServiceRecord s = chosen.get(i);
            System.out.print(ServiceView.describe(s, lab.state().endpoints.getOrDefault(s.key(), List.of())));
        }
        return 0;
    }
}
