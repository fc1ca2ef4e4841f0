package org.kiscsi.testkit.loopback;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an in-memory connection: a bounded ring of bytes between a writer and a reader.
 * A writer blocks while the ring is full (as a socket's send buffer does), a reader while it is
 * empty. {@link #close()} is an orderly end: bytes already written are still read, then the reader
 * sees the end of the stream, and later writes fail. {@link #fail} breaks it at once for both ends,
 * dropping what was buffered, as a network failure does.
 */
final class BytePipe {
    /** Waits re-check the state at least this often, so no wait can outlive a missed signal. */
    private static final long RECHECK_MS = 100;

    private final byte[] ring;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int head; // next byte to read
    private int count;
    private boolean closed;
    private IOException failure;

    BytePipe(int capacity, String name) {
        this.ring = new byte[capacity];
        this.name = name;
    }

    /** Orderly end: the reader drains what is buffered and then sees end of stream. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Abrupt end: both ends get {@code cause} from their next (or current) call. */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            closed = true;
            count = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    InputStream source() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return take(b, off, len);
            }

            @Override
            public int available() {
                lock.lock();
                try {
                    return count;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void close() {
                BytePipe.this.close();
            }
        };
    }

    OutputStream sink() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                put(b, off, len);
            }

            @Override
            public void close() {
                BytePipe.this.close();
            }
        };
    }

    private int take(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (count == 0) {
                if (failure != null) {
                    throw failure;
                }
                if (closed) {
                    return -1;
                }
                await();
            }
            if (failure != null) {
                throw failure;
            }
            int n = Math.min(len, count);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, b, off, first);
            System.arraycopy(ring, 0, b, off + first, n - first);
            head = (head + n) % ring.length;
            count -= n;
            changed.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void put(byte[] b, int off, int len) throws IOException {
        int done = 0;
        lock.lock();
        try {
            while (done < len) {
                if (failure != null) {
                    throw failure;
                }
                if (closed) {
                    throw new IOException(name + " is closed");
                }
                if (count == ring.length) {
                    await();
                    continue;
                }
                int n = Math.min(len - done, ring.length - count);
                int tail = (head + count) % ring.length;
                int first = Math.min(n, ring.length - tail);
                System.arraycopy(b, off + done, ring, tail, first);
                System.arraycopy(b, off + done + first, ring, 0, n - first);
                count += n;
                done += n;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void await() throws InterruptedIOException {
        try {
            changed.await(RECHECK_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(name + ": interrupted");
        }
    }
}
