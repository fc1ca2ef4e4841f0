package org.kiscsi.transport.iser.ibverbs;

import java.net.InetSocketAddress;
import java.util.Set;

import org.kiscsi.transport.iser.verbs.AcceptHandler;
import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.ConnectionEvents;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.MemoryWindow;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.SendRequest;
import org.kiscsi.transport.iser.verbs.Sge;
import org.kiscsi.transport.iser.verbs.VerbsException;

/** A connected RC queue pair on its cm_id; destroyed with the id once the CM reports it disconnected. */
final class IbQp implements QueuePair, CmHandler {
    private static final int ENOMEM = 12;
    private static final int IBV_ACCESS_REMOTE_WRITE = 2;
    private static final int IBV_ACCESS_REMOTE_READ = 4;
    private final IbDevice device;
    private final long id;
    private final int qpNumber;
    private final ConnectionEvents events;
    /** The listener's handler while an accepted connection waits for ESTABLISHED; else null. */
    private AcceptHandler accepting;
    private InetSocketAddress local;
    private InetSocketAddress remote;
    private byte[] peerPrivateData = new byte[0];
    private boolean connected;
    private boolean destroyed;

    IbQp(IbDevice device, long id, int qpNumber, ConnectionEvents events, AcceptHandler accepting) {
        this.device = device;
        this.id = id;
        this.qpNumber = qpNumber;
        this.events = events;
        this.accepting = accepting;
    }

    synchronized void established(byte[] privateData) {
        local = IbDevice.socketAddress(NativeRdma.address(id, true));
        remote = IbDevice.socketAddress(NativeRdma.address(id, false));
        if (privateData != null) {
            peerPrivateData = privateData.clone();
        }
        connected = true;
    }

    @Override
    public void event(int type, int status, long cmId, byte[] privateData) {
        switch (type) {
            case ESTABLISHED -> {
                AcceptHandler h;
                synchronized (this) {
                    h = accepting;
                    accepting = null;
                }
                if (h != null) {
                    established(null);
                    h.established(this);
                }
            }
            case TIMEWAIT_EXIT -> { }
            default -> ended(CmHandler.name(type) + (status != 0 ? " (status " + status + ")" : ""));
        }
    }

    /** The connection ended: tell the owner once, then free the queue pair and the id. */
    void ended(String why) {
        boolean tell;
        synchronized (this) {
            tell = !destroyed;
            if (connected) {
                NativeRdma.disconnect(id);
            }
            connected = false;
            destroyed = true;
        }
        if (tell) {
            device.forget(id);
            NativeRdma.destroyQp(id);
            NativeRdma.destroyId(id);
            events.disconnected(why + " on " + device.name() + " QP " + qpNumber);
        }
    }

    @Override
    public synchronized int postBind(long wrId, MemoryWindow window, MemoryRegion region, long address, int length,
            Set<Access> access, boolean signaled) throws VerbsException {
        live();
        if (!(window instanceof IbMw mw) || !(region instanceof IbMr mr)) {
            throw new VerbsException(VerbsException.Reason.INVALID, "binding on QP " + qpNumber + ": a window or region of another"
                    + " provider");
        }
        if (mw.closed() || !mr.valid()) {
            throw new VerbsException(VerbsException.Reason.INVALID, "binding on QP " + qpNumber + ": the window is deallocated or"
                    + " the region deregistered");
        }
        if (address < mr.address() || length < 0 || address + length > mr.address() + mr.length()) {
            throw new VerbsException(VerbsException.Reason.INVALID, "binding on QP " + qpNumber + ": [0x" + Long.toHexString(address)
                    + ", +" + length + ") is outside the region");
        }
        int flags = (access.contains(Access.REMOTE_WRITE) ? IBV_ACCESS_REMOTE_WRITE : 0)
                | (access.contains(Access.REMOTE_READ) ? IBV_ACCESS_REMOTE_READ : 0);
        int rkey = mw.nextRkey();
        check(NativeRdma.postBind(id, wrId, mw.mw, rkey, mr.pointer(), address, length, flags, signaled), "memory window bind");
        mw.bound(rkey);
        return rkey;
    }

    @Override
    public synchronized void postLocalInvalidate(long wrId, int rkey) throws VerbsException {
        live();
        check(NativeRdma.postLocalInvalidate(id, wrId, rkey), "local invalidation");
        IbMw mw = device.windows.get(rkey);
        if (mw != null) {
            mw.invalidated(rkey);
        }
    }

    @Override
    public int qpNumber() {
        return qpNumber;
    }

    @Override
    public synchronized InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public synchronized InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public synchronized byte[] peerPrivateData() {
        return peerPrivateData.clone();
    }

    @Override
    public synchronized void postRecv(long wrId, Sge sge) throws VerbsException {
        live();
        check(NativeRdma.postRecv(id, wrId, sge.address(), sge.length(), sge.lkey()), "receive");
    }

    @Override
    public synchronized void postSend(SendRequest r) throws VerbsException {
        live();
        Sge s = r.local();
        check(NativeRdma.postSend(id, r.wrId(), r.opcode().ordinal(), s.address(), s.length(), s.lkey(), r.remoteAddress(), r.rkey(),
                r.invalidateRkey(), r.signaled()), r.opcode().name());
    }

    private void live() throws VerbsException {
        if (destroyed) {
            throw new VerbsException(VerbsException.Reason.INVALID, "QP " + qpNumber + " on " + device.name() + " is disconnected");
        }
    }

    private void check(int errno, String what) throws VerbsException {
        if (errno == ENOMEM) {
            throw new VerbsException(VerbsException.Reason.RESOURCE, "posting a " + what + " on QP " + qpNumber + ": its queue is full");
        }
        if (errno != 0) {
            throw new VerbsException(VerbsException.Reason.INVALID, "posting a " + what + " on QP " + qpNumber + " failed, errno "
                    + errno);
        }
    }

    @Override
    public void disconnect() {
        synchronized (this) {
            if (!connected) {
                return;
            }
            connected = false;
        }
        // DISCONNECTED follows and frees the queue pair
        NativeRdma.disconnect(id);
    }

    @Override
    public synchronized boolean connected() {
        return connected;
    }
}
