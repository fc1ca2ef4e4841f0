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
 */
public record TcpOptions(int ioThreads, long maxQueuedSendBytes, int receiveBufferSize, boolean checkAhsEntries) {
    /** MINA's thread count, 64 MiB send queue, system socket buffers, AHS entries checked. */
    public static final TcpOptions DEFAULTS = new TcpOptions(0, 64L << 20, 0, true);

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
    }

    public TcpOptions withIoThreads(int n) {
        return new TcpOptions(n, maxQueuedSendBytes, receiveBufferSize, checkAhsEntries);
    }

    public TcpOptions withMaxQueuedSendBytes(long n) {
        return new TcpOptions(ioThreads, n, receiveBufferSize, checkAhsEntries);
    }

    public TcpOptions withReceiveBufferSize(int n) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, n, checkAhsEntries);
    }

    public TcpOptions withCheckAhsEntries(boolean check) {
        return new TcpOptions(ioThreads, maxQueuedSendBytes, receiveBufferSize, check);
    }
}
