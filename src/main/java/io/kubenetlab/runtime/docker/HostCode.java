package io.kubenetlab.runtime.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cluster DNS pod runs this tool's own code (io.kubenetlab.dns.DnsServer) with the JVM that
 * deploys the lab. In a container that code is bind-mounted, read-only, at the same paths: the JVM's
 * home (and the files its symlinks point to, such as /etc/java-17-openjdk), every host path the
 * command names (the jar or class directories, split on ':'), and the zone file's directory — the
 * directory, not the file, because the lab replaces the zone by a rename the server must see.
 * Robust where baking a JRE into the image is not: the image cannot know the host's Java or jar.
 */
final class HostCode {
    private HostCode() {}

    static Map<String, String> binds(List<String> argv) {
        Map<String, String> binds = new LinkedHashMap<>();
        if (argv.isEmpty()) return binds;
        Path java = Path.of(argv.get(0));
        if (java.isAbsolute() && java.getParent() != null && java.getParent().getParent() != null) {
            Path home = java.getParent().getParent();
            add(binds, home);
            symlinkTargets(home).forEach(t -> add(binds, t));
        }
        for (String arg : argv.subList(1, argv.size())) {
            for (String part : arg.split(":")) {
                if (!part.startsWith("/")) continue;
                Path p = Path.of(part);
                if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")) {
                    add(binds, p.getParent()); // the zone: its directory
                } else if (Files.exists(p)) {
                    add(binds, p);
                } else if (p.getFileName() != null && p.getFileName().toString().endsWith(".json") && p.getParent() != null) {
                    mkdirs(p.getParent()); // the zone, not written yet
                    add(binds, p.getParent());
                }
            }
        }
        return binds;
    }

    private static void add(Map<String, String> binds, Path p) {
        String s = p.toAbsolutePath().normalize().toString();
        binds.put(s, s);
    }

    /** Files the JVM's home links to outside itself (Debian keeps its config under /etc). */
    private static List<Path> symlinkTargets(Path home) {
        try (Stream<Path> walk = Files.walk(home, 4)) {
            return walk.filter(Files::isSymbolicLink).map(l -> {
                try {
                    return l.toRealPath();
                } catch (IOException e) {
                    return null; // dangling: the JVM does not use it either
                }
            }).filter(t -> t != null && !t.startsWith(home) && Files.isRegularFile(t)).distinct().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
