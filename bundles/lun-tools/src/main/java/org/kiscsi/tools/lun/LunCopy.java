package org.kiscsi.tools.lun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.Await;

/**
 * {@code kiscsi-dd}'s copy: {@code length} bytes (or to the source's end) from byte {@code inOffset} of the
 * source to byte {@code outOffset} of the destination, in transfers of {@code ioSize} bytes with up to
 * {@code depth} of them in flight. LU reads and writes are asynchronous (a LU-to-LU transfer's write is
 * chained to its read's completion, on the I/O thread, without blocking); the copying thread only waits
 * for the oldest transfer, hashes its bytes (SHA-256, in order), writes them to a file or stream, and
 * reports progress. A LU destination ends with SYNCHRONIZE CACHE unless every write carried FUA.
 */
public final class LunCopy {
    /** What a copy did. */
    public record Result(long bytes, long nanos, byte[] sha256) {
        public double seconds() {
            return nanos / 1e9;
        }
    }

    /** Told of the bytes done so far, on the copying thread, after each transfer. */
    @FunctionalInterface
    public interface ProgressListener {
        void copied(long bytes, long total, long nanos);
    }

    private final CopyEnd source;
    private final CopyEnd destination;
    private final int ioSize;
    private final int depth;
    private final Duration timeout;

    public LunCopy(CopyEnd source, CopyEnd destination, int ioSize, int depth, Duration timeout) {
        if (ioSize <= 0 || depth < 1) {
            throw new IllegalArgumentException("transfer size " + ioSize + " and depth " + depth + " must be positive");
        }
        this.source = source;
        this.destination = destination;
        this.ioSize = ioSize;
        this.depth = depth;
        this.timeout = timeout;
    }

    private final class Transfer {
        final long position;
        final ByteBuffer buffer;
        int length;
        CompletionStage<Void> done;

        Transfer(long position, ByteBuffer buffer) {
            this.position = position;
            this.buffer = buffer;
        }
    }

    /**
     * Copies as dd's operands say ({@code skip}, {@code seek}, {@code count} in {@code bs} units) and
     * reports as dd does on {@code err}: a progress bar when {@code bar}, then (unless {@code status=none})
     * bytes, time and rate, and the data's SHA-256. What bin/kiscsi-dd and the shell's lun-dd both print.
     * {@code whenCopied} runs between the copy and the summary (a tool writing data to standard output
     * flushes it there, so the summary comes after the data).
     */
    public static Result copyAsDd(CopyEnd source, CopyEnd destination, DdOperands d, Duration timeout, PrintStream err,
            boolean bar, Runnable whenCopied) {
        DdProgress progress = bar ? new DdProgress(err) : null;
        Result r = new LunCopy(source, destination, d.ioSize(), d.depth(), timeout)
                .copy(d.skip() * d.bs(), d.seek() * d.bs(), d.count() < 0 ? -1 : d.count() * d.bs(), progress);
        if (progress != null) {
            progress.end();
        }
        whenCopied.run();
        if (d.status() != DdOperands.Status.NONE) {
            err.println(DdProgress.summary(r.bytes(), r.nanos()));
            err.println("sha256 " + HexFormat.of().formatHex(r.sha256()));
        }
        return r;
    }

    /** Copies; {@code length} -1: to the end of the source. Blocks the calling thread (an edge). */
    public Result copy(long inOffset, long outOffset, long length, ProgressListener progress) {
        checkAlignment(source, inOffset, "skip");
        checkAlignment(destination, outOffset, "seek");
        long total = length;
        if (total < 0 && source.size() >= 0) {
            total = Math.max(0, source.size() - inOffset);
        }
        if (source.size() >= 0 && total > source.size() - inOffset) {
            throw new IscsiException(IscsiError.INVAL, source.name() + " has " + source.size() + " bytes; " + total
                    + " from byte " + inOffset + " go past its end");
        }
        if (destination instanceof CopyEnd.Lun && total >= 0 && outOffset + total > destination.size()) {
            throw new IscsiException(IscsiError.INVAL, destination.name() + " has " + destination.size() + " bytes; " + total
                    + " from byte " + outOffset + " do not fit");
        }
        if (total >= 0) {
            checkAlignment(source, total, "the length");
            checkAlignment(destination, total, "the length");
        }
        MessageDigest sha = sha256();
        Deque<ByteBuffer> free = new ArrayDeque<>();
        for (int i = 0; i < depth; i++) {
            free.add(ByteBuffer.allocateDirect(ioSize));
        }
        Deque<Transfer> inFlight = new ArrayDeque<>();
        long start = System.nanoTime();
        long issued = 0;
        long done = 0;
        boolean end = false;
        try {
            skipStream(inOffset);
            while (true) {
                while (!end && !free.isEmpty() && (total < 0 || issued < total)) {
                    int len = (int) (total < 0 ? ioSize : Math.min(ioSize, total - issued));
                    Transfer t = new Transfer(issued, free.poll());
                    t.buffer.clear().limit(len);
                    t.done = read(t, inOffset);
                    if (t.length < len) {
                        end = true; // a stream ended
                        checkAlignment(destination, issued + t.length, "the input's length");
                    }
                    if (t.length == 0) {
                        free.add(t.buffer);
                        break;
                    }
                    if (destination instanceof CopyEnd.Lun && outOffset + issued + t.length > destination.size()) {
                        throw new IscsiException(IscsiError.INVAL, source.name() + " has more than the "
                                + (destination.size() - outOffset) + " bytes that fit into " + destination.name());
                    }
                    t.done = write(t, outOffset);
                    inFlight.add(t);
                    issued += t.length;
                }
                Transfer head = inFlight.poll();
                if (head == null) {
                    break;
                }
                Await.result(head.done, timeout, "bytes " + head.position + ".." + (head.position + head.length) + " of "
                        + source.name() + " to " + destination.name());
                ByteBuffer data = head.buffer.duplicate().position(0).limit(head.length);
                sha.update(data.duplicate());
                writeInOrder(head, data, outOffset);
                done += head.length;
                free.add(head.buffer);
                if (progress != null) {
                    progress.copied(done, total, System.nanoTime() - start);
                }
            }
            finish();
        } finally {
            drain(inFlight);
        }
        return new Result(done, System.nanoTime() - start, sha.digest());
    }

    private CompletionStage<Void> read(Transfer t, long inOffset) {
        if (source instanceof CopyEnd.Lun l) {
            t.length = t.buffer.limit();
            return l.device().read((inOffset + t.position) / l.device().blockSize(), t.buffer.duplicate());
        }
        try {
            if (source instanceof CopyEnd.File f) {
                int n = 0;
                while (t.buffer.hasRemaining()) {
                    int r = f.channel().read(t.buffer, inOffset + t.position + n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                t.length = n;
            } else {
                t.length = CopyEnd.fill(((CopyEnd.Stream) source).in(), t.buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source.name() + " at byte " + (inOffset + t.position), e);
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<Void> write(Transfer t, long outOffset) {
        if (destination instanceof CopyEnd.Lun l) {
            long lba = (outOffset + t.position) / l.device().blockSize();
            ByteBuffer src = t.buffer.duplicate().position(0).limit(t.length);
            // chained on the read's completion: runs on the I/O thread, and only sends (never blocks)
            return t.done.thenCompose(v -> l.device().write(lba, src, l.fua()));
        }
        return t.done;
    }

    private void writeInOrder(Transfer t, ByteBuffer data, long outOffset) {
        try {
            if (destination instanceof CopyEnd.File f) {
                long pos = outOffset + t.position;
                while (data.hasRemaining()) {
                    pos += f.channel().write(data, pos);
                }
            } else if (destination instanceof CopyEnd.Stream s) {
                while (data.hasRemaining()) {
                    s.out().write(data);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + destination.name() + " at byte " + (outOffset + t.position), e);
        }
    }

    private void skipStream(long inOffset) {
        if (!(source instanceof CopyEnd.Stream s) || inOffset == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(ioSize, 1 << 20));
        long left = inOffset;
        try {
            while (left > 0) {
                b.clear().limit((int) Math.min(b.capacity(), left));
                int n = CopyEnd.fill(s.in(), b);
                if (n == 0) {
                    throw new IscsiException(IscsiError.INVAL, source.name() + " ended before the " + inOffset + " bytes to skip");
                }
                left -= n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("skipping " + inOffset + " bytes of " + source.name(), e);
        }
    }

    private void finish() {
        if (destination instanceof CopyEnd.Lun l && !l.fua()) {
            Await.result(l.device().flush(), timeout, destination.name() + ": SYNCHRONIZE CACHE");
        } else if (destination instanceof CopyEnd.File f) {
            try {
                f.channel().force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("flushing " + destination.name(), e);
            }
        }
    }

    /** After a failure, lets the transfers still in flight end (bounded) before their buffers go. */
    private void drain(Deque<Transfer> inFlight) {
        for (Transfer t : inFlight) {
            try {
                t.done.toCompletableFuture().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // the first failure is what the caller reports
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void checkAlignment(CopyEnd end, long bytes, String what) {
        if (end instanceof CopyEnd.Lun l && bytes % l.device().blockSize() != 0) {
            throw new IscsiException(IscsiError.INVAL, what + " (" + bytes + " bytes) is not a whole number of "
                    + l.device().blockSize() + "-byte blocks of " + l.name());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
