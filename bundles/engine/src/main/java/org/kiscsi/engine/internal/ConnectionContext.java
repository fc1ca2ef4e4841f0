package org.kiscsi.engine.internal;

import java.nio.ByteBuffer;
import java.util.Map;

import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.DataIn;
import org.kiscsi.protocol.pdu.NopIn;
import org.kiscsi.protocol.pdu.Pdu;
import org.kiscsi.protocol.pdu.R2t;
import org.kiscsi.protocol.pdu.SequenceNumbers;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.protocol.SerialNumber;
import org.kiscsi.protocol.text.NegotiatedParameters;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;

/**
 * One logged-in connection of a session: what belongs to the connection rather than the session —
 * its negotiated parameters, the StatSN it acknowledges, when it last heard from the target and the
 * NOP-Out ping it may have outstanding. A session outlives its connections: when one fails, the
 * session builds a new context for the connection that replaces it.
 *
 * <p>Its fields are guarded by the session's lock. Events from the transport go straight to the
 * session, which ignores those of a connection it has already given up.
 */
final class ConnectionContext implements Connection.Handler {
    final SessionImpl session;
    final Connection connection;
    final NegotiatedParameters params;
    final Map<String, String> declared;
    final int tsih;
    final DataMover mover;

    // guarded by the session
    int expStatSn;
    /** System.nanoTime() of the last PDU received: a connection that receives is alive. */
    long lastReceived;
    /** The NOP-Out ping awaiting its NOP-In, or null. */
    Task.Control<Void> ping;
    long pingSent;
    /** Set once the session has given this connection up: its late events are ignored. */
    boolean abandoned;

    ConnectionContext(SessionImpl session, Connection connection, NegotiatedParameters params, Map<String, String> declared,
            int tsih, int statSn, long now) {
        this.session = session;
        this.connection = connection;
        this.params = params;
        this.declared = Map.copyOf(declared);
        this.tsih = tsih;
        this.expStatSn = statSn + 1;
        this.lastReceived = now;
        this.pingSent = now;
        this.mover = new DataMover(this);
        connection.transport().configure(new LinkSettings(params.headerDigest(), params.dataDigest(),
                params.maxRecvDataSegmentLength()));
        connection.state = ConnectionState.LOGGED_IN;
    }

    TransportConnection transport() {
        return connection.transport();
    }

    /** Frames and posts a PDU; one that cannot go closes the connection, and recovery follows. */
    void send(Pdu pdu) {
        TransportConnection t = connection.transport();
        PduBuffer b = pdu.data().hasRemaining() ? t.allocate(pdu.ahsLength(), pdu.data()) : t.allocate(pdu.ahsLength(), 0);
        pdu.writeHeader(b.header());
        t.post(b);
    }

    /** Acknowledges the StatSN of a status-bearing PDU (RFC 7143 section 4.2.2.2). */
    void acknowledge(TargetPdu pdu, ByteBuffer h) {
        boolean statusBearing;
        if (pdu instanceof DataIn d) {
            statusBearing = d.hasStatus();
        } else if (pdu instanceof R2t) {
            statusBearing = false;
        } else if (pdu instanceof NopIn n) {
            statusBearing = n.itt() != Bhs.RESERVED_TAG;
        } else {
            statusBearing = true;
        }
        int statSn = SequenceNumbers.statSn(h);
        int next = statusBearing ? statSn + 1 : statSn;
        if (SerialNumber.greaterThan(next, expStatSn)) {
            expStatSn = next;
        }
    }

    String remoteAddress() {
        return connection.remoteAddress();
    }

    // ---------------------------------------------------------------- transport events, to the session

    @Override
    public ByteBuffer placementFor(ByteBuffer header) {
        return session.placementFor(this, header);
    }

    @Override
    public void received(PduBuffer pdu) {
        session.received(this, pdu);
    }

    @Override
    public void closed(Throwable cause) {
        session.connectionClosed(this, cause);
    }
}
