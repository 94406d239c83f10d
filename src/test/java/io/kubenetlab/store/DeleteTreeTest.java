package io.kubenetlab.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LabStore.deleteTree: everything under the directory goes, nothing a link points at does. */
class DeleteTreeTest {
    @TempDir
    Path tmp;

    @Test
    void removesNestedFilesAndDirectoriesButNotWhatALinkPointsAt() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");
        Path lab = tmp.resolve("lab");
        Path deep = Files.createDirectories(lab.resolve("machines/database/data/base/1"));
        for (int i = 0; i < 50; i++) Files.writeString(deep.resolve("f" + i), "x");
        Files.createSymbolicLink(lab.resolve("link-to-dir"), outside);
        Files.createSymbolicLink(deep.resolve("link-to-file"), outside.resolve("keep"));
        Files.createSymbolicLink(lab.resolve("dangling"), tmp.resolve("nowhere"));

        LabStore.deleteTree(lab);

        assertThat(lab).doesNotExist();
        assertThat(outside.resolve("keep")).hasContent("x");
    }

    @Test
    void aMissingDirectoryIsNothingToDo() {
        LabStore.deleteTree(tmp.resolve("none"));
        assertThat(tmp).exists();
    }
}
