package org.kiscsi.engine.internal;

import java.nio.ByteBuffer;
import java.util.Set;

import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;

/**
 * One iSCSI connection: the transport connection and whoever handles its PDUs now — the login
 * driver during login, the session in full feature phase. The transport calls it one event at a time.
 */
final class Connection implements TransportListener {
    /** What handles a connection's events in its current phase. */
    interface Handler {
        void received(PduBuffer pdu);

        void closed(Throwable cause);

        default ByteBuffer placementFor(ByteBuffer header) {
            return null;
        }
    }

    final int cid;
    final String portal;
    final String transportName;
    /** The transport moves SCSI data itself ({@code DIRECT_DATA_PLACEMENT}): no Data-Out, R2T or Data-In here. */
    final boolean directDataPlacement;
    /** With direct data placement, immediate and unsolicited data still go as PDUs ({@code UNSOLICITED_DATA_BY_SEND}). */
    final boolean unsolicitedBySend;
    /**
     * The transport wants each task's buffers announced ({@code TASK_BUFFERS}, implied by direct data
     * placement); read once per connection so that others pay nothing per command.
     */
    final boolean announcesTasks;
    private volatile Handler handler;
    private volatile TransportConnection transport;
    volatile ConnectionState state = ConnectionState.XPT_WAIT;
    /** Login PDUs of this connection, counted by its login driver; read once the login has ended. */
    volatile int loginRequests;
    volatile int loginResponses;

    Connection(int cid, String portal, String transportName, Set<TransportCapability> capabilities, Handler initial) {
        this.cid = cid;
        this.portal = portal;
        this.transportName = transportName;
        this.directDataPlacement = capabilities.contains(TransportCapability.DIRECT_DATA_PLACEMENT);
        this.unsolicitedBySend = directDataPlacement && capabilities.contains(TransportCapability.UNSOLICITED_DATA_BY_SEND);
        this.announcesTasks = directDataPlacement || capabilities.contains(TransportCapability.TASK_BUFFERS);
        this.handler = initial;
    }

    void attach(TransportConnection t) {
        this.transport = t;
    }

    TransportConnection transport() {
        return transport;
    }

    void handOver(Handler next) {
        this.handler = next;
    }

    @Override
    public void received(PduBuffer pdu) {
        handler.received(pdu);
    }

    @Override
    public void closed(Throwable cause) {
        state = ConnectionState.FREE;
        handler.closed(cause);
    }

    @Override
    public ByteBuffer placementFor(ByteBuffer header) {
        return handler.placementFor(header);
    }

    void close() {
        TransportConnection t = transport;
        if (t != null) {
            t.close();
        }
    }

    String localAddress() {
        TransportConnection t = transport;
        return t == null ? "" : t.localAddress();
    }

    String remoteAddress() {
        TransportConnection t = transport;
        return t == null ? portal : t.remoteAddress();
    }
}
