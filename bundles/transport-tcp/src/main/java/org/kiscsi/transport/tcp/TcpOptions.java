package org.kiscsi.transport.tcp;

/**
 * Settings of a {@link TcpTransport}. {@link TcpTransport#reconfigure} changes them without closing
 * a connection: the thread count and receive buffer apply to connections made afterwards, the
 * others at once.
 *
 * @param ioThreads MINA I/O processor threads; 0 lets MINA choose (cores + 1)
 * @param maxQueuedSendBytes bytes a connection may hold queued for sending; a send that would go
 *        past it fails at once with {@code IscsiException(AGAIN)} and the connection stays up (one
 *        PDU is always accepted into an empty queue, whatever its size)
 * @param receiveBufferSize SO_RCVBUF for new connections; 0 keeps the system's (auto-tuned) default.
 *        A small buffer makes {@code suspendReceive()} push back on the peer sooner.
 * @param checkAhsEntries whether a received PDU's AHS must consist of well-formed entries
 *        (AHSLength, AHSType, padded to 4 bytes) that exactly fill TotalAHSLength; a PDU failing
 *        the check closes the connection
 * @param busyPollNanos how long an I/O thread keeps polling its sockets before it sleeps, while a
 *        connection it serves awaits one or two replies of small exchanges (4 KiB-class I/O at queue
 *        depth 1 or 2; the engine's {@code repliesAwaited} hint): polling saves the wake-up of a
 *        sleeping thread on each reply, which there is much of the latency, and costs the CPU it
 *        polls with. Idle connections, deeper queues and large transfers never poll. 50 µs by
 *        default; 0 turns it off; at most 1 ms
 * @param readCoalesceNanos how long an I/O thread pauses before it looks at its sockets again while
 *        a connection it just read from awaits at least {@code readCoalesceMinReplies} replies (the
 *        engine's hint, {@code TransportConnection.repliesAwaited}): the replies that come meanwhile
 *        are then read and answered in one go, as a NIC moderates its interrupts. It trades up to
 *        this much latency per reply, at queue depths where the target has plenty of work queued,
 *        for far fewer thread wake-ups. 0 turns it off; at most 1 ms; a wake-up asked for (new
 *        connection, a write from another thread) ends the pause at once
 * @param readCoalesceMinReplies how many replies a connection must await for the pause (at least 1)
 */
public record TcpOptions(int ioThreads, long maxQueuedSendBytes, int receiveBufferSize, boolean checkAhsEntries,
        long busyPollNanos, long readCoalesceNanos, int readCoalesceMinReplies) {
    private static final long DEFAULT_BUSY_POLL_NANOS = 50_000;
    private static final long DEFAULT_READ_COALESCE_NANOS = 30_000;
    private static final int DEFAULT_READ_COALESCE_MIN_REPLIES = 16;
    /**
     * MINA's thread count, 64 MiB send queue, system socket buffers, AHS entries checked, a 50 µs
     * busy poll at queue depth 1 or 2, a 30 µs pause while 16 or more replies are due.
     */
    public static final TcpOptions DEFAULTS = new TcpOptions(0, 64L << 20, 0, true, DEFAULT_BUSY_POLL_NANOS,
            DEFAULT_READ_COALESCE_NANOS, DEFAULT_READ_COALESCE_MIN_REPLIES);
    /** The longest busy poll accepted. */
    public static final long MAX_BUSY_POLL_NANOS = 1_000_000;
    /** The longest read-coalescing pause accepted. */
    public static final long MAX_READ_COALESCE_NANOS = 1_000_000;

    /** With the default busy polling and read coalescing. */
    public TcpOptions(int ioThreads, long maxQueuedSendBytes, int receiveBufferSize, boolean checkAhsEntries) {
        this(ioThreads, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, DEFAULT_BUSY_POLL_NANOS);
    }

    /** With the default read coalescing. */
    public TcpOptions(int ioThreads, long maxQueuedSendBytes, int receiveBufferSize, boolean checkAhsEntries,
            long busyPollNanos) {
        this(ioThreads, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, busyPollNanos,
                DEFAULT_READ_COALESCE_NANOS, DEFAULT_READ_COALESCE_MIN_REPLIES);
    }

    public TcpOptions {
        if (ioThreads < 0 || ioThreads > 256) {
            throw new IllegalArgumentException("ioThreads " + ioThreads + " outside 0..256");
        }
        if (maxQueuedSendBytes < 1) {
            throw new IllegalArgumentException("maxQueuedSendBytes must be positive: " + maxQueuedSendBytes);
        }
        if (receiveBufferSize < 0) {
            throw new IllegalArgumentException("receiveBufferSize must not be negative: " + receiveBufferSize);
        }
        if (busyPollNanos < 0 || busyPollNanos > MAX_BUSY_POLL_NANOS) {
            throw new IllegalArgumentException("busyPollNanos " + busyPollNanos + " outside 0.." + MAX_BUSY_POLL_NANOS);
        }
        if (readCoalesceNanos < 0 || readCoalesceNanos > MAX_READ_COALESCE_NANOS) {
            throw new IllegalArgumentException("readCoalesceNanos " + readCoalesceNanos + " outside 0.." + MAX_READ_COALESCE_NANOS);
        }
        if (readCoalesceMinReplies < 1) {
            throw new IllegalArgumentException("readCoalesceMinReplies must be at least 1: " + readCoalesceMinReplies);
        }
    }

    public TcpOptions withIoThreads(int n) {
        return new TcpOptions(n, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, busyPollNanos, readCoalesceNanos,
                readCoalesceMinReplies);
    }

    public TcpOptions withMaxQueuedSendBytes(long n) {
        return new TcpOptions(ioThreads, n, receiveBufferSize, checkAhsEntries, busyPollNanos, readCoalesceNanos,
                readCoalesceMinReplies);
    }

    public TcpOptions withReceiveBufferSize(int n) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, n, checkAhsEntries, busyPollNanos, readCoalesceNanos,
                readCoalesceMinReplies);
    }

    public TcpOptions withCheckAhsEntries(boolean check) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, receiveBufferSize, check, busyPollNanos, readCoalesceNanos,
                readCoalesceMinReplies);
    }

    public TcpOptions withBusyPollNanos(long n) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, n, readCoalesceNanos,
                readCoalesceMinReplies);
    }

    public TcpOptions withReadCoalescing(long nanos, int minReplies) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, busyPollNanos, nanos, minReplies);
    }
}
