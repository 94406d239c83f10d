package io.kubenetlab.kernel;

import static io.kubenetlab.kernel.PtyLibc.C;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Ends the session a client's command leads (exec, on a terminal or on pipes). A hangup reaches only the session leader and the
 * foreground job: background jobs (`sleep 1000 &` in sh) and a shell that ignores SIGHUP would
 * outlive the client, so every process of the session gets SIGHUP, then SIGKILL.
 */
final class Sessions {
    private Sessions() {}

    /**
     * The processes of the session led by {@code leader}, and the leader's descendants with the
     * sessions they started (a child that ran setsid escapes the session, not its parent's tree).
     * Never this JVM's own session. The session id stays reserved while any member lives, so after
     * the leader is reaped the survivors are still found by it.
     */
    static Set<Long> members(ProcessHandle leader) {
        long self = ProcessHandle.current().pid();
        Set<Long> sessions = new LinkedHashSet<>(List.of(leader.pid()));
        Set<Long> out = new LinkedHashSet<>();
        // ProcessHandle checks start times, so a recycled pid does not pass for the leader's child
        Stream.concat(Stream.of(leader).filter(ProcessHandle::isAlive), leader.descendants()).forEach(p -> {
            out.add(p.pid());
            long sid = session(p.pid());
            if (sid > 0) sessions.add(sid);
        });
        sessions.remove(session(self));
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(pid -> sessions.contains(session(pid))).forEach(out::add);
        } catch (IOException e) {
            throw new KernelException("cannot list /proc", e);
        }
        out.removeIf(pid -> pid == self || !Procs.aliveOrZombieGone(pid));
        return out;
    }

    /**
     * SIGHUP (and SIGCONT, so a stopped job acts on it) to each member, as a terminal hangup
     * would; after {@code graceMillis}, SIGKILL to whatever is left, rescanning for processes forked
     * in between.
     */
    static void end(ProcessHandle leader, long graceMillis) {
        for (long pid : members(leader)) {
            C.kill((int) pid, PtyLibc.SIGHUP);
            C.kill((int) pid, PtyLibc.SIGCONT);
        }
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        while (!members(leader).isEmpty() && System.nanoTime() < deadline) Procs.sleep(10);
        for (int round = 0; round < 10; round++) {
            Set<Long> left = members(leader);
            if (left.isEmpty()) return;
            Procs.killAndWait(List.copyOf(left), 1000);
        }
    }

    /** Field 6 of /proc/PID/stat; -1 if gone. */
    static long session(long pid) {
        String[] f = Procs.statFields(pid);
        return f == null ? -1 : Long.parseLong(f[3]);
    }
}
