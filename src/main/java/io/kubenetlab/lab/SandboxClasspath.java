package io.kubenetlab.lab;

import io.kubenetlab.runtime.netns.NetnsRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class path of the JVMs that run inside sandboxes (the cluster DNS pod). Every sandbox mounts a
 * /tmp and a /dev/shm of its own, so a class path entry there (a checkout in /tmp, a jar copied to
 * /tmp) would be out of the sandbox's sight: such entries are staged into the lab's state directory
 * when the lab is deployed, and destroy removes them with it.
 */
final class SandboxClasspath {
    private SandboxClasspath() {}

    /** The class path as sandboxes see it: entries under a private directory moved to {@code <labDir>/classpath/}. */
    static String of(String classpath, Path labDir) {
        List<String> out = new ArrayList<>();
        String[] entries = classpath.split(":");
        for (int i = 0; i < entries.length; i++) out.add(hidden(entries[i]) ? staged(i, entries[i], labDir).toString() : entries[i]);
        return String.join(":", out);
    }

    /** Copies the hidden entries to where {@link #of} says they are; nothing when none is hidden. */
    static void stage(String classpath, Path labDir) {
        String[] entries = classpath.split(":");
        for (int i = 0; i < entries.length; i++) {
            if (!hidden(entries[i]) || !Files.exists(Path.of(entries[i]))) continue;
            copy(Path.of(entries[i]), staged(i, entries[i], labDir));
        }
    }

    private static boolean hidden(String entry) {
        return NetnsRuntime.hiddenFromSandboxes(entry);
    }

    private static Path staged(int index, String entry, Path labDir) {
        return labDir.resolve("classpath").resolve(index + "-" + Path.of(entry).getFileName());
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + from + " for the lab's sandboxes", e);
        }
    }
}
