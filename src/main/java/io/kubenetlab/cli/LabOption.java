package io.kubenetlab.cli;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.store.LabStore;
import picocli.CommandLine.Option;

/** {@code --lab NAME}: which lab a command works on; with one lab running it is the default. */
public final class LabOption {
    @Option(names = "--lab", paramLabel = "NAME", description = "The lab to use (default: the only running lab).")
    String lab;

    /**
     * The lab's Kubernetes API (our commands are its clients, as kubectl is), from the controller's files
     * only: not the lab's state, whose JSON is the slowest part of a cold CLI's start (0.16 s of {@code get pods}).
     */
    io.kubenetlab.client.ApiClient api() {
        LabStore store = LabStore.fromEnvironment();
        String name = name(store);
        store.requireLab(name);
        return new io.kubenetlab.client.LabClient(store, name).api();
    }

    /** A lab whose controller runs (started if it was not), and its files: for verbs that hand out how to reach its API. */
    record Served(Lab lab, io.kubenetlab.client.ControllerFiles.Endpoint api, io.kubenetlab.client.ControllerFiles files) {}

    Served served() {
        LabStore store = LabStore.fromEnvironment();
        String name = name(store);
        Lab opened = Lab.open(name, store).reader();
        return new Served(opened, io.kubenetlab.client.ControllerProcess.ensureRunning(store, name), new io.kubenetlab.client.ControllerFiles(store, name));
    }

    Lab open() {
        LabStore store = LabStore.fromEnvironment();
        return Lab.open(name(store), store).reader();
    }

    /** The lab meant: the one named, or the only one there is. */
    private String name(LabStore store) {
        return Lab.resolveName(lab, store);
    }
}
