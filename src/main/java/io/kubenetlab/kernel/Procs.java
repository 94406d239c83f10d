package io.kubenetlab.kernel;

import io.kubenetlab.model.ProcessRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** Reading /proc: which processes are ours, alive, and in which network namespace. */
public final class Procs {
    private Procs() {}

    /** Field 3 (state) and 22 (starttime) of /proc/PID/stat; the command may contain spaces. */
    static String[] statFields(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = s.lastIndexOf(')');
            return s.substring(close + 2).trim().split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    public static ProcessRef ref(long pid) {
        String[] f = statFields(pid);
        if (f == null) throw new IllegalStateException("process " + pid + " vanished");
        return new ProcessRef(pid, Long.parseLong(f[19]));
    }

    /** The same process we recorded (not a recycled pid), and not a zombie. */
    public static boolean alive(ProcessRef ref) {
        if (ref == null) return false;
        String[] f = statFields(ref.pid());
        return f != null && !f[0].equals("Z") && !f[0].equals("X") && Long.parseLong(f[19]) == ref.startTicks();
    }

    public static boolean aliveOrZombieGone(long pid) {
        String[] f = statFields(pid);
        return f != null && !f[0].equals("Z") && !f[0].equals("X");
    }

    /** Direct children of a process (needs CONFIG_PROC_CHILDREN, which Debian kernels have). */
    public static List<Long> children(long pid) {
        List<Long> out = new ArrayList<>();
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children")).trim();
            if (!s.isEmpty()) for (String c : s.split("\\s+")) out.add(Long.parseLong(c));
        } catch (IOException ignored) {
            // gone
        }
        return out;
    }

    /** The pid of a process in its own (innermost) PID namespace: the last field of NSpid; -1 if gone. */
    public static long nsPid(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[f.length - 1]);
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // gone
        }
        return -1;
    }

    /** A process and all its descendants, parents first. */
    public static List<Long> descendants(long pid) {
        List<Long> out = new ArrayList<>(List.of(pid));
        for (int i = 0; i < out.size(); i++) out.addAll(children(out.get(i)));
        return out;
    }

    /** The inode of a network namespace file such as /run/netns/NAME, or empty if it does not exist. */
    public static OptionalLong netnsInode(Path nsFile) {
        try {
            return OptionalLong.of(((Number) Files.getAttribute(nsFile, "unix:ino")).longValue());
        } catch (IOException | UnsupportedOperationException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Every process whose network namespace is one of the given ones (by inode), or whose
     * environment holds {@code mark}: a lab's namespaces and marked processes are its own.
     * One pass over /proc, however many namespaces.
     */
    public static List<Long> owned(java.util.Set<Long> inodes, String mark) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        for (long ino : inodes) wanted.add("net:[" + ino + "]");
        byte[] markBytes = mark == null ? null : (mark + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<Long> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).forEach(n -> {
                long pid = Long.parseLong(n);
                if (pid == self) return;
                try {
                    if (wanted.contains(Files.readSymbolicLink(Path.of("/proc", n, "ns", "net")).toString())
                            || (markBytes != null && contains(Files.readAllBytes(Path.of("/proc", n, "environ")), markBytes))) {
                        out.add(pid);
                    }
                } catch (IOException ignored) {
                    // exited or not ours to read
                }
            });
        } catch (IOException e) {
            throw new KernelException("cannot list /proc", e);
        }
        return out;
    }

    /** True if {@code entry} (NUL-terminated) is one of the NUL-separated entries of {@code environ}. */
    static boolean contains(byte[] environ, byte[] entry) {
        outer:
        for (int i = 0; i + entry.length <= environ.length; i++) {
            if (i > 0 && environ[i - 1] != 0) continue;
            for (int j = 0; j < entry.length; j++) if (environ[i + j] != entry[j]) continue outer;
            return true;
        }
        return false;
    }

    /** SIGKILL, then wait (bounded) until each is gone or a zombie for its parent to reap. */
    public static void killAndWait(List<Long> pids, long timeoutMillis) {
        for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        for (long pid : pids) {
            while (aliveOrZombieGone(pid) && System.nanoTime() < deadline) sleep(5);
        }
    }

    /** True if a TCP or UDP socket of the process's network namespace listens on the port. */
    public static boolean listening(long pidInNetns, String protocol, int port) {
        String hex = String.format(":%04X", port);
        boolean tcp = !protocol.equals("UDP");
        for (String table : tcp ? List.of("tcp", "tcp6") : List.of("udp", "udp6")) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pidInNetns), "net", table))) {
                    String[] cols = line.trim().split("\\s+");
                    if (cols.length > 3 && cols[1].endsWith(hex) && (!tcp || cols[3].equals("0A"))) return true;
                }
            } catch (IOException ignored) {
                // no such table (no IPv6) or process gone
            }
        }
        return false;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted", e);
        }
    }
}
