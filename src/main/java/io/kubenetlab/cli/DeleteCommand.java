package io.kubenetlab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Delete pods, like kubectl delete pod NAME...; a Deployment replaces its pods.")
final class DeleteCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Parameters(index = "0", paramLabel = "RESOURCE", description = "pod (po)")
    String resource;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        if (!List.of("pod", "pods", "po").contains(resource)) {
            throw new IllegalArgumentException("kubenetlab delete knows pods: kubenetlab delete pod NAME...");
        }
        labOption.open().deletePods(names);
        names.forEach(n -> System.out.println("pod \"" + n + "\" deleted"));
        return 0;
    }
}
