package io.kubenetlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kubenetlab.trace.TraceReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "trace", description = {
        "Make one real connection from FROM to TO and trace it hop by hop in Kubernetes' names: the chains it matched,",
        "the endpoint kube-proxy's random choice picked, where its address was rewritten, the routes that carried it,",
        "what answered. The kernel traces only that connection (nftrace in a table of the tracer's own in each machine",
        "namespace); everything the trace adds is removed afterwards.",
        "FROM: a pod, a node, the router, an outside host or the load balancer (lb).",
        "TO: a Service (NAME, NAMESPACE/NAME, NAME:PORT; its EXTERNAL-IP when FROM is outside), a pod (NAME[:PORT]),",
        "NODE:NODEPORT, a host, or IP[:PORT]."})
final class TraceCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Parameters(index = "0", paramLabel = "FROM")
    String from;

    @Parameters(index = "1", paramLabel = "TO")
    String to;

    @Option(names = "--proto", paramLabel = "tcp|udp", description = "The protocol (default: the target port's).")
    String protocol;

    @Option(names = "--source-port", paramLabel = "PORT", description = "The connection's source port (default: a random one in 20000-29999).")
    int sourcePort;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json.")
    String output = "text";

    @Override
    public Integer call() throws Exception {
        if (!output.equals("text") && !output.equals("json")) throw new IllegalArgumentException("trace: -o must be text or json, not " + output);
        if (sourcePort < 0 || sourcePort > 65535) throw new IllegalArgumentException("trace: --source-port must be 1-65535");
        TraceReport report = labOption.open().trace(from, to, protocol, sourcePort);
        if (output.equals("json")) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            System.out.print(report.text());
        }
        return 0;
    }
}
