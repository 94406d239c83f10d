package io.kubenetlab.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "exec", description = "Run a command in a pod, node, outside host or the router: kubenetlab exec TARGET -- CMD ARGS...")
final class ExecCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "Container of the pod (default: its first).")
    String container;

    @Option(names = {"-i", "--stdin"}, description = "Accepted for kubectl compatibility: stdin is always passed.")
    boolean stdin;

    @Option(names = {"-t", "--tty"}, description = "Accepted for kubectl compatibility: the terminal is always passed.")
    boolean tty;

    @Parameters(index = "0", paramLabel = "TARGET")
    String target;

    @Parameters(index = "1..*", paramLabel = "CMD", arity = "1..*")
    List<String> command;

    @Override
    public Integer call() {
        return labOption.open().exec(target, container, command);
    }
}
