package io.kubenetlab.kernel;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** Whether a jar is the CLI's shaded one (it carries picocli) rather than the library jar a test suite depends on. */
    private static boolean holdsDependencies(Path jar) {
        var picocli = SelfJar.class.getClassLoader().getResource("picocli/CommandLine.class");
        return picocli != null && picocli.toString().contains(jar + "!/");
    }
}
