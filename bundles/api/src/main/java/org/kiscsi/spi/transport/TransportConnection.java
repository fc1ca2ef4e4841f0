package org.kiscsi.spi.transport;

import java.util.concurrent.CompletionStage;

/**
 * An open transport connection that moves whole PDUs, in order, both ways. Every method returns
 * without blocking.
 */
public interface TransportConnection {
    /**
     * A buffer for a PDU to send, with {@code ahsLength} bytes of AHS after the BHS and room for a
     * {@code dataLength}-byte data segment. RDMA transports hand out registered memory here.
     */
    PduBuffer allocate(int ahsLength, int dataLength);

    /**
     * A buffer for a PDU whose data segment is {@code data}'s remaining bytes. Transports that can
     * send from the caller's memory (TCP) wrap it without copying; the caller must then leave those
     * bytes alone until the send completed. The default copies into {@link #allocate(int, int)}.
     */
    default PduBuffer allocate(int ahsLength, java.nio.ByteBuffer data) {
        PduBuffer p = allocate(ahsLength, data.remaining());
        p.data().duplicate().put(data.duplicate());
        return p;
    }

    /**
     * Queues a PDU for sending and takes ownership of it. PDUs leave in the order they were given.
     * The stage completes once the PDU was handed to the network, or exceptionally when the
     * connection closed first.
     */
    CompletionStage<Void> send(PduBuffer pdu);

    /**
     * Queues a PDU for sending, as {@link #send}, without a completion stage: for the data path,
     * where the caller does not wait for each PDU. A PDU that cannot be sent closes the connection,
     * and the listener hears why through {@link TransportListener#closed}. The buffer is released
     * either way.
     */
    default void post(PduBuffer pdu) {
        send(pdu);
    }

    /**
     * How many replies the session awaits on this connection now: commands and requests sent whose
     * final response has not come. A hint, set whenever the number changes: a transport may batch
     * its receive work while many replies are due (as a NIC moderates interrupts) and must never
     * wait for a reply on the strength of it. The default ignores it.
     */
    default void repliesAwaited(int count) {
    }

    /** Applies negotiated framing settings to PDUs sent and received from now on. */
    void configure(LinkSettings settings);

    /** Stops delivering received PDUs until {@link #resumeReceive()} (back-pressure). */
    void suspendReceive();

    void resumeReceive();

    /** Closes the connection; queued sends fail. The listener hears {@code closed(null)}. */
    void close();

    /** Completes when the connection is closed, by either side or by an error. */
    CompletionStage<Void> closeFuture();

    boolean isOpen();

    /** Local endpoint, for display ({@code 127.0.0.1:41234}, {@code [::1]:41234}). */
    String localAddress();

    /** Remote endpoint, for display. */
    String remoteAddress();

    /** Buffers handed out by {@link #allocate} or delivered and not yet released. */
    long buffersOutstanding();
}
