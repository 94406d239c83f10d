package io.kubenetlab.kernel;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to start this code in another JVM (the lab's controller, the DNS pod): this java binary and
 * this classpath — the shaded jar for the CLI, the real test classpath under Maven's test runners
 * (their own java.class.path is a temporary booter jar), or a test suite's class path when it uses
 * the library jar.
 */
public final class SelfJar {
    private SelfJar() {}

    public static String java() {
        return ProcessHandle.current().info().command().orElse("/usr/bin/java");
    }

    public static String classpath() {
        try {
            Path self = Path.of(SelfJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self) && holdsDependencies(self)) return self.toString();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through
        }
        // The library jar of a test suite (its dependencies are separate jars) or classes under Maven.
        String test = System.getProperty("surefire.test.class.path");
        return test != null && !test.isBlank() ? test : System.getProperty("java.class.path");
    }

    /**
     * Options for a JVM this code starts (the controller, the DNS pod), after {@code kind} (its class
     * list's name): the shaded jar's class-data-sharing archive ({@code kubenetlab.jsa} beside it, which
     * the build dumps from {@code src/main/cds/classlist}) when there is one: class loading is most of
     * a JVM's start-up, and the archive takes a third off it. A stale archive (the jar rebuilt without
     * it, or moved: an archive names its jar's path) is refused by the JVM itself, silently (logging
     * off), and the JVM starts without class-data sharing.
     * With {@value #CLASSLIST_DIR} set (scripts/cds-classlist.sh), the JVM instead writes the classes
     * it loads to {@code DIR/KIND.classlist} and uses no archive.
     */
    public static List<String> jvmOptions(String kind) {
        String dir = System.getenv(CLASSLIST_DIR);
        if (dir != null && !dir.isBlank()) return List.of("-XX:DumpLoadedClassList=" + Path.of(dir, kind + ".classlist"));
        List<String> out = new java.util.ArrayList<>(MAP_ARCHIVE_IN_PLACE);
        archive().ifPresent(a -> out.addAll(List.of("-XX:SharedArchiveFile=" + a, "-Xlog:cds=off", "-Xlog:cds+dynamic=off")));
        return out;
    }

    /**
     * Debian's JDK 17 maps class-data archives at a random address and then relocates every pointer in
     * them (ArchiveRelocationMode=1, upstream's default since JDK-8294323): 110 ms of each start here for
     * our 43 MB archive, 6 ms mapped where it was dumped (mode 0; the JVM still relocates when that
     * address is taken). scripts/kubenetlab passes the same flags to the CLI's JVM.
     */
    static final List<String> MAP_ARCHIVE_IN_PLACE = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    /** Set by scripts/cds-classlist.sh only: the directory where each JVM kind writes the classes it loaded. */
    public static final String CLASSLIST_DIR = "KUBENETLAB_CDS_CLASSLIST_DIR";

    /** The shaded jar's archive, {@code kubenetlab.jsa} beside {@code kubenetlab.jar}, if both are there. */
    static Optional<Path> archive() {
        String cp = classpath();
        if (cp.contains(":") || !cp.endsWith(".jar")) return Optional.empty();
        Path jsa = Path.of(cp.substring(0, cp.length() - ".jar".length()) + ".jsa");
        return Files.isRegularFile(jsa) ? Optional.of(jsa) : Optional.empty();
    }

    /** Whether a jar is the CLI's shaded one (it carries picocli) rather than the library jar a test suite depends on. */
    private static boolean holdsDependencies(Path jar) {
        var picocli = SelfJar.class.getClassLoader().getResource("picocli/CommandLine.class");
        return picocli != null && picocli.toString().contains(jar + "!/");
    }
}
