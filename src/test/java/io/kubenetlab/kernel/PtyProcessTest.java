package io.kubenetlab.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PtyProcessTest {
    /** A prompt no command output contains, so a new prompt is recognisable. */
    private static final Map<String, String> SHELL_ENV = Map.of("PS1", "PTYPROMPT> ", "TERM", "dumb", "ENV", "");
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Everything the terminal printed, read on its own thread as a server would. */
    static final class Screen {
        private final StringBuilder text = new StringBuilder();
        private volatile boolean eof;
        private final Thread reader;

        Screen(InputStream in) {
            reader = new Thread(() -> {
                byte[] b = new byte[1024];
                try {
                    for (int n; (n = in.read(b)) >= 0; ) {
                        synchronized (text) {
                            text.append(new String(b, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                } catch (IOException ignored) {
                    // closed under us
                }
                eof = true;
            }, "pty-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        /** Waits until {@code s} appears at least {@code times} times. */
        String await(String s, int times) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (count(text(), s) < times) {
                if (System.nanoTime() > deadline) throw new AssertionError("no " + times + "x '" + s + "' in: " + text());
                Thread.sleep(10);
            }
            return text();
        }

        boolean awaitEof() throws InterruptedException {
            reader.join(WAIT.toMillis());
            return eof;
        }

        private static int count(String hay, String needle) {
            int n = 0;
            for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
            return n;
        }
    }

    private static void type(PtyProcess p, String keys) throws IOException {
        p.pty().input().write(keys.getBytes(StandardCharsets.UTF_8));
        p.pty().input().flush();
    }

    private static PtyProcess shell() throws IOException {
        return PtyProcess.start(List.of("sh"), SHELL_ENV, 80, 24);
    }

    @Test
    void theProgramSeesTheInitialSizeAndTheTerminalAsItsTty() throws Exception {
        try (PtyProcess p = PtyProcess.start(List.of("sh", "-c", "stty size; tty"), Map.of(), 80, 24)) {
            Screen screen = new Screen(p.pty().output());
            assertThat(p.waitFor()).isEqualTo(0);
            assertThat(screen.awaitEof()).isTrue();
            assertThat(screen.text()).contains("24 80").contains(p.pty().slavePath());
            assertThat(p.pty().slavePath()).startsWith("/dev/pts/");
        }
    }

    @Test
    void aResizeIsSeenByTheNextCommand() throws Exception {
        try (PtyProcess p = shell()) {
            Screen screen = new Screen(p.pty().output());
            screen.await("PTYPROMPT> ", 1);
            p.pty().resize(100, 40);
            type(p, "stty size\n");
            assertThat(screen.await("PTYPROMPT> ", 2)).contains("40 100");
        }
    }

    @Test
    void theExitCodeComesBack() throws Exception {
        try (PtyProcess p = shell()) {
            Screen screen = new Screen(p.pty().output());
            screen.await("PTYPROMPT> ", 1);
            type(p, "exit 3\n");
            assertThat(p.waitFor()).isEqualTo(3);
            assertThat(p.isAlive()).isFalse();
            assertThat(screen.awaitEof()).as("EOF after the program exits").isTrue();
        }
    }

    @Test
    void ctrlCInterruptsTheForegroundJobAndTheShellSurvives() throws Exception {
        try (PtyProcess p = shell()) {
            Screen screen = new Screen(p.pty().output());
            screen.await("PTYPROMPT> ", 1);
            assertThat(screen.text()).as("job control needs the controlling terminal").doesNotContain("job control turned off");
            type(p, "sleep 100\n");
            long sleep = awaitChild(p.pid(), "sleep");
            type(p, "\u0003");
            screen.await("PTYPROMPT> ", 2);
            awaitGone(sleep);
            assertThat(p.isAlive()).isTrue();
            type(p, "echo still-$((40+2))\n");
            screen.await("still-42", 1);
        }
    }

    @Test
    void closingTheTerminalHangsUpTheShellAndItsForegroundJob() throws Exception {
        PtyProcess p = shell();
        Screen screen = new Screen(p.pty().output());
        screen.await("PTYPROMPT> ", 1);
        type(p, "sleep 1000\n");
        long sleep = awaitChild(p.pid(), "sleep");
        assertThat(Sessions.session(sleep)).isEqualTo(p.pid());

        p.pty().close(); // no signal from us: the kernel's hangup alone

        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        awaitGone(sleep);
        assertThat(sessionOf(p.pid())).isEmpty();
        p.close(); // idempotent
    }

    @Test
    void destroyEndsTheWholeSessionBackgroundJobsToo() throws Exception {
        try (PtyProcess p = shell()) {
            Screen screen = new Screen(p.pty().output());
            screen.await("PTYPROMPT> ", 1);
            // a background job outlives a hangup of sh; a nohup'd one ignores SIGHUP altogether
            type(p, "sleep 1001 &\n");
            screen.await("PTYPROMPT> ", 2);
            type(p, "nohup sleep 1002 >/dev/null 2>&1 &\n");
            screen.await("PTYPROMPT> ", 3);
            type(p, "sleep 1000\n");
            awaitChild(p.pid(), "sleep", 3);
            assertThat(sessionOf(p.pid())).hasSize(4);

            p.destroy();

            assertThat(p.isAlive()).isFalse();
            assertThat(sessionOf(p.pid())).isEmpty();
            assertThat(screen.awaitEof()).as("EOF once no one holds the slave").isTrue();
        }
    }

    @Test
    void noFdIsLeftBehind() throws Exception {
        try (PtyProcess warm = PtyProcess.start(List.of("true"), Map.of(), 80, 24)) {
            warm.waitFor(); // JNA's first load and the JDK's process machinery open their files once
        }
        long before = openFds();
        for (int i = 0; i < 3; i++) {
            PtyProcess p = PtyProcess.start(List.of("sh", "-c", "echo hi"), Map.of(), 80, 24);
            Screen screen = new Screen(p.pty().output());
            assertThat(p.waitFor()).isEqualTo(0);
            assertThat(screen.awaitEof()).isTrue();
            p.close();
        }
        try (Pty idle = Pty.open()) {
            assertThat(openFds()).isEqualTo(before + 1);
        }
        assertThat(openFds()).isEqualTo(before);
    }

    @Test
    void closeIsIdempotentAndAReaderThenSeesEndOfStream() throws Exception {
        Pty pty = Pty.open();
        pty.close();
        pty.close();
        assertThat(pty.output().read()).isEqualTo(-1);
        assertThat(pty.isClosed()).isTrue();
    }

    /** This JVM's open terminal fds (masters and slaves): other tests in the JVM open and close other files meanwhile. */
    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.equals("/dev/ptmx") || target.startsWith("/dev/pts/");
                } catch (IOException gone) {
                    return false; // the directory stream's own fd, or one closed meanwhile
                }
            }).count();
        }
    }

    private static long awaitChild(long parent, String comm) throws InterruptedException {
        return awaitChild(parent, comm, 1);
    }

    /** The newest of at least {@code n} descendants named {@code comm}. */
    private static long awaitChild(long parent, String comm, int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Long> found = Procs.descendants(parent).stream().filter(pid -> comm.equals(comm(pid))).toList();
            if (found.size() >= n) return found.get(found.size() - 1);
            Thread.sleep(10);
        }
        throw new AssertionError("no " + n + " " + comm + " under " + parent);
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (Procs.aliveOrZombieGone(pid)) {
            if (System.nanoTime() > deadline) throw new AssertionError(pid + " still alive");
            Thread.sleep(10);
        }
    }

    /** Live processes whose session id is {@code sid}, from /proc. */
    private static Set<Long> sessionOf(long sid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(pid -> Sessions.session(pid) == sid)
                    .filter(Procs::aliveOrZombieGone).collect(Collectors.toSet());
        }
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
