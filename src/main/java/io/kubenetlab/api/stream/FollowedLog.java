package io.kubenetlab.api.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A container's log read as it grows, from a given offset, until {@code following} says stop (the pod
 * is gone, the server closes, the client left): {@code kubectl logs -f} and {@code kubectl attach}.
 * The file is asked for again at each look: the docker runtime hands out a fresh snapshot of the engine's
 * log each time. A file that shrank is a restarted container's new log, read from its start.
 */
public final class FollowedLog extends InputStream {
    private static final long POLL_MILLIS = 100;

    private final Supplier<Path> file;
    private final BooleanSupplier following;
    private long pos;

    public FollowedLog(Supplier<Path> file, long from, BooleanSupplier following) {
        this.file = file;
        this.pos = from;
        this.following = following;
    }

    /** The log's size now (0 when it does not exist yet): where following from "now" starts. */
    public static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Blocks until the log has more than was read (or following ends: end of file). */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (following.getAsBoolean()) {
            Path f = file.get();
            long size = size(f);
            if (size < pos) pos = 0;
            if (size > pos) {
                try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
                    raf.seek(pos);
                    int n = raf.read(b, off, (int) Math.min(len, size - pos));
                    if (n > 0) {
                        pos += n;
                        return n;
                    }
                }
            }
            io.kubenetlab.kernel.Procs.sleep(POLL_MILLIS);
        }
        return -1;
    }
}
