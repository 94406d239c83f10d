package io.kubenetlab.kernel;

import static io.kubenetlab.kernel.PtyLibc.C;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A pseudo-terminal pair through libc. This side holds only the master fd; whoever runs on the
 * terminal opens the slave by {@link #slavePath()}. Reads and writes poll with a short timeout so
 * that {@link #close()} never closes the fd under a blocked read (the number could be reused by an
 * unrelated open and the reader would then read someone else's file).
 */
public final class Pty implements AutoCloseable {
    /** How long a blocked read or write holds off close(). */
    private static final int POLL_MILLIS = 100;
    private static final int CHUNK = 8192;

    private final int master;
    private final String slavePath;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Reads and writes share it; close takes it alone, so the fd is closed while nobody is in a call. */
    private final ReadWriteLock inUse = new ReentrantReadWriteLock();
    private final InputStream output = new Output();
    private final OutputStream input = new Input();

    private Pty(int master, String slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /**
     * A new pair. The master is non-blocking (reads poll instead) and close-on-exec; O_NOCTTY so
     * that it never becomes this JVM's controlling terminal.
     */
    public static Pty open() throws IOException {
        int fd = C.posix_openpt(PtyLibc.O_RDWR | PtyLibc.O_NOCTTY | PtyLibc.O_NONBLOCK | PtyLibc.O_CLOEXEC);
        if (fd < 0) throw error("posix_openpt", Native.getLastError());
        try {
            if (C.grantpt(fd) != 0) throw error("grantpt", Native.getLastError());
            if (C.unlockpt(fd) != 0) throw error("unlockpt", Native.getLastError());
            byte[] name = new byte[128];
            int err = C.ptsname_r(fd, name, new NativeLong(name.length));
            if (err != 0) throw error("ptsname_r", err);
            return new Pty(fd, Native.toString(name, StandardCharsets.US_ASCII.name()));
        } catch (IOException | RuntimeException e) {
            C.close(fd);
            throw e;
        }
    }

    /**
     * A new pair in another devpts instance, {@code ptsDir} (a container's /dev/pts, reached from here
     * through /proc/PID/root): the program there sees a terminal its own /dev/pts names, as under
     * {@code docker exec -t}. glibc's grantpt and ptsname would look in this mount namespace's
     * /dev/pts (and could chown a pty of the host's): the number and the unlock are asked of the
     * master itself (TIOCGPTN, TIOCSPTLCK); the instance's mount options set the slave's owner and mode.
     */
    public static Pty openIn(java.nio.file.Path ptsDir) throws IOException {
        int fd = C.open(ptsDir.resolve("ptmx").toString(), PtyLibc.O_RDWR | PtyLibc.O_NOCTTY | PtyLibc.O_NONBLOCK | PtyLibc.O_CLOEXEC);
        if (fd < 0) throw error("open " + ptsDir.resolve("ptmx"), Native.getLastError());
        try {
            int[] number = new int[1];
            if (C.ioctl(fd, new NativeLong(PtyLibc.TIOCGPTN), number) != 0) throw error("TIOCGPTN", Native.getLastError());
            if (C.ioctl(fd, new NativeLong(PtyLibc.TIOCSPTLCK), new int[] {0}) != 0) throw error("TIOCSPTLCK", Native.getLastError());
            return new Pty(fd, ptsDir.resolve(Integer.toString(number[0])).toString());
        } catch (IOException | RuntimeException e) {
            C.close(fd);
            throw e;
        }
    }

    /** Such as /dev/pts/3: the program's stdin, stdout, stderr and controlling terminal. */
    public String slavePath() {
        return slavePath;
    }

    /** What the program prints (with the terminal's echo of typed keys); -1 once no one holds the slave. */
    public InputStream output() {
        return output;
    }

    /** Keys typed: the line discipline turns \x03 into SIGINT, \x04 into end of input, and so on. */
    public OutputStream input() {
        return input;
    }

    /** The window size; the kernel sends SIGWINCH to the terminal's foreground process group. */
    public void resize(int cols, int rows) throws IOException {
        if (cols <= 0 || rows <= 0 || cols > 0xffff || rows > 0xffff) {
            throw new IllegalArgumentException("bad terminal size " + cols + "x" + rows);
        }
        PtyLibc.Winsize ws = new PtyLibc.Winsize();
        ws.ws_col = (short) cols;
        ws.ws_row = (short) rows;
        inUse.readLock().lock();
        try {
            ensureOpen();
            if (C.ioctl(master, new NativeLong(PtyLibc.TIOCSWINSZ), ws) != 0) throw error("ioctl(TIOCSWINSZ)", Native.getLastError());
        } finally {
            inUse.readLock().unlock();
        }
    }

    /**
     * Closes the master, once. The kernel then hangs up the slave: SIGHUP (and SIGCONT) to the
     * session leader whose controlling terminal it is, and when that leader exits, SIGHUP to what
     * was the foreground process group. Readers and writers see end of stream / an IOException.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        inUse.writeLock().lock();
        try {
            C.close(master);
        } finally {
            inUse.writeLock().unlock();
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) throw new IOException("terminal closed");
    }

    /** Waits up to POLL_MILLIS for the master to be ready; true if ready (or hung up: the next call says how). */
    private boolean ready(short events) throws IOException {
        PtyLibc.PollFd p = new PtyLibc.PollFd();
        p.fd = master;
        p.events = events;
        int n = C.poll(p, 1, POLL_MILLIS);
        if (n < 0) {
            int errno = Native.getLastError();
            if (errno == PtyLibc.EINTR) return false;
            throw error("poll", errno);
        }
        return n > 0;
    }

    private static IOException error(String call, int errno) {
        return new IOException(call + ": errno " + errno);
    }

    private final class Output extends InputStream {
        private final byte[] buf = new byte[CHUNK];
        private boolean eof;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            while (!eof) {
                inUse.readLock().lock();
                try {
                    if (closed.get()) return -1;
                    if (!ready(PtyLibc.POLLIN)) continue;
                    long n = C.read(master, buf, new NativeLong(Math.min(len, buf.length))).longValue();
                    if (n > 0) {
                        System.arraycopy(buf, 0, b, off, (int) n);
                        return (int) n;
                    }
                    if (n == 0) {
                        eof = true;
                        break;
                    }
                    int errno = Native.getLastError();
                    if (errno == PtyLibc.EINTR || errno == PtyLibc.EAGAIN) continue;
                    // EIO: the last slave fd closed (the program and its children exited)
                    if (errno == PtyLibc.EIO) {
                        eof = true;
                        break;
                    }
                    throw error("read", errno);
                } finally {
                    inUse.readLock().unlock();
                }
            }
            return -1;
        }
    }

    private final class Input extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            int done = 0;
            while (done < len) {
                inUse.readLock().lock();
                try {
                    ensureOpen();
                    // full while the program does not read: wait, but let close() in between
                    if (!ready(PtyLibc.POLLOUT)) continue;
                    byte[] chunk = Arrays.copyOfRange(b, off + done, off + Math.min(len, done + CHUNK));
                    long n = C.write(master, chunk, new NativeLong(chunk.length)).longValue();
                    if (n >= 0) {
                        done += (int) n;
                        continue;
                    }
                    int errno = Native.getLastError();
                    if (errno == PtyLibc.EINTR || errno == PtyLibc.EAGAIN) continue;
                    if (errno == PtyLibc.EIO) throw new IOException("terminal hung up: the program exited");
                    throw error("write", errno);
                } finally {
                    inUse.readLock().unlock();
                }
            }
        }
    }
}
