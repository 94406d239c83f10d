package io.kubenetlab.cli;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.verify.CheckResult;
import io.kubenetlab.verify.Report;
import io.kubenetlab.verify.Verifier;
import io.kubenetlab.verify.VerifyPlan;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Check the lab's Services with real traffic, as the article does, and print a report"
        + " (one PASS/FAIL line per check); exit 1 when a check fails. Checks: the ClusterIP's spread from every client pod"
        + " (chi-square p-value), every node's NodePort from the outside host, the ClusterIP from every node and pod, hairpin,"
        + " refusal by Services without endpoints, and DNS: every Service name (all namespaces) resolved from every pod to its"
        + " ClusterIP or ready endpoints, and a missing name failing at once (NXDOMAIN).")
final class VerifyCommand implements Callable<Integer> {
    static final int MAX_REQUESTS = 1000;

    @Mixin
    LabOption labOption;

    @Option(names = {"-n", "--requests"}, paramLabel = "REQUESTS", defaultValue = "60",
            description = "Requests per client and Service, and per node and NodePort (default: ${DEFAULT-VALUE}).")
    int requests;

    @Override
    public Integer call() {
        if (requests < 1 || requests > MAX_REQUESTS) {
            throw new IllegalArgumentException("-n: between 1 and " + MAX_REQUESTS + " requests, not " + requests);
        }
        Lab lab = labOption.open();
        VerifyPlan plan = VerifyPlan.of(lab.state(), requests);
        List<CheckResult> results = new Verifier(lab::execCapture).run(plan, line -> {
            System.out.println(line);
            System.out.flush();
        });
        return Report.allPassed(results) ? 0 : 1;
    }
}
