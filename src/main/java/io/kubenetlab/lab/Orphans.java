package io.kubenetlab.lab;

import io.kubenetlab.store.LabSession;
import io.kubenetlab.store.LabStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the labs whose owning JVM died without destroying them (a test run killed by SIGKILL, a
 * CI job cancelled): labs carrying a {@link LabSession} mark nobody holds any more. Labs of the CLI
 * and of live JVMs are left alone; two reapers at once never destroy the same lab twice (the first
 * takes the mark's lock).
 */
public final class Orphans {
    /** A lab that was removed, and who had owned it (the session file's words). */
    public record Reaped(String lab, String owner, long millis) {}

    private Orphans() {}

    public static List<Reaped> destroy(LabStore store) {
        List<Reaped> out = new ArrayList<>();
        for (String name : store.list()) {
            var orphan = LabSession.adoptIfOrphaned(store.labDir(name));
            if (orphan.isEmpty()) continue;
            try (LabSession.Orphan o = orphan.get()) {
                long t0 = System.nanoTime();
                Lab.destroy(name, store);
                out.add(new Reaped(name, o.owner(), (System.nanoTime() - t0) / 1_000_000));
            }
        }
        return out;
    }
}
