package io.kubenetlab.kubelet;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few threads per node that each joined the node's network namespace once (setns(2) on a thread
 * affects that thread only; sockets it creates live in that namespace): probes connect from the
 * node toward the pod, like kubelet, without a process per probe.
 */
public final class NetnsExecutors implements AutoCloseable {
    /** Per node: probes waiting on a timeout hold a thread, so a few run side by side. */
    static final int THREADS_PER_NODE = 4;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static volatile LibC libc;
    /** Set on a thread whose setns failed: its probes fail instead of running in the wrong namespace. */
    private static final ThreadLocal<String> JOIN_ERROR = new ThreadLocal<>();

    private final Map<Path, ExecutorService> pools = new ConcurrentHashMap<>();

    /** The pool whose threads live in the network namespace {@code netns} (a file such as /run/netns/NAME). */
    public ExecutorService of(Path netns) {
        return pools.computeIfAbsent(netns, ns -> {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS_PER_NODE, THREADS_PER_NODE, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(() -> {
                            try {
                                join(ns);
                            } catch (RuntimeException e) {
                                JOIN_ERROR.set("cannot enter " + ns + ": " + e.getMessage());
                            }
                            r.run();
                        }, "kubenetlab-probe-" + ns.getFileName() + "-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true); // idle nodes hold no threads
            return pool;
        });
    }

    /** Null on a thread that is in its node's namespace, else why not. */
    public static String joinError() {
        return JOIN_ERROR.get();
    }

    /**
     * Runs {@code task} on a new thread that joined {@code netns} and ends with it: a socket made there
     * stays in that namespace (a port-forward's connection into a pod), and no pool is kept per pod.
     */
    public static <T> T once(Path netns, java.util.concurrent.Callable<T> task) throws java.io.IOException {
        java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(() -> {
            join(netns);
            return task.call();
        });
        Thread t = new Thread(f, "kubenetlab-netns-" + netns.getFileName());
        t.setDaemon(true);
        t.start();
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof java.io.IOException io) throw io;
            if (c instanceof RuntimeException r) throw r;
            throw new java.io.IOException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted entering " + netns);
        }
    }

    /** Moves the calling thread into the network namespace at {@code netns}. */
    static void join(Path netns) {
        LibC c = libc();
        int fd = c.open(netns.toString(), O_RDONLY_CLOEXEC);
        try {
            c.setns(fd, CLONE_NEWNET);
        } finally {
            c.close(fd);
        }
    }

    private static LibC libc() {
        if (libc == null) libc = Native.load("c", LibC.class);
        return libc;
    }

    @Override
    public void close() {
        pools.values().forEach(ExecutorService::shutdownNow);
        pools.clear();
    }
}
