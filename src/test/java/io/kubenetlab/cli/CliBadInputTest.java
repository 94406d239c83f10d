package io.kubenetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad command lines, in this JVM (no root, no kernel: every case is refused before anything is built): one
 * "error:" line naming the option, file or name at fault, exit 1, no stack trace, and no lab made or touched.
 * The lab-file and manifest cases through the real CLI against the kernel are in {@code BadInputIT}.
 */
class CliBadInputTest {
    @TempDir
    static Path tmp;

    static final String GOOD_LAB = "topologies/service-network.yaml";

    /** {@code {tmp}} in an argument is the temporary directory, holding the files {@link #files} wrote. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("unknown verb", List.of("dploy"), "Unmatched argument at index 0: 'dploy'"),
                Arguments.of("unknown option", List.of("plan", "-t", GOOD_LAB, "--frobnicate"), "Unknown option: '--frobnicate'"),
                Arguments.of("option without its value", List.of("plan", "-t"), "Missing required parameter for option '--topo'"),
                Arguments.of("deploy without a lab file", List.of("deploy"), "Missing required option: '--topo=FILE'"),
                Arguments.of("a number that is none", List.of("deploy", "-t", GOOD_LAB, "--timeout", "soon"),
                        "Invalid value for option '--timeout': 'soon' is not an int"),
                Arguments.of("lab file missing", List.of("plan", "-t", "{tmp}/nope.yaml"), "{tmp}/nope.yaml: cannot read file"),
                Arguments.of("lab file is a directory", List.of("plan", "-t", "{tmp}"), "{tmp}: is a directory"),
                Arguments.of("lab file not UTF-8", List.of("plan", "-t", "{tmp}/latin1.yaml"), "{tmp}/latin1.yaml: not UTF-8"),
                Arguments.of("lab file a symlink to a device", List.of("plan", "-t", "{tmp}/zero.yaml"), "{tmp}/zero.yaml: not a regular file"),
                Arguments.of("lab file with a traversing lab name", List.of("plan", "-t", "{tmp}/climb.yaml"),
                        "{tmp}/climb.yaml:1: name: \"../../etc\" is not a valid lab name"),
                Arguments.of("destroy a traversing name", List.of("destroy", "--name", "../../etc"), "\"../../etc\" is not a valid lab name"),
                Arguments.of("destroy an absolute path", List.of("destroy", "--name", "/etc"), "\"/etc\" is not a valid lab name"),
                Arguments.of("destroy an empty name", List.of("destroy", "--name", ""), "\"\" is not a valid lab name"),
                Arguments.of("get with a traversing lab", List.of("get", "pods", "--lab", "../x"), "\"../x\" is not a valid lab name"),
                Arguments.of("deploy under a traversing name", List.of("deploy", "-t", GOOD_LAB, "--name", "../../etc"),
                        "\"../../etc\" is not a valid lab name"),
                Arguments.of("plan under a bad name", List.of("plan", "-t", GOOD_LAB, "--name", "Bad_Name"), "\"Bad_Name\" is not a valid lab name"),
                Arguments.of("an unknown network plugin", List.of("plan", "-t", GOOD_LAB, "--cni", "weave"), "weave"),
                Arguments.of("an unknown output format", List.of("plan", "-t", GOOD_LAB, "-o", "xml"), "xml"),
                Arguments.of("an unknown machine", List.of("plan", "-t", GOOD_LAB, "--machine", "node9"), "node9"));
    }

    static void files() throws IOException {
        Files.write(tmp.resolve("latin1.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        if (!Files.exists(tmp.resolve("zero.yaml"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(tmp.resolve("zero.yaml"), Path.of("/dev/zero"));
        }
        Files.writeString(tmp.resolve("climb.yaml"), "name: ../../etc\nnodeNetwork: {cidr: 10.100.0.0/24, gateway: 10.100.0.1}\n"
                + "nodes: [{name: node1, address: 10.100.0.2}]\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithOneLineExitOneAndNothingMade(String what, List<String> args, String message) throws IOException {
        files();
        List<String> before = labsNow();
        String[] argv = args.stream().map(a -> a.replace("{tmp}", tmp.toString())).toArray(String[]::new);

        CliRun r = CliRun.of(argv);

        assertThat(r.exit()).as(what + ": " + r.err()).isEqualTo(1);
        assertThat(r.err()).as(what).startsWith("error: ").contains(message.replace("{tmp}", tmp.toString()))
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(labsNow()).as(what + ": no lab made or removed").isEqualTo(before);
        assertThat(Path.of("/etc/hostname")).as(what).exists();
    }

    /**
     * The labs these cases could make (the lab file's, under the default state directory the in-JVM CLI uses); other
     * labs on the machine are left out, as other test runs may make and remove theirs meanwhile.
     */
    static List<String> labsNow() throws IOException {
        Path root = Path.of("/run/kubenetlab");
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.equals("service-network") || n.contains("etc")
                    || n.equalsIgnoreCase("bad_name")).sorted().toList();
        }
    }
}
