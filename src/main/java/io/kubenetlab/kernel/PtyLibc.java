package io.kubenetlab.kernel;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;

/**
 * The libc calls a pseudo-terminal needs. Failures return -1 and leave errno in
 * {@link Native#getLastError()}: not declaring LastErrorException, because JNA would then throw on
 * any errno a successful call leaves behind.
 */
interface PtyLibc extends Library {
    int O_RDWR = 02;
    int O_NOCTTY = 0400;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    int EINTR = 4;
    int EIO = 5;
    int EAGAIN = 11;
    int ESRCH = 3;
    /** asm-generic ioctl numbers: x86 and arm; other architectures (ppc, mips, sparc) differ. */
    long TIOCSWINSZ = 0x5414;
    /** The pty's number (_IOR('T', 0x30, unsigned int)) and its lock (_IOW('T', 0x31, int)). */
    long TIOCGPTN = 0x80045430L;
    long TIOCSPTLCK = 0x40045431L;
    short POLLIN = 0x1;
    short POLLOUT = 0x4;
    int SIGHUP = 1;
    int SIGKILL = 9;
    int SIGCONT = 18;

    PtyLibc C = Native.load("c", PtyLibc.class);

    int posix_openpt(int flags);

    int open(String path, int flags);

    /** Variadic in C; an int pointer third argument (TIOCGPTN, TIOCSPTLCK). */
    int ioctl(int fd, NativeLong request, int[] arg);

    int grantpt(int fd);

    int unlockpt(int fd);

    /** Returns an errno value (0 on success), not -1; unlike ptsname it is thread-safe. */
    int ptsname_r(int fd, byte[] buf, NativeLong buflen);

    NativeLong read(int fd, byte[] buf, NativeLong count);

    NativeLong write(int fd, byte[] buf, NativeLong count);

    int poll(PollFd fds, int nfds, int timeoutMillis);

    /** Variadic in C; a pointer third argument is passed the same way on x86-64 and aarch64. */
    int ioctl(int fd, NativeLong request, Winsize arg);

    int close(int fd);

    int kill(int pid, int sig);

    int geteuid();

    /** struct pollfd. */
    @Structure.FieldOrder({"fd", "events", "revents"})
    final class PollFd extends Structure {
        public int fd;
        public short events;
        public short revents;
    }

    /** struct winsize: rows first. */
    @Structure.FieldOrder({"ws_row", "ws_col", "ws_xpixel", "ws_ypixel"})
    final class Winsize extends Structure {
        public short ws_row;
        public short ws_col;
        public short ws_xpixel;
        public short ws_ypixel;
    }
}
