package org.kiscsi.engine.internal;

import java.nio.ByteBuffer;
import java.util.Map;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.DataIn;
import org.kiscsi.protocol.pdu.LogoutRequest;
import org.kiscsi.protocol.pdu.NopIn;
import org.kiscsi.protocol.pdu.NopOut;
import org.kiscsi.protocol.pdu.Pdu;
import org.kiscsi.protocol.pdu.R2t;
import org.kiscsi.protocol.pdu.SequenceNumbers;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.protocol.SerialNumber;
import org.kiscsi.protocol.text.NegotiatedParameters;
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
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final SessionImpl session;
    final Connection connection;
    final NegotiatedParameters params;
    final Map<String, String> declared;
    final int tsih;
    final DataMover mover;
    /** The transport's limit on PDUs outstanding unanswered (iSER's MaxOutstandingUnexpectedPDUs); MAX_VALUE: none. */
    final int unexpectedLimit;

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
        // the transport entered full feature phase with the negotiated settings before the login was done
        int limit = connection.transport().maxOutstandingUnexpectedPdus();
        this.unexpectedLimit = limit > 0 ? limit : Integer.MAX_VALUE;
        connection.state = ConnectionState.LOGGED_IN;
    }

    TransportConnection transport() {
        return connection.transport();
    }

    /** Frames and posts a PDU; one that cannot go closes the connection, and recovery follows. */
    void send(Pdu pdu) {
        session.counters().sent(pdu.opcode(), pdu.data().remaining());
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

    /**
     * NOP-Out keep-alive: pings after {@code noop_out_interval} without hearing from the target, and
     * declares the connection dead when {@code noop_out_timeout} more pass with nothing received
     * (a connection still receiving is alive; with no free tag for a ping, silence for interval +
     * timeout is enough).
     *
     * @return why the connection is dead, or null
     */
    IscsiException keepAlive(long now, SessionSettings.RecoverySettings r, TaskTable tasks, int cmdSn) {
        if (r.noopOutInterval().isZero()) {
            return null;
        }
        long interval = r.noopOutInterval().toNanos();
        long timeout = r.noopOutTimeout().toNanos();
        long silent = now - lastReceived;
        if (ping != null ? silent >= timeout && now - pingSent >= timeout : silent >= interval + timeout) {
            return new IscsiException(IscsiError.PDU_TIMEOUT, "nothing received for " + (silent / 1_000_000)
                    + " ms: no answer to NOP-Out within " + r.noopOutTimeout().toSeconds()
                    + " s (node.conn[0].timeo.noop_out_timeout); connection declared dead");
        }
        if (ping != null || silent < interval || !tasks.hasFreeSlot() || tasks.outstanding() >= unexpectedLimit) {
            return null;
        }
        Task.Control<Void> p = new Task.Control<>("NOP-Out ping");
        tasks.add(p);
        p.deadline = now + Long.MAX_VALUE / 4; // the ping's own timeout is the check above
        ping = p;
        pingSent = now;
        send(new NopOut(true, 0L, p.itt, Bhs.RESERVED_TAG, cmdSn, expStatSn, EMPTY));
        return null;
    }

    /** Sends a Logout Request (reason: close the session) for {@code l}, answered by {@code deadline}. */
    void logout(Task l, TaskTable tasks, long deadline, int cmdSn) {
        tasks.add(l);
        l.deadline = deadline;
        connection.state = ConnectionState.IN_LOGOUT;
        send(new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, l.itt, connection.cid, cmdSn, expStatSn));
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
