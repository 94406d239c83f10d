package io.kubenetlab.runtime.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory the host must have for a sandbox's mount (the service account's tmpfs on /run/secrets: a
 * netns sandbox shares the host's file system, so its mount point is the host's). Made only if missing,
 * with a mark in the state root saying the lab tool made it; removed again, empty, when the last lab goes.
 */
final class HostMountPoint {
    private final Path dir;
    private final Path mark;

    HostMountPoint(Path dir, Path stateRoot) {
        this.dir = dir;
        this.mark = stateRoot.resolve(".made" + dir.toString().replace('/', '-'));
    }

    synchronized void ensure() {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(mark.getParent());
            Files.writeString(mark, dir + "\n");
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // another lab made it meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir + " (a pod's mount point)", e);
        }
    }

    /** After lab {@code lab} is gone: removes the directory if we made it, it is empty and no other lab remains. */
    synchronized void releaseAfter(String lab) {
        if (!Files.exists(mark) || otherLabs(lab)) return;
        try {
            if (Files.isDirectory(dir) && isEmpty(dir)) Files.delete(dir);
            Files.deleteIfExists(mark);
        } catch (IOException e) {
            // in use again (a lab started meanwhile): the next destroy tries again
        }
    }

    private boolean otherLabs(String lab) {
        try (DirectoryStream<Path> labs = Files.newDirectoryStream(mark.getParent(), Files::isDirectory)) {
            for (Path p : labs) if (!p.getFileName().toString().equals(lab)) return true;
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean isEmpty(Path d) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            return !s.iterator().hasNext();
        }
    }
}
