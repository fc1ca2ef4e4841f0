package org.kiscsi.transport.iser.ibverbs;

import java.net.InetSocketAddress;

import org.kiscsi.transport.iser.verbs.AcceptHandler;
import org.kiscsi.transport.iser.verbs.Acceptance;
import org.kiscsi.transport.iser.verbs.QpAttributes;
import org.kiscsi.transport.iser.verbs.RdmaListener;

/** A listening cm_id: each CONNECT_REQUEST is offered to the handler, then accepted with a new queue pair or rejected. */
final class IbListener implements RdmaListener, CmHandler {
    private final IbDevice device;
    private final long id;
    private final InetSocketAddress at;
    private final AcceptHandler handler;
    private boolean closed;

    IbListener(IbDevice device, long id, InetSocketAddress at, AcceptHandler handler) {
        this.device = device;
        this.id = id;
        this.at = at;
        this.handler = handler;
    }

    @Override
    public void event(int type, int status, long newId, byte[] privateData) {
        if (type != CONNECT_REQUEST) {
            return;
        }
        Acceptance a = handler.accept(IbDevice.socketAddress(NativeRdma.address(newId, false)), privateData);
        if (a == null) {
            NativeRdma.reject(newId);
            NativeRdma.destroyId(newId);
            return;
        }
        try {
            QpAttributes q = a.attributes();
            int qpn = NativeRdma.createQp(newId, ((IbPd) a.pd()).pd, ((IbCq) a.cq()).cq, q.maxSendWr(), q.maxRecvWr());
            IbQp qp = new IbQp(device, newId, qpn, a.events(), handler);
            device.handle(newId, qp);
            NativeRdma.accept(newId, q.responderResources(), q.initiatorDepth(), q.retryCount(), q.rnrRetryCount(), a.privateData());
        } catch (NativeError e) {
            device.forget(newId);
            NativeRdma.reject(newId);
            NativeRdma.destroyQp(newId);
            NativeRdma.destroyId(newId);
            a.events().disconnected("accepting a connection at " + at + ": " + e.getMessage());
        }
    }

    @Override
    public InetSocketAddress address() {
        return at;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            device.forget(id);
            NativeRdma.destroyId(id);
        }
    }
}
