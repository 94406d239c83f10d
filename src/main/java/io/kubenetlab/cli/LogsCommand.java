package io.kubenetlab.cli;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.runtime.Procs;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Print a pod container's output (stdout and stderr).")
final class LogsCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Parameters(index = "0", paramLabel = "POD")
    String pod;

    @Option(names = {"-c", "--container"}, paramLabel = "NAME")
    String container;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until interrupted.")
    boolean follow;

    @Override
    public Integer call() throws IOException {
        Lab lab = labOption.open();
        if (!follow) {
            System.out.print(lab.logs(pod, container));
            return 0;
        }
        // Polling the whole output keeps -f the same on every runtime (files or the engine's logs).
        int printed = 0;
        while (true) {
            String all = lab.logs(pod, container);
            if (all.length() > printed) {
                System.out.print(all.substring(printed));
                System.out.flush();
                printed = all.length();
            }
            Procs.sleep(200);
        }
    }
}
