package io.kubenetlab.cli;

import io.kubenetlab.client.ControllerProcess;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
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
        LabStore store = LabStore.fromEnvironment();
        String name = Lab.resolveName(labOption.lab, store);
        Lab lab = Lab.open(name, store).reader();
        ControllerProcess.ensureRunning(store, name);
        System.out.println(lab.kubeconfig());
        return 0;
    }
}
