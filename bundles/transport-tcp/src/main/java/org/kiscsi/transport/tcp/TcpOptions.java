package org.kiscsi.transport.tcp;

/**
 * Settings of a {@link TcpTransport}, fixed for its lifetime.
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
 * @param busyPollNanos how long an I/O thread with nothing to do keeps polling its sockets before it
 *        sleeps: 0 (the default) sleeps at once. Polling saves the wake-up of a sleeping thread on
 *        every reply, which at low queue depth is much of the latency, and costs CPU while it polls
 *        (at most this long per idle moment); at most 1 ms
 */
public record TcpOptions(int ioThreads, long maxQueuedSendBytes, int receiveBufferSize, boolean checkAhsEntries,
        long busyPollNanos) {
    /** MINA's thread count, 64 MiB send queue, system socket buffers, AHS entries checked, no busy polling. */
    public static final TcpOptions DEFAULTS = new TcpOptions(0, 64L << 20, 0, true, 0);
    /** The longest busy poll accepted. */
    public static final long MAX_BUSY_POLL_NANOS = 1_000_000;

    /** Without busy polling. */
    public TcpOptions(int ioThreads, long maxQueuedSendBytes, int receiveBufferSize, boolean checkAhsEntries) {
        this(ioThreads, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, 0);
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
    }

    public TcpOptions withIoThreads(int n) {
        return new TcpOptions(n, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, busyPollNanos);
    }

    public TcpOptions withMaxQueuedSendBytes(long n) {
        return new TcpOptions(ioThreads, n, receiveBufferSize, checkAhsEntries, busyPollNanos);
    }

    public TcpOptions withReceiveBufferSize(int n) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, n, checkAhsEntries, busyPollNanos);
    }

    public TcpOptions withCheckAhsEntries(boolean check) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, receiveBufferSize, check, busyPollNanos);
    }

    public TcpOptions withBusyPollNanos(long n) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries, n);
    }
}
