package org.kiscsi.transport.iser.soft;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ConsumerType;

/** Sees what crosses a {@link SoftFabric}, on the fabric's thread (for a capture file). */
@ConsumerType
public interface SoftTap {
    /** What a frame is. */
    enum Kind {
        SEND, SEND_WITH_INVALIDATE, RDMA_WRITE, RDMA_READ_REQUEST, RDMA_READ_RESPONSE
    }

    /** A connection was established: CM REQ (with its private data), REP and RTU. */
    void connected(InetSocketAddress client, int clientQpn, InetSocketAddress server, int serverQpn, byte[] reqPrivateData,
            byte[] repPrivateData);

    /**
     * A message went from one queue pair to the other.
     *
     * @param payload what travelled (the Send's bytes, the written or read data); empty for a read request
     * @param remoteAddress RDMA: the virtual address; else 0
     * @param rkey RDMA: the STag; Send with Invalidate: the STag invalidated; else 0
     * @param length RDMA: the length asked for; else the payload's
     */
    void frame(Kind kind, InetSocketAddress src, int srcQpn, InetSocketAddress dst, int dstQpn, byte[] payload,
            long remoteAddress, int rkey, int length);
}
