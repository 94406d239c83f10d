package io.kubenetlab.runtime.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host mount point a netns pod's service account needs: made if missing, gone with the last lab, never someone else's. */
class HostMountPointTest {
    @TempDir
    Path tmp;

    @Test
    void madeForTheFirstLabAndRemovedWithTheLast() throws IOException {
        Path state = tmp.resolve("state");
        Path dir = tmp.resolve("run-secrets");
        Files.createDirectories(state.resolve("a"));
        Files.createDirectories(state.resolve("b"));
        HostMountPoint mp = new HostMountPoint(dir, state);
        mp.ensure();
        assertThat(dir).isDirectory();
        mp.releaseAfter("a");
        assertThat(dir).as("lab b still runs").isDirectory();
        Files.delete(state.resolve("a"));
        mp.releaseAfter("b");
        assertThat(dir).as("the last lab went").doesNotExist();
        assertThat(Files.list(state).toList()).containsExactly(state.resolve("b"));
    }

    @Test
    void aDirectoryTheHostHadStaysAndSoDoesOneWithFilesInIt() throws IOException {
        Path state = tmp.resolve("state");
        Files.createDirectories(state.resolve("a"));
        Path theirs = Files.createDirectories(tmp.resolve("theirs"));
        HostMountPoint mp = new HostMountPoint(theirs, state);
        mp.ensure();
        mp.releaseAfter("a");
        assertThat(theirs).as("not made by the lab tool").isDirectory();

        Path ours = tmp.resolve("ours");
        HostMountPoint mp2 = new HostMountPoint(ours, state);
        mp2.ensure();
        Files.writeString(ours.resolve("someone"), "x");
        mp2.releaseAfter("a");
        assertThat(ours.resolve("someone")).as("something else uses it now").exists();
    }
}
