package io.kubenetlab.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The architecture of docs/architecture.md, as rules: packages form no cycle; the model and the
 * planning layers (model, Kubernetes objects, addresses, the control plane's logic, plans, network
 * plugins, kube-proxy backends, the load balancer) do no I/O and read no clock; only the kernel
 * gateway starts processes or spells out the kernel tools.
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kubenetlab");

    /** The layers below the engine: pure data and pure functions of it. */
    static final String[] PURE = {"io.kubenetlab.model..", "io.kubenetlab.k8s..", "io.kubenetlab.net..", "io.kubenetlab.cluster..",
            "io.kubenetlab.plan..", "io.kubenetlab.planner..", "io.kubenetlab.cni..", "io.kubenetlab.proxy..", "io.kubenetlab.lb..",
            "io.kubenetlab.trace.."};

    /** The public API (issue 15): what its public members show a user, besides the JDK, fabric8 and JUnit. */
    static final List<String> PUBLIC_API = List.of("io.kubenetlab", "io.kubenetlab.junit5");

    @Test
    void thePublicApiShowsNoInternalType() {
        List<String> leaks = new java.util.ArrayList<>();
        for (var c : CLASSES) {
            if (!PUBLIC_API.contains(c.getPackageName()) || !c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)) continue;
            for (var m : c.getCodeUnits()) {
                if (!m.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)) continue;
                List<com.tngtech.archunit.core.domain.JavaClass> shown = new java.util.ArrayList<>(m.getRawParameterTypes());
                shown.add(m.getRawReturnType());
                for (var t : shown) {
                    var base = t.isArray() ? t.getBaseComponentType() : t;
                    String pkg = base.getPackageName();
                    boolean ok = base.isPrimitive() || pkg.startsWith("java.") || pkg.startsWith("io.fabric8.") || pkg.startsWith("org.junit.")
                            || PUBLIC_API.contains(pkg);
                    if (!ok) leaks.add(m.getFullName() + " shows " + base.getName());
                }
            }
        }
        assertThat(leaks).as("public API members showing internal types").isEmpty();
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.kubenetlab.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theModelAndPlanningLayersDoNoIo() {
        noClasses().that().resideInAnyPackage(PURE).should().dependOnClassesThat().resideInAnyPackage(
                        "java.io..", "java.nio.channels..", "java.net..", "org.apache.commons.exec..", "com.github.dockerjava..",
                        "io.kubenetlab.kernel..", "io.kubenetlab.runtime..", "io.kubenetlab.store..", "io.kubenetlab.lab..",
                        "io.kubenetlab.api..", "io.kubenetlab.client..", "io.kubenetlab.controller..", "io.kubenetlab.cli..",
                        "io.kubenetlab.dns..", "io.kubenetlab.kubelet..", "io.kubenetlab.verify..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.nio.file.Files")
                .because("the model and the planners are pure: the same inputs give the same plan, and a plan needs no root")
                .check(CLASSES);
    }

    @Test
    void theModelAndPlanningLayersReadNoClockAndNoRandomness() {
        noClasses().that().resideInAnyPackage(PURE).should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .orShould().callMethod(Math.class, "random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.SecureRandom")
                .because("time and randomness are injected, never read: plans are deterministic")
                .check(CLASSES);
    }

    @Test
    void onlyTheKernelGatewayStartsProcesses() {
        noClasses().that().resideOutsideOfPackage("io.kubenetlab.kernel..").should().dependOnClassesThat()
                .haveFullyQualifiedName(ProcessBuilder.class.getName())
                .orShould().callMethod(java.lang.Runtime.class, "exec", String.class)
                .orShould().callMethod(java.lang.Runtime.class, "exec", String[].class)
                .orShould().dependOnClassesThat().resideInAPackage("org.apache.commons.exec..")
                .because("one gateway to the kernel: argv lists, batching and KUBENETLAB_DEBUG in one place")
                .check(CLASSES);
    }

    /** A kernel tool at the head of an argv list, e.g. {@code List.of("ip", ...)} or {@code "nsenter", "--net"}. */
    static final Pattern TOOL_ARGV = Pattern.compile(
            "(List\\.of|Arrays\\.asList|add|addAll)\\(\\s*(List\\.of\\()?\"(ip|iptables[-a-z]*|ip6tables[-a-z]*|nft|sysctl|modprobe|nsenter|unshare|bridge|tc|conntrack)\"");

    @Test
    void onlyTheKernelGatewaySpellsOutKernelTools() throws IOException {
        Path src = Path.of("src/main/java/io/kubenetlab");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(src)) {
            offenders = files.filter(f -> f.toString().endsWith(".java")).filter(f -> !f.startsWith(src.resolve("kernel")))
                    .filter(f -> TOOL_ARGV.matcher(read(f)).find()).map(Path::toString).toList();
        }
        assertThat(offenders).as("argv of ip, iptables, nft, sysctl, modprobe, nsenter... built outside io.kubenetlab.kernel").isEmpty();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
