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

    /** Deploy's early start: wait for the lab to be whole (or exit when this deploying process is gone). */
    @Option(names = "--standby-for", paramLabel = "PID:START_TICKS")
    String standbyFor;

    @Override
    public Integer call() throws Exception {
        io.kubenetlab.model.ProcessRef deployer = null;
        if (standbyFor != null) {
            String[] f = standbyFor.split(":");
            deployer = new io.kubenetlab.model.ProcessRef(Long.parseLong(f[0]), Long.parseLong(f[1]));
        }
        return ControllerMain.run(lab, deployer);
    }
}
