package io.kubenetlab.cli;

import io.kubenetlab.controller.ControllerMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The lab's controller process itself; deploy starts it, destroy stops it. Not for users to call. */
@Command(name = "controller", hidden = true, description = "Run a lab's controller and Kubernetes API (started by deploy).")
final class ControllerCommand implements Callable<Integer> {
    @Option(names = "--lab", required = true, paramLabel = "NAME")
    String lab;

    @Override
    public Integer call() throws Exception {
        return ControllerMain.run(lab);
    }
}
