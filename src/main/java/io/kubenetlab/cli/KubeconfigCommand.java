package io.kubenetlab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "kubeconfig", description = {"Print the path of the lab's kubeconfig, for kubectl:",
        "  export KUBECONFIG=$(kubenetlab kubeconfig)"})
final class KubeconfigCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Override
    public Integer call() {
        System.out.println(labOption.served().lab().kubeconfig());
        return 0;
    }
}
