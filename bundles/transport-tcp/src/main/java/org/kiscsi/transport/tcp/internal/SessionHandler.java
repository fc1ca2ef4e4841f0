package org.kiscsi.transport.tcp.internal;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns MINA's session events into calls on the session's {@link TcpConnection}; never throws into MINA. */
final class SessionHandler extends IoHandlerAdapter {
    static final AttributeKey CONNECTION = new AttributeKey(SessionHandler.class, "connection");
    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

    private static TcpConnection connection(IoSession session) {
        return (TcpConnection) session.getAttribute(CONNECTION);
    }

    /**
     * Never for a kiscsi session: its reads are its connection's ({@link TcpConnection#readSocket}),
     * and MINA delivers nothing itself. Anything else is closed.
     */
    @Override
    public void messageReceived(IoSession session, Object message) {
        LOG.warn("unexpected {} on MINA session {}: closing it", message == null ? "null" : message.getClass().getName(), session);
        session.closeNow();
    }

    @Override
    public void messageSent(IoSession session, Object message) {
        if (message instanceof PostedBuffer b) {
            TcpConnection c = connection(session);
            if (c != null) {
                c.postedWritten(b);
            }
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        TcpConnection c = connection(session);
        if (c == null) {
            session.closeNow();
            return;
        }
        LOG.debug("connection to {} failed", c.remoteAddress(), cause);
        c.ioFailed(cause);
    }

    /** iSCSI has no half-closed connections: the peer's FIN ends it. */
    @Override
    public void inputClosed(IoSession session) {
        TcpConnection c = connection(session);
        if (c == null) {
            session.closeNow();
        } else {
            c.peerClosed();
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        TcpConnection c = connection(session);
        if (c != null) {
            try {
                c.sessionClosed();
            } catch (RuntimeException e) {
                LOG.error("closing {} failed", c.remoteAddress(), e);
            }
        }
    }
}
