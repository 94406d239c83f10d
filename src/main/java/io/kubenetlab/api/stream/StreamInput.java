package io.kubenetlab.api.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * The bytes a peer sent on one stream, as an InputStream: a bounded queue of DATA payloads. When it holds
 * {@link #CAPACITY} bytes the session's reading thread waits in {@link #offer} until the consumer reads. That stalls
 * the whole connection, as spdystream does (its frame workers block on an unbuffered channel, connection.go
 * handleDataFrame): SPDY/3 flow control would avoid it, but spdystream neither sends nor honours WINDOW_UPDATE, so
 * a window could not be enforced anyway. Memory stays bounded; a consumer that stops reading must close the input.
 */
final class StreamInput extends InputStream {
    /** Per stream; a single larger frame is still taken when the queue is empty, so no frame can wedge the reader. */
    static final int CAPACITY = 256 * 1024;

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int offset; // into chunks.peekFirst()
    private int buffered;
    private boolean fin; // the peer sent FIN: EOF once the queue is drained
    private boolean dropped; // RST, session end or local close: EOF now, later data discarded

    /** Queues a payload from the reading thread, waiting while the queue is full. */
    synchronized void offer(byte[] data) throws InterruptedIOException {
        while (!dropped && !fin && buffered > 0 && buffered + data.length > CAPACITY) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while a stream's input was full");
            }
        }
        if (dropped || fin || data.length == 0) return;
        chunks.addLast(data);
        buffered += data.length;
        notifyAll();
    }

    synchronized void finish() {
        fin = true;
        notifyAll();
    }

    /** Ends the input at once, discarding what is queued and whatever comes later. */
    synchronized void drop() {
        dropped = true;
        chunks.clear();
        buffered = 0;
        notifyAll();
    }

    @Override
    public synchronized int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        while (chunks.isEmpty() && !fin && !dropped) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted reading a SPDY stream");
            }
        }
        if (chunks.isEmpty()) return -1;
        byte[] head = chunks.peekFirst();
        int n = Math.min(len, head.length - offset);
        System.arraycopy(head, offset, b, off, n);
        offset += n;
        if (offset == head.length) {
            chunks.removeFirst();
            offset = 0;
        }
        buffered -= n;
        notifyAll();
        return n;
    }

    @Override
    public synchronized int available() {
        return buffered;
    }

    /** The consumer is done: the rest, and anything later, is discarded so the reading thread never waits on it. */
    @Override
    public void close() {
        drop();
    }
}
