package io.kubenetlab.cli;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
import picocli.CommandLine.Option;

/** {@code --lab NAME}: which lab a command works on; with one lab running it is the default. */
public final class LabOption {
    @Option(names = "--lab", paramLabel = "NAME", description = "The lab to use (default: the only running lab).")
    String lab;

    /** The lab's Kubernetes API (our commands are its clients, as kubectl is). */
    io.kubenetlab.client.ApiClient api() {
        return open().api();
    }

    Lab open() {
        LabStore store = LabStore.fromEnvironment();
        return Lab.open(Lab.resolveName(lab, store), store).reader();
    }
}
