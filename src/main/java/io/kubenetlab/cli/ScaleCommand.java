package io.kubenetlab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scale", description = {"Set a Deployment's replicas, like kubectl scale deployment NAME --replicas=N.",
        "New pods get names, addresses and endpoints; removed ones leave the Services' rules on every node."})
final class ScaleCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Parameters(index = "0", paramLabel = "RESOURCE", description = "deployment NAME, or deployment/NAME")
    String resource;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--replicas", required = true, paramLabel = "N")
    int replicas;

    @Mixin
    NamespaceOption namespaceOption;

    @Override
    public Integer call() {
        String kind = resource, target = name;
        if (resource.contains("/")) {
            kind = resource.substring(0, resource.indexOf('/'));
            target = resource.substring(resource.indexOf('/') + 1);
        }
        if (!java.util.List.of("deployment", "deployments", "deploy", "deployment.apps").contains(kind) || target == null) {
            throw new IllegalArgumentException("usage: kubenetlab scale deployment NAME --replicas N");
        }
        labOption.open().scale(target, namespaceOption.namespace, replicas);
        System.out.println("deployment.apps/" + target + " scaled");
        return 0;
    }
}
