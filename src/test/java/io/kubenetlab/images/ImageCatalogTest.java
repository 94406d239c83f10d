package io.kubenetlab.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.k8s.Container;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageCatalogTest {

    private static final ImageCatalog ALL = new ImageCatalog(p -> true);
    private static final ImageCatalog NOTHING = new ImageCatalog(p -> false);

    /** A profile with both an ENTRYPOINT and a CMD, to see which one the manifest replaces. */
    private static final ImageProfile ENTRY = new ImageProfile("entry", List.of("entry"), "test image", "entry",
            List.of("shimmed"), List.of("/entrypoint.sh", "--flag"), List.of("serve", "--port", "80"), List.of());

    private static Container container(String image, List<String> command, List<String> args) {
        return new Container("c", image, command, args, List.of(), List.of());
    }

    @ParameterizedTest
    @CsvSource({
            "python:2.7, python2",
            "python:2, python2",
            "python:2.7.18-slim, python2",
            "docker.io/library/python:2.7, python2",
            "docker.io/python:2.7, python2",
            "index.docker.io/library/python:2.7, python2",
            "registry-1.docker.io/library/python:2.7, python2",
            "library/python:2.7, python2",
            "python:2.7@sha256:0123abcd, python2",
            "python, python3",
            "python:3, python3",
            "python:3.12-slim, python3",
            "python:latest, python3",
            "docker.io/library/python, python3",
            "alpine, alpine",
            "alpine:3.19, alpine",
            "alpine:latest, alpine",
            "docker.io/library/alpine:3.19, alpine",
            "alpine@sha256:0123abcd, alpine",
            "busybox, alpine",
            "busybox:1.36, alpine",
            "debian, debian",
            "debian:bookworm-slim, debian",
            "ubuntu:22.04, debian",
            "docker.io/library/ubuntu, debian",
            "bash, debian",
            "bash:5.2, debian",
    })
    void profileMatching(String image, String profile) {
        assertThat(ALL.profile(image).name()).isEqualTo(profile);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "nginx:1.25", "python:27", "pythonx", "python2", "alpine-mini", "alpinelinux/alpine",
            "quay.io/alpine", "ghcr.io/library/alpine", "docker.io/someone/alpine", "Alpine", "", "library/redis"})
    void unknownImages(String image) {
        assertThatThrownBy(() -> ALL.profile(image))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("image \"" + image + "\" cannot be run by the netns runtime")
                .hasMessageContaining("known: python:2, python:2.*, python, ")
                .hasMessageContaining("see `kubenetlab images`");
    }

    @Test
    void bareNameStripsRegistryLibraryAndDigest() {
        assertThat(ImageCatalog.bareName("docker.io/library/python:2.7")).isEqualTo("python:2.7");
        assertThat(ImageCatalog.bareName("index.docker.io/library/alpine")).isEqualTo("alpine");
        assertThat(ImageCatalog.bareName("alpine:3@sha256:ff")).isEqualTo("alpine:3");
        assertThat(ImageCatalog.bareName("docker.io/bitnami/redis:7")).isEqualTo("bitnami/redis:7");
        assertThat(ImageCatalog.bareName("quay.io/library/alpine")).isEqualTo("quay.io/library/alpine");
    }

    @Test
    void profilesAreDistinctAndComplete() {
        Set<String> names = new HashSet<>();
        for (ImageProfile p : ImageCatalog.PROFILES) {
            assertThat(names.add(p.name())).as(p.name()).isTrue();
            assertThat(p.images()).isNotEmpty();
            assertThat(p.description()).isNotBlank();
            if (p.name().equals("cluster-dns")) continue; // internal: the DNS add-on always gives its command
            assertThat(p.hostTools()).isNotEmpty().allMatch(t -> t.startsWith("/"));
            assertThat(p.entrypoint().isEmpty() && p.cmd().isEmpty()).as("%s has a default command", p.name()).isFalse();
        }
        assertThat(ImageCatalog.PROFILES).extracting(ImageProfile::name).containsExactly("python2", "python3", "alpine", "postgres", "cluster-dns", "debian");
    }

    // ------------------------------------------------------------------ argv: Kubernetes' command/args rules

    @Test
    void noCommandNoArgsRunsEntrypointPlusCmd() {
        assertThat(ImageCatalog.argv(container("entry", List.of(), List.of()), ENTRY))
                .containsExactly("/entrypoint.sh", "--flag", "serve", "--port", "80");
    }

    @Test
    void commandOnlyReplacesEntrypointAndDropsCmd() {
        assertThat(ImageCatalog.argv(container("entry", List.of("/bin/sh"), List.of()), ENTRY)).containsExactly("/bin/sh");
    }

    @Test
    void argsOnlyReplaceCmdAndKeepEntrypoint() {
        assertThat(ImageCatalog.argv(container("entry", List.of(), List.of("worker", "-v")), ENTRY))
                .containsExactly("/entrypoint.sh", "--flag", "worker", "-v");
    }

    @Test
    void commandAndArgsReplaceBoth() {
        assertThat(ImageCatalog.argv(container("entry", List.of("/bin/bash"), List.of("-c", "echo hi")), ENTRY))
                .containsExactly("/bin/bash", "-c", "echo hi");
    }

    @Test
    void realProfilesDefaults() {
        assertThat(ImageCatalog.argv(container("alpine", List.of(), List.of()), ALL.profile("alpine"))).containsExactly("/bin/sh");
        assertThat(ImageCatalog.argv(container("debian", List.of(), List.of()), ALL.profile("debian"))).containsExactly("bash");
        assertThat(ImageCatalog.argv(container("python:2.7", List.of(), List.of()), ALL.profile("python:2.7"))).containsExactly("python2");
        assertThat(ImageCatalog.argv(container("python", List.of(), List.of()), ALL.profile("python"))).containsExactly("python3");
        // alpine has no ENTRYPOINT: args alone become the whole command line
        assertThat(ImageCatalog.argv(container("alpine", List.of(), List.of("nc", "-l", "80")), ALL.profile("alpine")))
                .containsExactly("nc", "-l", "80");
    }

    @Test
    void articleArgv() {
        Container server = container("python:2.7", List.of("/bin/bash"),
                List.of("-c", "echo \"<p>Hello from $(hostname)</p>\" > index.html; python -m SimpleHTTPServer 8080"));
        assertThat(ALL.resolve(server, ALL.profile("python:2.7"))).containsExactly("/bin/bash", "-c",
                "echo \"<p>Hello from $(hostname)</p>\" > index.html; python -m SimpleHTTPServer 8080");
    }

    // ------------------------------------------------------------------ resolve: is the command there?

    @Test
    void shimsNeedNoHostBinary() {
        ImageCatalog onlyTools = new ImageCatalog(p -> p.toString().equals("/bin/sh") || p.toString().equals("/bin/nc.openbsd")
                || p.toString().equals("/bin/bash") || p.toString().equals("/usr/bin/python3"));
        assertThat(onlyTools.resolve(container("alpine", List.of("nc"), List.of("-l", "80")), onlyTools.profile("alpine")))
                .containsExactly("nc", "-l", "80");
        assertThat(onlyTools.resolve(container("python:2.7", List.of("python"), List.of("-V")), onlyTools.profile("python:2.7")))
                .containsExactly("python", "-V");
        assertThat(onlyTools.resolve(container("python:2.7", List.of(), List.of()), onlyTools.profile("python:2.7")))
                .containsExactly("python2");
    }

    @Test
    void bareCommandsAreLookedUpOnTheSystemPath() {
        assertThat(ImageCatalog.SYSTEM_PATH).isEqualTo("/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : ImageCatalog.SYSTEM_PATH.split(":")) {
            Path where = Path.of(dir, "curl");
            ImageCatalog c = new ImageCatalog(p -> p.equals(where) || p.toString().equals("/bin/bash"));
            assertThat(c.resolve(container("debian", List.of("curl"), List.of("-s")), c.profile("debian")))
                    .as("curl in %s", dir).containsExactly("curl", "-s");
        }
    }

    @Test
    void bareCommandMissingEverywhere() {
        ImageCatalog c = new ImageCatalog(p -> !p.getFileName().toString().equals("curl"));
        assertThatThrownBy(() -> c.resolve(container("alpine", List.of("curl"), List.of()), c.profile("alpine")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("command \"curl\" is not available in image \"alpine\" on the netns runtime (profile alpine: ");
    }

    @Test
    void absoluteCommandIsCheckedAsAPath() {
        Predicate<Path> onlyBashAndTool = p -> p.toString().equals("/bin/bash") || p.toString().equals("/opt/tool");
        ImageCatalog c = new ImageCatalog(onlyBashAndTool);
        assertThat(c.resolve(container("debian", List.of("/opt/tool"), List.of()), c.profile("debian"))).containsExactly("/opt/tool");
        assertThatThrownBy(() -> c.resolve(container("debian", List.of("/opt/other"), List.of()), c.profile("debian")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("command \"/opt/other\" is not available in image \"debian\"");
        // a name with a slash is a path even if a shim of that base name exists
        ImageCatalog alpineTools = new ImageCatalog(p -> p.toString().equals("/bin/sh") || p.toString().equals("/bin/nc.openbsd"));
        assertThatThrownBy(() -> alpineTools.resolve(container("alpine", List.of("/usr/bin/nc"), List.of()), alpineTools.profile("alpine")))
                .hasMessageContaining("command \"/usr/bin/nc\" is not available");
    }

    @Test
    void missingHostToolIsReportedFirst() {
        assertThatThrownBy(() -> NOTHING.resolve(container("alpine", List.of("nc"), List.of()), NOTHING.profile("alpine")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image \"alpine\" needs /bin/sh on the host, which is missing (run scripts/setup.sh)");
        ImageCatalog noNc = new ImageCatalog(p -> !p.toString().equals("/bin/nc.openbsd"));
        assertThatThrownBy(() -> noNc.resolve(container("alpine:3", List.of(), List.of()), noNc.profile("alpine:3")))
                .hasMessage("image \"alpine:3\" needs /bin/nc.openbsd on the host, which is missing (run scripts/setup.sh)");
    }

    @Test
    void noCommandAtAll() {
        ImageProfile empty = new ImageProfile("scratch", List.of("scratch"), "nothing", "scratch", List.of(), List.of(), List.of(), List.of());
        assertThatThrownBy(() -> ALL.resolve(container("scratch", List.of(), List.of()), empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no command: the container gives none and image \"scratch\" has no default");
    }

    @Test
    void profileMatchesUsesPatterns() {
        assertThat(ENTRY.matches("entry")).isTrue();
        assertThat(ENTRY.matches("docker.io/library/entry")).isTrue();
        assertThat(ENTRY.matches("entry:1")).isFalse();
        assertThat(ENTRY.matches("entryx")).isFalse();
    }
}
