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
 * @param moderation how the two are applied: {@link Moderation#ADAPTIVE} (the default) treats
 *        {@code busyPollNanos} and {@code readCoalesceNanos} as upper bounds and, per connection,
 *        pauses or polls only as long as what it measures says pays; {@link Moderation#FIXED} always
 *        pauses and polls that long when the reply counts call for it; {@link Moderation#OFF} never
 *        pauses or polls
 */
public record TcpOptions(int ioThreads, long maxQueuedSendBytes, int receiveBufferSize, boolean checkAhsEntries,
        long busyPollNanos, long readCoalesceNanos, int readCoalesceMinReplies, Moderation moderation) {
    /** How an I/O thread moderates its waits: the pause that coalesces reads and the busy poll. */
    public enum Moderation {
        /** Neither pause nor busy poll, whatever their settings. */
        OFF,
        /** The configured pause and poll, whenever the count of replies due calls for them. */
        FIXED,
        /**
         * Per connection, from what the I/O thread observes: the pause only at a length that keeps
         * the connection's reply rate and saves wake-ups (as NIC drivers moderate interrupts), the
         * poll only as long as replies have lately taken to come. The settings are the upper bounds.
         */
        ADAPTIVE;

        /** {@code off}, {@code fixed} or {@code adaptive} (any case); anything else is refused, naming the choices. */
        public static Moderation parse(String name) {
            if (name != null) {
                for (Moderation m : values()) {
                    if (m.name().equalsIgnoreCase(name.trim())) {
                        return m;
                    }
                }
            }
            throw new IllegalArgumentException("moderation '" + name + "' is not one of off, fixed, adaptive");
        }

        /** As configured: lower case. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final long DEFAULT_BUSY_POLL_NANOS = 50_000;
    private static final long DEFAULT_READ_COALESCE_NANOS = 30_000;
    private static final int DEFAULT_READ_COALESCE_MIN_REPLIES = 16;
    /**
     * MINA's thread count, 64 MiB send queue, system socket buffers, AHS entries checked, adaptive
     * moderation with a busy poll of at most 50 µs at queue depth 1 or 2 and a pause of at most
     * 30 µs while 16 or more replies are due.
     */
    public static final TcpOptions DEFAULTS = new TcpOptions(0, 64L << 20, 0, true, DEFAULT_BUSY_POLL_NANOS,
            DEFAULT_READ_COALESCE_NANOS, DEFAULT_READ_COALESCE_MIN_REPLIES, Moderation.ADAPTIVE);
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

    /** With adaptive moderation. */
    public TcpOptions(int ioThreads, long maxQueuedSendBytes, int receiveBufferSize, boolean checkAhsEntries,
            long busyPollNanos, long readCoalesceNanos, int readCoalesceMinReplies) {
        this(ioThreads, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, busyPollNanos, readCoalesceNanos,
                readCoalesceMinReplies, Moderation.ADAPTIVE);
    }

    public TcpOptions {
        if (moderation == null) {
            throw new IllegalArgumentException("moderation must be one of off, fixed, adaptive, not null");
        }
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
                readCoalesceMinReplies, moderation);
    }

    public TcpOptions withMaxQueuedSendBytes(long n) {
        return new TcpOptions(ioThreads, n, receiveBufferSize, checkAhsEntries, busyPollNanos, readCoalesceNanos,
                readCoalesceMinReplies, moderation);
    }

    public TcpOptions withReceiveBufferSize(int n) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, n, checkAhsEntries, busyPollNanos, readCoalesceNanos,
                readCoalesceMinReplies, moderation);
    }

    public TcpOptions withCheckAhsEntries(boolean check) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, receiveBufferSize, check, busyPollNanos, readCoalesceNanos,
                readCoalesceMinReplies, moderation);
    }

    public TcpOptions withBusyPollNanos(long n) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, n, readCoalesceNanos,
                readCoalesceMinReplies, moderation);
    }

    public TcpOptions withReadCoalescing(long nanos, int minReplies) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, busyPollNanos, nanos, minReplies,
                moderation);
    }

    public TcpOptions withModeration(Moderation m) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, busyPollNanos, readCoalesceNanos,
                readCoalesceMinReplies, m);
    }
}
