package io.kubenetlab.cli;

import io.kubenetlab.ui.UiHandler;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ui", description = {"Print the URL of the lab's live page: its graph (as `graph` draws it), following every",
        "change within a second, with each pod's and Service's details on a click. The controller serves it on",
        "127.0.0.1 with the lab's self-signed certificate (the browser warns once); the URL carries the page's own token."})
final class UiCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Override
    public Integer call() {
        LabOption.Served s = labOption.served();
        System.out.println(UiHandler.url(s.api().url(), s.files().uiToken()));
        return 0;
    }
}
