package io.kubenetlab.cli;

import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.images.ImageProfile;
import io.kubenetlab.output.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "images", description = "Show how the netns runtime runs each image with host tools.")
final class ImagesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Table t = new Table(List.of("IMAGES", "PROFILE", "DEFAULT COMMAND", "WHAT THE CONTAINER GETS"));
        for (ImageProfile p : ImageCatalog.PROFILES) {
            List<String> def = new java.util.ArrayList<>(p.entrypoint());
            def.addAll(p.cmd());
            t.row(List.of(String.join(",", p.images()), p.name(), String.join(" ", def), p.description()));
        }
        System.out.print(t.render());
        return 0;
    }
}
