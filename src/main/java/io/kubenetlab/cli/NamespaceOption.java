package io.kubenetlab.cli;

import picocli.CommandLine.Option;

/** {@code -n/--namespace NS}, as kubectl takes it: the namespace a command works in (default: default). */
final class NamespaceOption {
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;
}
