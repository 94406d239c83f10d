package io.kubenetlab.cli;

import io.kubenetlab.api.Resources;
import io.kubenetlab.lab.Lab;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubectl logs} through the lab's API (pods/log); an outside host's command log is read from its file. */
@Command(name = "logs", description = "Print a pod container's output (stdout and stderr), or an outside host's.")
final class LogsCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Parameters(index = "0", paramLabel = "POD")
    String pod;

    @Option(names = {"-c", "--container"}, paramLabel = "NAME")
    String container;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until interrupted.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "LINES", defaultValue = "-1", description = "Only the last LINES lines.")
    int tail;

    @Mixin
    NamespaceOption namespaceOption;

    @Override
    public Integer call() throws IOException {
        Lab lab = labOption.open();
        if (lab.state().pod(pod).isEmpty() && lab.state().machine(pod).isPresent()) {
            System.out.print(lab.logs(pod, null)); // outside hosts are not API objects
            return 0;
        }
        StringBuilder q = new StringBuilder("?");
        if (container != null) q.append("container=").append(Kinds.enc(container)).append('&');
        if (tail >= 0) q.append("tailLines=").append(tail).append('&');
        if (follow) q.append("follow=true&");
        String path = Kinds.object(Resources.PODS, namespaceOption.namespace, pod) + "/log" + q.substring(0, q.length() - 1);
        try (InputStream in = lab.api().stream(path)) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                System.out.write(buf, 0, n);
                System.out.flush();
            }
        }
        return 0;
    }
}
