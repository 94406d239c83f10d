package io.kubenetlab.images;

import io.kubenetlab.k8s.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The netns runtime's images: each image name maps to a profile of host tools. The table is the
 * documentation too ({@code kubenetlab images} prints it). An image or command we cannot serve is an
 * error at deploy, never a silent no-op.
 */
public final class ImageCatalog {
    /** The PATH every pod gets after its profile's shims: Debian's system directories only. */
    public static final String SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    /** The PATH a pod of this image profile sees on the netns runtime: its shims (in the lab's state directory) first. */
    public static String podPath(java.nio.file.Path stateRoot, String lab, String shimDir) {
        return new io.kubenetlab.model.LabPaths(stateRoot.resolve(lab)).images().resolve(shimDir).resolve("bin") + ":" + SYSTEM_PATH;
    }

    public static final List<ImageProfile> PROFILES = List.of(
            new ImageProfile("python2", List.of("python:2", "python:2.*"),
                    "bash and coreutils; `python -m SimpleHTTPServer PORT` served by python3's http.server; other python runs as python3",
                    "python2", List.of("python", "python2"), List.of(), List.of("python2"),
                    List.of("/bin/bash", "/usr/bin/python3")),
            new ImageProfile("python3", List.of("python", "python:3", "python:3*", "python:latest"),
                    "bash, coreutils and the host's /usr/bin/python3 as python and python3",
                    "python3", List.of("python"), List.of(), List.of("python3"), List.of("/bin/bash", "/usr/bin/python3")),
            new ImageProfile("alpine", List.of("alpine", "alpine:*", "busybox", "busybox:*"),
                    "sh (dash), coreutils, and netcat-openbsd as nc (with -N, so `echo ... | nc HOST PORT` exits after the answer)",
                    "alpine", List.of("nc"), List.of(), List.of("/bin/sh"), List.of("/bin/sh", "/bin/nc.openbsd")),
            new ImageProfile("postgres", List.of("postgres", "postgres:*"),
                    "the host's PostgreSQL: postgres-server starts a fresh trust-auth cluster in ./data; psql is on PATH",
                    "postgres", List.of("postgres-server"), List.of(), List.of("postgres-server"),
                    List.of("/usr/bin/psql", "/usr/sbin/runuser")),
            new ImageProfile("cluster-dns", List.of("kubenetlab/dns", "kubenetlab/dns:*"),
                    "the lab's cluster DNS server (io.kubenetlab.dns.DnsServer) on this JVM", "cluster-dns", List.of(), List.of(),
                    List.of(), List.of()),
            new ImageProfile("debian", List.of("debian", "debian:*", "ubuntu", "ubuntu:*", "bash", "bash:*"),
                    "the host's Debian userland as it is", "debian", List.of(), List.of(), List.of("bash"), List.of("/bin/bash")));

    private final Predicate<Path> executable;

    public ImageCatalog(Predicate<Path> executable) {
        this.executable = executable;
    }

    public static ImageCatalog ofHost() {
        return new ImageCatalog(Files::isExecutable);
    }

    /** {@code docker.io/library/python:2.7} and {@code python:2.7} are the same image. */
    static String bareName(String image) {
        String s = image;
        int at = s.indexOf('@');
        if (at >= 0) s = s.substring(0, at);
        for (String prefix : List.of("docker.io/", "index.docker.io/", "registry-1.docker.io/")) {
            if (s.startsWith(prefix)) s = s.substring(prefix.length());
        }
        if (s.startsWith("library/")) s = s.substring("library/".length());
        return s;
    }

    public ImageProfile profile(String image) {
        return PROFILES.stream().filter(p -> p.matches(image)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "image \"" + image + "\" cannot be run by the netns runtime (it has no images; known: "
                        + String.join(", ", PROFILES.stream().flatMap(p -> p.images().stream()).toList())
                        + "; see `kubenetlab images`)"));
    }

    /** The container's argv, Kubernetes' way: command replaces ENTRYPOINT, args replace CMD. */
    public static List<String> argv(Container c, ImageProfile p) {
        List<String> argv = new ArrayList<>(c.command().isEmpty() ? p.entrypoint() : c.command());
        if (!c.args().isEmpty()) argv.addAll(c.args());
        else if (c.command().isEmpty()) argv.addAll(p.cmd());
        return argv;
    }

    /**
     * Checks that argv[0] exists in this profile (a shim or the system PATH) and that the host has
     * the profile's tools; returns the argv. Throws with a user-facing reason otherwise.
     */
    public List<String> resolve(Container c, ImageProfile p) {
        for (String tool : p.hostTools()) {
            if (!executable.test(Path.of(tool))) {
                throw new IllegalArgumentException("image \"" + c.image() + "\" needs " + tool
                        + " on the host, which is missing (run scripts/setup.sh)");
            }
        }
        List<String> argv = argv(c, p);
        if (argv.isEmpty()) throw new IllegalArgumentException("no command: the container gives none and image \"" + c.image() + "\" has no default");
        String cmd = argv.get(0);
        boolean found;
        if (cmd.contains("/")) found = executable.test(Path.of(cmd));
        else found = p.shims().contains(cmd) || List.of(SYSTEM_PATH.split(":")).stream().anyMatch(d -> executable.test(Path.of(d, cmd)));
        if (!found) {
            throw new IllegalArgumentException("command \"" + cmd + "\" is not available in image \"" + c.image()
                    + "\" on the netns runtime (profile " + p.name() + ": " + p.description() + ")");
        }
        return argv;
    }
}
