package io.kubenetlab.it;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.store.LabSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Proof that nothing of a lab remains on the machine after destroy. Two kinds of check:
 * <ul>
 * <li>{@link #namedFor}: everything that carries the lab's name (namespaces, link aliases, mounts,
 * files under /run, /etc/netns, /dev/shm and /tmp, cgroups, BPF objects, unix sockets such as BIRD's,
 * this JVM's open files and locks, processes). Precise: only the lab's own name, matched as a whole
 * word, so labs running beside it never count.</li>
 * <li>{@link Snapshot}: what a lab leaves without its name on it (a workload's shared memory segment,
 * a JVM's perf data file, a mount, a sysctl of the root namespace): taken before deploy and after
 * destroy; whatever is new and not explained by another live lab or a live process is a leak.</li>
 * </ul>
 */
final class LeakCheck {
    private static final Kernel KERNEL = Kernel.linux();
    /** Where labs, their sandboxes and workloads could leave files on the host. */
    private static final List<Path> FILE_ROOTS = List.of(Path.of("/dev/shm"), Path.of("/tmp"), Path.of("/run"), Path.of("/etc/netns"));
    /** Directories listed depth-first this deep: enough for /tmp/hsperfdata_root/PID and /run/netns/NS. */
    private static final int DEPTH = 3;
    /** The store and namespaces of labs are checked by name ({@link #namedFor}); docker's own mounts are its containers'. */
    private static final List<String> SNAPSHOT_SKIP = List.of("/run/kubenetlab/", "/run/netns/", "/run/docker/", "/var/lib/docker/",
            "/run/containerd/", "/run/user/");
    /** iptables' host-wide lock: made at the first iptables call of anyone (docker, a lab, a test) and never removed, by design. */
    private static final String XTABLES_LOCK = "/run/xtables.lock";

    private LeakCheck() {}

    /** The lab's name as a whole word: "lab-1-ab" never matches another lab's "lab-1-abc". */
    static Pattern word(String lab) {
        return Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(lab) + "(?![A-Za-z0-9])");
    }

    /**
     * Everything on the machine that carries the lab's name or lives in its state directory: must be
     * empty after destroy. Each entry says where it was found.
     */
    static List<String> namedFor(String lab, Path stateDir) {
        Pattern w = word(lab);
        String state = stateDir.toAbsolutePath().toString();
        List<String> out = new ArrayList<>();
        // Namespaces and their /etc/netns configuration.
        for (String root : List.of("/run/netns", "/etc/netns")) {
            for (String p : list(Path.of(root), 1)) if (p.startsWith(root + "/knl-" + lab + "-")) out.add("namespace entry " + p);
        }
        // Links of the root namespace: every lab link carries the alias "kubenetlab:LAB:WHAT".
        KERNEL.run(List.of("ip", "-o", "link", "show")).stdout().lines()
                .filter(l -> l.contains("kubenetlab:" + lab + ":")).forEach(l -> out.add("root namespace link " + l));
        // Mounts of this (the host's) mount namespace: a namespace's bind mount, a tmpfs, anything in the state directory.
        readLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> w.matcher(l).find() || l.contains(state))
                .forEach(l -> out.add("mount " + l));
        // Files: the state directory, and names carrying the lab's in the places a lab could write.
        if (Files.exists(stateDir)) out.add("state directory " + stateDir);
        for (Path root : FILE_ROOTS) {
            for (String p : list(root, DEPTH)) if (w.matcher(p.substring(root.toString().length())).find()) out.add("file " + p);
        }
        // cgroups and BPF objects named for the lab (the runtimes make none today: proof they never do).
        for (String p : list(Path.of("/sys/fs/cgroup"), 4)) if (w.matcher(p).find()) out.add("cgroup " + p);
        for (String p : list(Path.of("/sys/fs/bpf"), 4)) if (w.matcher(p).find()) out.add("bpf object " + p);
        // Unix sockets (BIRD's control socket, the controller's): bound paths in the state directory or named for the lab.
        readLines(Path.of("/proc/net/unix")).stream().filter(l -> l.contains(state) || w.matcher(l).find())
                .forEach(l -> out.add("unix socket " + l.trim()));
        // This JVM: files it holds open (a lock file is an open file), and the lab's session mark.
        for (String fd : openFiles(Path.of("/proc/self/fd"))) if (fd.startsWith(state + "/") || fd.equals(state)) out.add("open file of this JVM " + fd);
        if (LabSession.ownedHere(stateDir)) out.add("session mark still held by this JVM: " + stateDir);
        // Processes: the lab's environment mark, a command line naming its state directory or its namespaces.
        ItSupport.processesOf(lab).forEach(pid -> out.add("process " + pid + " with KUBENETLAB_LAB=" + lab));
        ItSupport.processesRunningFrom(stateDir).forEach(p -> out.add("process " + p));
        commandLines().stream().filter(c -> c.contains("/run/netns/knl-" + lab + "-") || c.contains("knl-" + lab + "-"))
                .forEach(c -> out.add("process entering the lab's namespaces: " + c));
        // Trace rules live only in lab namespaces: the root namespace never has a trace table.
        Kernel.Result tables = KERNEL.run(List.of("nft", "list", "tables"), null, false);
        tables.stdout().lines().filter(l -> l.contains("kubenetlab-trace-")).forEach(l -> out.add("trace table in the root namespace: " + l));
        return out;
    }

    /**
     * What a lab could leave without its name on it: file names under /dev/shm, /tmp, /run and
     * /etc/netns, the mount points of the host's mount namespace, the root namespace's links, routes
     * and rules, and its netfilter log settings.
     */
    record Snapshot(java.util.Map<String, String> files, Set<String> mounts, String rootNamespace, String nfLog) {
        static Snapshot take() {
            java.util.Map<String, String> files = new java.util.TreeMap<>();
            for (Path root : FILE_ROOTS) for (String p : list(root, DEPTH)) if (!skipped(p)) files.put(p, identity(Path.of(p)));
            Set<String> mounts = new TreeSet<>();
            for (String l : readLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = l.split(" ");
                if (f.length > 4 && !skipped(f[4])) mounts.add(f[4] + " " + (f.length > 9 ? f[f.length - 3] : ""));
            }
            String nfLog = KERNEL.run(List.of("sh", "-c", "cat /proc/sys/net/netfilter/nf_log/* 2>/dev/null"), null, false).stdout();
            return new Snapshot(files, mounts, ItSupport.rootNamespaceSnapshot(), nfLog);
        }

        /**
         * Everything new since {@code before} that is the lab's: files (new, or a file made again under
         * an old name, like a JVM's perf data under a PID namespace's pid) not held or run by a live
         * process, mounts, a changed root namespace. Under /tmp, where test JVMs and tools running beside
         * this one write all the time, a new file is the lab's when its name or its first megabyte names
         * the lab or its state directory (a JVM's perf data holds its command line, the lab's controller
         * and DNS name both); elsewhere (/dev/shm, /run, /etc/netns) every unexplained new file counts.
         * The store's root and /run/secrets are explained while other labs live.
         */
        List<String> leaksSince(Snapshot before, String lab, Path stateDir) {
            List<String> out = new ArrayList<>();
            Pattern w = word(lab);
            String state = stateDir.toAbsolutePath().toString();
            Set<String> held = heldByLiveProcesses();
            boolean otherLabs = !list(io.kubenetlab.store.LabStore.fromEnvironment().root(), 1).isEmpty();
            for (var e : files.entrySet()) {
                String f = e.getKey();
                if (e.getValue().equals(before.files.get(f)) || !Files.exists(Path.of(f), java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                if (held.contains(f) || liveJvmFile(f)) continue;
                if (otherLabs && (f.equals(io.kubenetlab.store.LabStore.fromEnvironment().root().toString()) || f.equals("/run/secrets"))) continue;
                String what = (before.files.containsKey(f) ? "file made again " : "new file ") + f;
                if (f.startsWith("/tmp/") && !w.matcher(f).find() && !names(Path.of(f), w, state)) {
                    System.out.println("LeakCheck: " + what + " does not name lab " + lab + ": another process's");
                    continue;
                }
                out.add(what);
            }
            for (String m : mounts) if (!before.mounts.contains(m)) out.add("new mount " + m);
            if (!rootNamespace.equals(before.rootNamespace)) out.add("root namespace changed:\n" + diff(before.rootNamespace, rootNamespace));
            if (!nfLog.equals(before.nfLog)) out.add("root namespace's nf_log changed: " + before.nfLog.strip() + " -> " + nfLog.strip());
            return out;
        }
    }

    /** Whether a regular file's first megabyte names the lab (as a whole word) or holds its state directory's path. */
    private static boolean names(Path f, Pattern lab, String state) {
        if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return false;
        try (var in = Files.newInputStream(f)) {
            String text = new String(in.readNBytes(1 << 20), java.nio.charset.StandardCharsets.ISO_8859_1);
            return lab.matcher(text).find() || text.contains(state);
        } catch (IOException e) {
            return false; // gone meanwhile, or not readable
        }
    }

    private static boolean skipped(String path) {
        return SNAPSHOT_SKIP.stream().anyMatch(s -> (path + "/").startsWith(s) && !(path + "/").equals(s)) || TEST_TEMP.matcher(path).find()
                || path.equals(XTABLES_LOCK);
    }

    /**
     * Test helpers' own temporary directories (ItSupport.cli's knl-cli*, Kubectl's knl-kubectl-cache*,
     * JUnit's junit*), which test JVMs running beside this one make and remove: not a lab's. What a lab
     * names knl-LAB-... is checked by name ({@link #namedFor}).
     */
    private static final Pattern TEST_TEMP = Pattern.compile("^/tmp/(?:knl-|junit)");

    /**
     * A live JVM's perf data (/tmp/hsperfdata_USER/PID) or attach socket (/tmp/.java_pidPID): not a
     * lab's leftover while that JVM lives. The pid must be a java process of the host: a JVM in a PID
     * namespace writes its namespace's pid (5), which on the host is someone else (a kernel thread).
     */
    private static boolean liveJvmFile(String f) {
        var m = Pattern.compile("^/tmp/(?:hsperfdata_[^/]+/|\\.java_pid)(\\d+)$").matcher(f);
        if (!m.matches()) return false;
        try {
            return Files.readSymbolicLink(Path.of("/proc", m.group(1), "exe")).getFileName().toString().equals("java");
        } catch (IOException | UnsupportedOperationException e) {
            return false; // no such process, or a kernel thread
        }
    }

    /** A directory is itself; a file is its inode and modification time, so one made again under the same name differs. */
    private static String identity(Path p) {
        try {
            var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return a.isDirectory() ? "dir" : a.fileKey() + " " + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return "gone";
        }
    }

    /** Paths that a live process has open, runs from, or works in (its cwd): another process's, not a leftover. */
    private static Set<String> heldByLiveProcesses() {
        Set<String> out = new HashSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                out.addAll(openFiles(p.resolve("fd")));
                for (String link : List.of("cwd", "exe")) {
                    try {
                        String t = Files.readSymbolicLink(p.resolve(link)).toString();
                        // A directory in use holds its parents too (/tmp/dir for /tmp/dir/sub).
                        for (Path q = Path.of(t); q != null; q = q.getParent()) out.add(q.toString());
                    } catch (IOException | UnsupportedOperationException ignored) {
                        // exited meanwhile, or a kernel thread
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<String> openFiles(Path fdDir) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(fdDir)) {
            for (Path fd : s.toList()) {
                try {
                    String t = Files.readSymbolicLink(fd).toString();
                    if (t.startsWith("/")) {
                        out.add(t.endsWith(" (deleted)") ? t.substring(0, t.length() - 10) : t);
                    }
                } catch (IOException ignored) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // the process exited meanwhile, or its fds are not ours to read
        }
        return out;
    }

    private static List<String> commandLines() {
        List<String> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                if (p.getFileName().toString().equals(Long.toString(self))) continue;
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) continue;
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ').trim();
                    if (!cmd.isEmpty()) out.add(p.getFileName() + " " + cmd);
                } catch (IOException ignored) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Paths under {@code root} (not itself) down to {@code depth} levels, not following links; what vanishes meanwhile is left out. */
    static List<String> list(Path root, int depth) {
        List<String> out = new ArrayList<>();
        if (depth <= 0 || !Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return out;
        List<Path> children;
        try (Stream<Path> s = Files.list(root)) {
            children = s.toList();
        } catch (IOException | UncheckedIOException e) {
            return out; // gone or unreadable meanwhile
        }
        for (Path c : children) {
            out.add(c.toString());
            out.addAll(list(c, depth - 1));
        }
        return out;
    }

    private static List<String> readLines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String diff(String before, String after) {
        Set<String> b = new HashSet<>(before.lines().toList()), a = new HashSet<>(after.lines().toList());
        StringBuilder sb = new StringBuilder();
        before.lines().filter(l -> !a.contains(l)).forEach(l -> sb.append("- ").append(l).append('\n'));
        after.lines().filter(l -> !b.contains(l)).forEach(l -> sb.append("+ ").append(l).append('\n'));
        return sb.toString();
    }
}
