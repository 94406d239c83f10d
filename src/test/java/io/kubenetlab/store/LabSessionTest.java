package io.kubenetlab.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabSessionTest {
    @TempDir Path root;

    @Test
    void aLabOfThisJvmIsNeverAnOrphanAndItsMarkSaysWhoOwnsIt() throws Exception {
        Path lab = Files.createDirectory(root.resolve("mine"));
        LabSession.claim(lab, "java -cp x MyTest");
        try {
            assertThat(LabSession.ownedHere(lab)).isTrue();
            assertThat(lab.resolve(LabSession.FILE)).content().isEqualTo("pid " + ProcessHandle.current().pid() + "\njava -cp x MyTest\n");
            assertThat(LabSession.adoptIfOrphaned(lab)).isEmpty();
        } finally {
            LabSession.release(lab);
        }
        assertThat(LabSession.ownedHere(lab)).isFalse();
    }

    @Test
    void aMarkNobodyLocksIsAnOrphanAdoptedOnce() throws Exception {
        Path lab = Files.createDirectory(root.resolve("dead"));
        // What a killed JVM leaves: the file, and no process holding its lock.
        Files.writeString(lab.resolve(LabSession.FILE), "pid 999999\njava DeadTest\n");
        var first = LabSession.adoptIfOrphaned(lab);
        assertThat(first).isPresent().get().extracting(LabSession.Orphan::owner).isEqualTo("pid 999999 java DeadTest");
        try (LabSession.Orphan o = first.get()) {
            assertThat(LabSession.adoptIfOrphaned(lab)).as("a second reaper while the first holds it").isEmpty();
        }
    }

    @Test
    void aLabWithoutMarkIsTheClisAndNeverAnOrphan() throws Exception {
        Path lab = Files.createDirectory(root.resolve("cli"));
        assertThat(LabSession.adoptIfOrphaned(lab)).isEmpty();
    }
}
