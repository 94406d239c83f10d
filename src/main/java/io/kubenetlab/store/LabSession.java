package io.kubenetlab.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mark of a lab owned by a running JVM (a test suite's), so that a later run can remove the labs
 * of a JVM that was killed — what Testcontainers' Ryuk does for containers. The owner holds an
 * exclusive lock on the lab's {@code session} file for as long as it lives; the kernel drops a
 * process's locks when it dies, even by SIGKILL, so "the lock can be taken" means "the owner is
 * gone". POSIX locks are not inherited by child processes, so the lab's controller does not keep it.
 * Labs deployed by the CLI have no session file and are never reaped.
 */
public final class LabSession {
    public static final String FILE = "session";
    /** This JVM's locks, by lab directory: a second lock of the same file in one JVM would throw. */
    private static final Map<Path, FileChannel> HELD = new ConcurrentHashMap<>();

    private LabSession() {}

    /** Marks a freshly claimed lab directory as this JVM's: writes who owns it and keeps the lock until {@link #release}. */
    public static void claim(Path labDir, String owner) {
        Path file = labDir.resolve(FILE);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (ch.tryLock() == null) {
                ch.close();
                throw new IllegalStateException(file + " is locked by another process");
            }
            ch.write(StandardCharsets.UTF_8.encode("pid " + ProcessHandle.current().pid() + "\n" + owner + "\n"));
            ch.force(false);
            HELD.put(labDir.toAbsolutePath(), ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark " + labDir + " as this test run's lab", e);
        }
    }

    /** Gives up this JVM's mark of a lab (after its destroy); nothing if it had none. */
    public static void release(Path labDir) {
        FileChannel ch = HELD.remove(labDir.toAbsolutePath());
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing drops the lock either way
        }
    }

    /** Whether this JVM owns the lab. */
    public static boolean ownedHere(Path labDir) {
        return HELD.containsKey(labDir.toAbsolutePath());
    }

    /**
     * If the lab carries a session mark whose owner is gone, takes the mark over (the returned lock
     * keeps a concurrent reaper away) and says who owned it; empty for a CLI lab, a live owner's lab,
     * or this JVM's own.
     */
    public static Optional<Orphan> adoptIfOrphaned(Path labDir) {
        if (ownedHere(labDir)) return Optional.empty();
        Path file = labDir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                return Optional.empty();
            }
            String owner = Files.readString(file, StandardCharsets.UTF_8).strip().replace('\n', ' ');
            return Optional.of(new Orphan(ch, owner));
        } catch (OverlappingFileLockException | IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
            return Optional.empty();
        }
    }

    /** A dead owner's lab, adopted: {@link #close()} after destroying it. */
    public record Orphan(FileChannel channel, String owner) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel
            }
        }
    }
}
