package org.kiscsi.transport.iser.soft;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.ConnectionEvents;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.MemoryWindow;
import org.kiscsi.transport.iser.verbs.QpAttributes;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.SendRequest;
import org.kiscsi.transport.iser.verbs.Sge;
import org.kiscsi.transport.iser.verbs.VerbsException;
import org.kiscsi.transport.iser.verbs.WorkCompletion;
import org.kiscsi.transport.iser.verbs.WorkCompletion.Opcode;
import org.kiscsi.transport.iser.verbs.WorkCompletion.Status;

/**
 * A reliable-connected queue pair of the software provider. Posts queue work; the fabric's thread
 * executes the send queue in order. A Send finding no posted receive is retried after the RNR timer
 * up to the RNR retry count (0: it fails at once; 7: for ever), holding back what follows it, as RC
 * does. Only the first attempt and the timer's retries count: a receive the peer posts lets the
 * waiting Send go at once (a shortcut of this provider), but a post behind it does not retry it. Any failure
 * completes the request with its status and takes both ends to the error state: what is left is
 * flushed and each side hears {@link ConnectionEvents#disconnected}.
 */
final class SoftQp implements QueuePair {
    private record Recv(long wrId, Sge sge) {
    }

    private final SoftFabric fabric;
    private final int qpNumber;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final SoftPd pd;
    private final SoftCq cq;
    private final QpAttributes attributes;
    private final byte[] peerPrivateData;
    private final ConnectionEvents events;
    volatile SoftQp peer;
    /** SendRequests and window operations ({@link SoftWindowOp}), in order. */
    private final ArrayDeque<Object> sendQueue = new ArrayDeque<>();
    private final ArrayDeque<Recv> recvQueue = new ArrayDeque<>();
    private boolean error;
    private boolean pumping;
    /** Receiver-not-ready NAKs the head of the send queue took so far (first attempt and timer retries). */
    private int rnrTries;
    /** Whether the RNR timer runs (one per queue pair). */
    private boolean rnrTimer;
    /** Whether the pump runs for the RNR timer: a NAK then counts as a retry. */
    private boolean rnrRetrying;

    SoftQp(SoftFabric fabric, int qpNumber, InetSocketAddress local, InetSocketAddress remote, SoftPd pd, SoftCq cq,
            QpAttributes attributes, byte[] peerPrivateData, ConnectionEvents events) {
        this.fabric = fabric;
        this.qpNumber = qpNumber;
        this.local = local;
        this.remote = remote;
        this.pd = pd;
        this.cq = cq;
        this.attributes = attributes;
        this.peerPrivateData = peerPrivateData.clone();
        this.events = events;
    }

    @Override
    public int qpNumber() {
        return qpNumber;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public byte[] peerPrivateData() {
        return peerPrivateData.clone();
    }

    @Override
    public void postRecv(long wrId, Sge sge) throws VerbsException {
        synchronized (this) {
            if (error) {
                fabric.execute(() -> complete(new WorkCompletion(wrId, Status.FLUSHED, Opcode.RECV, 0, 0, qpNumber)));
                return;
            }
            if (recvQueue.size() >= attributes.maxRecvWr()) {
                throw new VerbsException(VerbsException.Reason.RESOURCE, "receive queue of QP " + qpNumber + " is full ("
                        + attributes.maxRecvWr() + " posted)");
            }
            recvQueue.add(new Recv(wrId, sge));
        }
        SoftQp p = peer;
        if (p != null) {
            fabric.execute(p::pump); // a Send waiting on receiver-not-ready may go now
        }
    }

    @Override
    public void postSend(SendRequest request) throws VerbsException {
        enqueue(request, request.wrId(), opcodeOf(request));
    }

    @Override
    public int postBind(long wrId, MemoryWindow window, MemoryRegion region, long address, int length, Set<Access> access,
            boolean signaled) throws VerbsException {
        if (!(window instanceof SoftMw w) || w.pd() != pd || !(region instanceof SoftMr mr) || mr.pd() != pd) {
            throw new VerbsException(VerbsException.Reason.INVALID, "bind on QP " + qpNumber + ": " + window + " over " + region
                    + " is not of this queue pair's protection domain");
        }
        if (access.isEmpty() || access.stream().anyMatch(a -> a != Access.REMOTE_READ && a != Access.REMOTE_WRITE)) {
            throw new VerbsException(VerbsException.Reason.INVALID, "a window grants REMOTE_READ and/or REMOTE_WRITE, not " + access);
        }
        int rkey = w.nextRkey();
        SoftWindowOp op = new SoftWindowOp(wrId, w, mr, address, length, access, rkey, signaled);
        enqueue(op, wrId, op.opcode());
        return rkey;
    }

    @Override
    public void postLocalInvalidate(long wrId, int rkey) throws VerbsException {
        SoftWindowOp op = new SoftWindowOp(wrId, pd.window(rkey), null, 0, 0, Set.of(), rkey, true);
        enqueue(op, wrId, op.opcode());
    }

    /** Queues a send request or window operation, or flushes it at once in the error state. */
    private void enqueue(Object op, long wrId, Opcode opcode) throws VerbsException {
        synchronized (this) {
            if (error) {
                fabric.execute(() -> complete(new WorkCompletion(wrId, Status.FLUSHED, opcode, 0, 0, qpNumber)));
                return;
            }
            if (sendQueue.size() >= attributes.maxSendWr()) {
                throw new VerbsException(VerbsException.Reason.RESOURCE, "send queue of QP " + qpNumber + " is full ("
                        + attributes.maxSendWr() + " outstanding)");
            }
            sendQueue.add(op);
        }
        fabric.execute(this::pump);
    }

    /** Executes a window operation at the head of the send queue; false when it failed. */
    private boolean execute(SoftWindowOp op) {
        String why = op.execute(this);
        synchronized (this) {
            sendQueue.poll();
        }
        if (why != null) {
            complete(new WorkCompletion(op.wrId(), op.bind() ? Status.MW_BIND_ERROR : Status.LOCAL_PROTECTION_ERROR, op.opcode(), 0, 0,
                    qpNumber));
            fail("QP " + qpNumber + ": " + why, "the peer's queue pair failed a memory window operation");
            return false;
        }
        if (op.signaled() && !complete(new WorkCompletion(op.wrId(), Status.SUCCESS, op.opcode(), 0, 0, qpNumber))) {
            fail("its completion queue overran", "the peer's completion queue overran");
            return false;
        }
        return true;
    }

    @Override
    public void disconnect() {
        fabric.execute(() -> fail("disconnected by the local side", "disconnected by the peer"));
    }

    @Override
    public synchronized boolean connected() {
        return !error;
    }

    synchronized int posted() {
        return recvQueue.size();
    }

    /** The RNR timer expired: the head of the send queue is tried again, and a NAK counts. */
    private void rnrTimerExpired() {
        synchronized (this) {
            rnrTimer = false;
            rnrRetrying = true;
        }
        try {
            pump();
        } finally {
            synchronized (this) {
                rnrRetrying = false;
            }
        }
    }

    /** Runs the send queue on the fabric's thread until it is empty or waits on the peer. */
    private void pump() {
        synchronized (this) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        try {
            while (true) {
                Object r;
                synchronized (this) {
                    r = error ? null : sendQueue.peek();
                }
                if (r == null || !(r instanceof SoftWindowOp w ? execute(w) : execute((SendRequest) r))) {
                    return;
                }
            }
        } finally {
            synchronized (this) {
                pumping = false;
            }
        }
    }

    /** Executes the head of the send queue; false when it has to wait (RNR) or failed. */
    private boolean execute(SendRequest r) {
        SoftQp p = peer;
        ByteBuffer mine = local(r.local(), r.opcode() == SendRequest.Opcode.RDMA_READ);
        if (mine == null) {
            return failed(r, Status.LOCAL_PROTECTION_ERROR, "local buffer (lkey 0x" + Integer.toHexString(r.local().lkey())
                    + " at 0x" + Long.toHexString(r.local().address()) + "+" + r.local().length() + ") is not registered here",
                    "the peer hit a local protection error");
        }
        int length = r.local().length();
        switch (r.opcode()) {
            case SEND, SEND_WITH_INVALIDATE -> {
                Recv recv = p.takeRecv();
                if (recv == null) {
                    return receiverNotReady(r);
                }
                rnrTries = 0;
                ByteBuffer into = p.local(recv.sge(), true);
                if (into == null || recv.sge().length() < length) {
                    Status theirs = into == null ? Status.LOCAL_PROTECTION_ERROR : Status.LOCAL_LENGTH_ERROR;
                    p.complete(new WorkCompletion(recv.wrId(), theirs, Opcode.RECV, 0, 0, p.qpNumber));
                    return failed(r, Status.REMOTE_INVALID_REQUEST, "the peer's receive buffer of " + recv.sge().length()
                            + " bytes cannot take a Send of " + length, "a Send of " + length + " bytes did not fit the receive buffer");
                }
                int invalidated = 0;
                if (r.opcode() == SendRequest.Opcode.SEND_WITH_INVALIDATE) {
                    SoftMw window = p.pd.window(r.invalidateRkey());
                    SoftMr target = window != null ? null : p.pd.region(r.invalidateRkey());
                    boolean remote = target != null && (target.access().contains(Access.REMOTE_READ)
                            || target.access().contains(Access.REMOTE_WRITE));
                    if (window != null ? !window.boundTo(p) || !window.invalidate(r.invalidateRkey()) : !remote) {
                        return failed(r, Status.REMOTE_INVALID_REQUEST, "Send with Invalidate names STag 0x"
                                + Integer.toHexString(r.invalidateRkey()) + ", not a remotely accessible region of the peer",
                                "the peer asked to invalidate an STag that is not there");
                    }
                    if (target != null) {
                        target.invalidate();
                    }
                    invalidated = r.invalidateRkey();
                }
                into.put(into.position(), mine, mine.position(), length);
                tap(r.opcode() == SendRequest.Opcode.SEND ? SoftTap.Kind.SEND : SoftTap.Kind.SEND_WITH_INVALIDATE, mine, length,
                        0, invalidated, length);
                if (!p.complete(new WorkCompletion(recv.wrId(), Status.SUCCESS, Opcode.RECV, length, invalidated, p.qpNumber))) {
                    p.fabric.execute(() -> p.fail("its completion queue overran", "the peer's completion queue overran"));
                }
            }
            case RDMA_WRITE, RDMA_READ -> {
                boolean write = r.opcode() == SendRequest.Opcode.RDMA_WRITE;
                String why = SoftRdma.move(p.pd, p, r.rkey(), r.remoteAddress(), length, write, mine);
                if (why != null) {
                    return failed(r, Status.REMOTE_ACCESS_ERROR, "RDMA " + (write ? "Write" : "Read") + " to STag 0x"
                            + Integer.toHexString(r.rkey()) + ": the STag " + why, "the peer's RDMA access was refused: STag 0x"
                            + Integer.toHexString(r.rkey()) + " " + why);
                }
                if (write) {
                    tap(SoftTap.Kind.RDMA_WRITE, mine, length, r.remoteAddress(), r.rkey(), length);
                } else {
                    tap(SoftTap.Kind.RDMA_READ_REQUEST, mine, 0, r.remoteAddress(), r.rkey(), length);
                    p.tapFrom(SoftTap.Kind.RDMA_READ_RESPONSE, mine.slice(mine.position(), length), length, this);
                }
            }
            default -> throw new IllegalStateException(r.opcode().toString());
        }
        synchronized (this) {
            sendQueue.poll();
        }
        if (r.signaled() && !complete(new WorkCompletion(r.wrId(), Status.SUCCESS, opcodeOf(r), length, 0, qpNumber))) {
            fail("its completion queue overran", "the peer's completion queue overran");
            return false;
        }
        return true;
    }

    private boolean receiverNotReady(SendRequest r) {
        boolean counts;
        synchronized (this) {
            counts = rnrRetrying || !rnrTimer;
        }
        if (!counts) {
            return false; // the timer runs: only its expiry retries
        }
        rnrTries++;
        if (attributes.rnrRetryCount() != 7 && rnrTries > attributes.rnrRetryCount()) {
            return failed(r, Status.RNR_RETRY_EXCEEDED, "the peer posted no receive buffer through " + attributes.rnrRetryCount()
                    + " receiver-not-ready retries", "receiver not ready: no receive buffer was posted for the peer's Send");
        }
        synchronized (this) {
            if (rnrTimer) {
                return false;
            }
            rnrTimer = true;
        }
        try {
            fabric.wire.schedule(this::rnrTimerExpired, fabric.rnrTimerNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the fabric is closing: nothing moves any more
        }
        return false;
    }

    private boolean failed(SendRequest r, Status status, String why, String peerWhy) {
        synchronized (this) {
            sendQueue.poll();
        }
        complete(new WorkCompletion(r.wrId(), status, opcodeOf(r), 0, 0, qpNumber));
        fail("QP " + qpNumber + ": " + why, peerWhy);
        return false;
    }

    /** Both ends to the error state: what is queued is flushed, each side hears why. */
    private void fail(String why, String peerWhy) {
        if (enterError(why)) {
            SoftQp p = peer;
            if (p != null) {
                p.enterError(peerWhy);
            }
        }
    }

    private boolean enterError(String why) {
        ArrayDeque<Object> sends;
        ArrayDeque<Recv> recvs;
        synchronized (this) {
            if (error) {
                return false;
            }
            error = true;
            sends = new ArrayDeque<>(sendQueue);
            recvs = new ArrayDeque<>(recvQueue);
            sendQueue.clear();
            recvQueue.clear();
        }
        sends.forEach(s -> complete(s instanceof SoftWindowOp w ? new WorkCompletion(w.wrId(), Status.FLUSHED, w.opcode(), 0, 0, qpNumber)
                : new WorkCompletion(((SendRequest) s).wrId(), Status.FLUSHED, opcodeOf((SendRequest) s), 0, 0, qpNumber)));
        recvs.forEach(s -> complete(new WorkCompletion(s.wrId(), Status.FLUSHED, Opcode.RECV, 0, 0, qpNumber)));
        events.disconnected(why);
        return true;
    }

    private synchronized Recv takeRecv() {
        return error ? null : recvQueue.poll();
    }

    /** The bytes an SGE names in this side's protection domain, positioned there; null when not registered (or not writable). */
    private ByteBuffer local(Sge sge, boolean written) {
        SoftMr mr = pd.region(sge.lkey());
        if (mr == null || !mr.covers(sge.address(), sge.length()) || written && !mr.access().contains(Access.LOCAL_WRITE)) {
            return null;
        }
        return mr.memory().duplicate().position((int) (sge.address() - mr.address()));
    }

    private boolean complete(WorkCompletion wc) {
        return cq.add(wc);
    }

    private void tap(SoftTap.Kind kind, ByteBuffer from, int length, long va, int rkey, int asked) {
        if (fabric.taps.isEmpty()) {
            return;
        }
        byte[] payload = new byte[length];
        from.get(from.position(), payload);
        SoftQp p = peer;
        fabric.taps.forEach(t -> t.frame(kind, local, qpNumber, remote, p.qpNumber, payload, va, rkey, asked));
    }

    private void tapFrom(SoftTap.Kind kind, ByteBuffer bytes, int length, SoftQp to) {
        if (fabric.taps.isEmpty()) {
            return;
        }
        byte[] payload = new byte[length];
        bytes.get(0, payload);
        fabric.taps.forEach(t -> t.frame(kind, local, qpNumber, to.local, to.qpNumber, payload, 0, 0, length));
    }

    private static Opcode opcodeOf(SendRequest r) {
        return switch (r.opcode()) {
            case SEND, SEND_WITH_INVALIDATE -> Opcode.SEND;
            case RDMA_WRITE -> Opcode.RDMA_WRITE;
            case RDMA_READ -> Opcode.RDMA_READ;
        };
    }
}
