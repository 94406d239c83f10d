package io.kubenetlab.store;

import io.kubenetlab.model.LabState;
import io.kubenetlab.model.LabException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where labs keep their state: {@code /run/kubenetlab/<lab>/} (tmpfs, like the namespaces it
 * describes: both vanish at reboot). {@code KUBENETLAB_STATE_DIR} moves it, e.g. for tests.
 */
public final class LabStore {
    public static final String STATE_FILE = "state.json";
    /**
     * A lab name as the lab file allows it (a short DNS label). Checked wherever a name becomes a path, so a
     * name given on the command line ({@code --lab ../../etc}) never leads out of the state directory.
     */
    public static final java.util.regex.Pattern LAB_NAME = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;

    public LabStore(Path root) {
        this.root = root;
    }

    public static LabStore fromEnvironment() {
        String dir = System.getenv("KUBENETLAB_STATE_DIR");
        return new LabStore(Path.of(dir == null || dir.isBlank() ? "/run/kubenetlab" : dir));
    }

    public Path root() {
        return root;
    }

    /** The lab's state directory; a name that is not a lab name (a path, "..", "") is refused before it becomes one. */
    public Path labDir(String lab) {
        return root.resolve(checkName(lab));
    }

    /** {@code lab} when it is a valid lab name, else a LabException saying what one looks like. */
    public static String checkName(String lab) {
        if (lab == null || !LAB_NAME.matcher(lab).matches()) {
            throw new LabException("\"" + (lab == null ? "" : lab.length() > 80 ? lab.substring(0, 80) + "..." : lab)
                    + "\" is not a valid lab name: lower-case letters, digits and '-', starting and ending with a letter or digit, "
                    + "at most 40 characters");
        }
        return lab;
    }

    /** Claims a lab name atomically: fails if a lab of that name exists (running or half-destroyed). */
    public Path claim(String lab) {
        try {
            Files.createDirectories(root);
            return Files.createDirectory(labDir(lab));
        } catch (FileAlreadyExistsException e) {
            throw new LabException("lab \"" + lab + "\" already exists (state in " + labDir(lab)
                    + "); destroy it first: kubenetlab destroy --name " + lab);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean exists(String lab) {
        return Files.isRegularFile(labDir(lab).resolve(STATE_FILE)) || Files.isDirectory(labDir(lab));
    }

    /** The state as {@link #save} writes it (the controller's warm-up also calls it: the first one costs a cold JVM 50-80 ms). */
    public static byte[] json(LabState state) {
        synchronized (state) {
            try {
                return JSON.writeValueAsBytes(state);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException("cannot write the state of lab " + state.name, e);
            }
        }
    }

    public synchronized void save(LabState state) {
        Path dir = labDir(state.name);
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        try {
            Files.write(tmp, json(state));
            try {
                Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save lab state in " + dir, e);
        }
    }

    public LabState load(String lab) {
        Path f = requireLab(lab);
        try {
            return JSON.readValue(f.toFile(), LabState.class);
        } catch (IOException e) {
            throw new LabException("cannot read lab state " + f + ": " + e.getMessage());
        }
    }

    /** The lab's state file; a clear error when there is no such lab. */
    public Path requireLab(String lab) {
        Path f = labDir(lab).resolve(STATE_FILE);
        if (!Files.isRegularFile(f)) throw new LabException("no lab named \"" + lab + "\" (no " + f + ")");
        return f;
    }

    /** Names of all labs with a state directory, sorted. */
    public List<String> list() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> LAB_NAME.matcher(n).matches())
                    .sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Removes a directory of ours and everything in it (symbolic links are removed, not followed; a file
     * that vanishes meanwhile is fine). One walk that deletes as it leaves each directory: the outside
     * database's thousand files took a cold CLI 190 ms with a sorted stream of every path, 35 ms so.
     */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof java.nio.file.NoSuchFileException) return java.nio.file.FileVisitResult.CONTINUE;
                    throw e;
                }

                @Override
                public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) throw e;
                    Files.deleteIfExists(d);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    /** Removes the lab's state directory: only files we made live there. */
    public void delete(String lab) {
        Path dir = labDir(lab);
        if (!Files.exists(dir)) return;
        deleteTree(dir);
        LabSession.release(dir);
        try {
            if (Files.isDirectory(root)) try (Stream<Path> s = Files.list(root)) {
                if (s.findAny().isEmpty()) Files.deleteIfExists(root);
            }
        } catch (IOException ignored) {
            // another lab just appeared: leave the root alone
        }
    }
}
