package io.kubenetlab;

import io.kubenetlab.lab.Orphans;
import io.kubenetlab.store.LabStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where labs come from in Java code:
 *
 * <pre>{@code
 * try (Lab lab = KubenetLab.fromFile("topologies/service-network.yaml").withName("checkout-e2e").start()) { ... }
 * try (Lab lab = KubenetLab.builder().nodes(3).deployment("web", 2).service("web", 80, 8080).pod("client").start()) { ... }
 * }</pre>
 *
 * Labs started here belong to this JVM: they are destroyed when closed, when the JVM exits normally
 * or on SIGTERM/SIGINT (a shutdown hook), and if the JVM is killed outright (SIGKILL), by the next
 * JVM that starts a lab or by {@code kubenetlab destroy --orphans} — as Testcontainers' Ryuk does for
 * containers. Labs need root.
 */
public final class KubenetLab {
    /** Labs of this JVM not destroyed yet: the shutdown hook's list. */
    private static final Set<Lab> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    private static final AtomicBoolean REAPED = new AtomicBoolean();

    private KubenetLab() {}

    /**
     * A lab from a lab file (the CLI's {@code -t FILE}).
     *
     * @param labFile the lab file; relative paths start at the working directory
     * @return a starter: choose a name and overrides, then {@code start()}
     */
    public static LabStarter fromFile(Path labFile) {
        return new LabStarter(labFile);
    }

    /**
     * {@link #fromFile(Path)} with the file's name as a string.
     *
     * @param labFile the lab file
     * @return a starter
     */
    public static LabStarter fromFile(String labFile) {
        return fromFile(Path.of(labFile));
    }

    /**
     * A lab built in code: nodes, Deployments, Services and pods, on the article's address plan.
     *
     * @return an empty builder (two nodes unless told)
     */
    public static LabBuilder builder() {
        return new LabBuilder();
    }

    /**
     * Destroys the labs that JVMs now dead had started and not destroyed (killed test runs); labs of
     * the CLI and of running JVMs are left alone. {@code kubenetlab destroy --orphans} does the same.
     *
     * @return the names of the labs destroyed
     */
    public static List<String> destroyOrphans() {
        return Orphans.destroy(LabStore.fromEnvironment()).stream().map(Orphans.Reaped::lab).toList();
    }

    /** Before this JVM's first lab: removes dead runs' labs once, and arms the shutdown hook. */
    static void beforeFirstLab() {
        if (REAPED.compareAndSet(false, true)) {
            for (Orphans.Reaped r : Orphans.destroy(LabStore.fromEnvironment())) {
                System.err.printf("kubenetlab: destroyed lab %s, left by a test run that is gone (%s), in %d ms%n", r.lab(), r.owner(), r.millis());
            }
        }
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(KubenetLab::destroyOpenLabs, "kubenetlab-shutdown"));
        }
    }

    static void opened(Lab lab) {
        OPEN.add(lab);
    }

    static void forget(Lab lab) {
        OPEN.remove(lab);
    }

    private static void destroyOpenLabs() {
        for (Lab lab : List.copyOf(OPEN)) {
            try {
                lab.destroy();
            } catch (RuntimeException e) {
                System.err.println("kubenetlab: could not destroy lab " + lab.name() + " at exit: " + e.getMessage()
                        + " (kubenetlab destroy --orphans removes it)");
            }
        }
    }
}
