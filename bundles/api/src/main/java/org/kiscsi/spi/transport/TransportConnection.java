package org.kiscsi.spi.transport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open transport connection that moves whole PDUs, in order, both ways. Every method returns
 * without blocking, and may be called on any thread (the engine calls most of them under a
 * session's lock: never block or call back into the engine from one).
 *
 * <p>Implemented by transports. Methods added in minor versions have defaults that keep a transport
 * built against an earlier version working (as a plain TCP-like transport).
 */
@ConsumerType
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

    /**
     * Applies framing settings to PDUs sent and received from now on: {@link LinkSettings#LOGIN}
     * when the connection opens; at full feature phase see {@link #enterFullFeaturePhase}.
     */
    void configure(LinkSettings settings);

    /**
     * The login succeeded: switch to full feature phase with the negotiated settings (iSER moves
     * from TCP-framed login to RDMA here). The engine sends no PDU on this connection until the
     * stage completes, and fails the login when it completes exceptionally or not within the
     * record's login timeout. The default applies {@link #configure} at once.
     */
    default CompletionStage<Void> enterFullFeaturePhase(LinkSettings settings) {
        configure(settings);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Keys this transport adds to the login's operational stage, in the order they are offered.
     * Read once per login, after the connection opened; the outcome arrives in
     * {@link LinkSettings#loginKeys()} at {@link #enterFullFeaturePhase}. The default adds none.
     */
    default List<LoginKey> loginKeys() {
        return List.of();
    }

    /**
     * The most PDUs the initiator may have outstanding unanswered on this connection (iSER's
     * MaxOutstandingUnexpectedPDUs: commands and requests the target has not answered yet); read at
     * full feature phase, after {@link #enterFullFeaturePhase} completed. The engine keeps commands
     * and its own requests within it. 0 (the default): no limit of the transport's.
     */
    default int maxOutstandingUnexpectedPdus() {
        return 0;
    }

    /**
     * The largest data segment this connection can send in one PDU (iSER's negotiated
     * TargetRecvDataSegmentLength), which the engine keeps to besides the target's
     * MaxRecvDataSegmentLength; read at full feature phase, after {@link #enterFullFeaturePhase}
     * completed. 0 (the default): no limit of the transport's.
     */
    default int maxSendDataSegmentLength() {
        return 0;
    }

    /**
     * A SCSI task is about to be sent: its buffers, direction and lengths. Called before its command
     * PDU is posted, once per attempt (a command sent again after a unit attention or on a new
     * connection is announced again). Only to a transport declaring
     * {@link TransportCapability#TASK_BUFFERS} or {@link TransportCapability#DIRECT_DATA_PLACEMENT}.
     * The default ignores it.
     *
     * @throws org.kiscsi.api.IscsiException when the transport cannot take the task now (an RDMA
     *         transport's registered memory is used up), saying why: the engine then sends nothing
     *         for it, fails that command alone with the exception, and does not call
     *         {@link #taskEnded} for it
     */
    default void taskStarted(TaskBuffers task) {
    }

    /**
     * A task announced by {@link #taskStarted} ended: the transport gives its buffers back (releases
     * registrations, invalidates STags) before returning, and never touches them again. Called once
     * per announced task, also after the connection closed ({@link TaskEnd#CONNECTION_LOST}).
     *
     * @return what the transport moved for it; {@link TaskTransfer#NONE} (the default) for a
     *         transport without {@link TransportCapability#DIRECT_DATA_PLACEMENT}
     */
    default TaskTransfer taskEnded(int itt, TaskEnd end) {
        return TaskTransfer.NONE;
    }

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
