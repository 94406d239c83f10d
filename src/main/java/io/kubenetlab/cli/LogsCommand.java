package io.kubenetlab.cli;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.runtime.Procs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path file = lab.logFile(pod, container);
        if (!follow) {
            System.out.print(lab.logs(pod, container));
            return 0;
        }
        long pos = 0;
        while (true) {
            if (Files.exists(file)) {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                    if (f.length() > pos) {
                        f.seek(pos);
                        byte[] buf = new byte[(int) (f.length() - pos)];
                        f.readFully(buf);
                        System.out.write(buf);
                        System.out.flush();
                        pos = f.length();
                    }
                }
            }
            Procs.sleep(200);
        }
    }
}
