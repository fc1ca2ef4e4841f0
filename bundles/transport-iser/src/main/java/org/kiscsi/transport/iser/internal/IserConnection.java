package org.kiscsi.transport.iser.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.LoginKey;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TaskBuffers;
import org.kiscsi.spi.transport.TaskEnd;
import org.kiscsi.spi.transport.TaskTransfer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.transport.iser.IserOptions;
import org.kiscsi.transport.iser.verbs.CompletionQueue;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.VerbsException;
import org.kiscsi.transport.iser.verbs.WorkCompletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iSER connection. Login and every other control-type PDU go in RDMA Sends behind an iSER
 * header; a SCSI command announced by {@link #taskStarted} advertises its buffers' STags in it, and
 * the target moves the data by RDMA. Completions are handled on the transport's executor, one batch
 * at a time, which is also where the listener is called.
 */
public final class IserConnection implements TransportConnection {
    /** Receive buffers for PDUs no command asked for (NOP-In, Async Message, Reject). */
    static final int MISC_RX = 4;
    /** Receive buffers posted during login (one answer per request; one spare). */
    static final int LOGIN_RX = 2;
    private static final int POLL_BATCH = 32;
    private static final Logger LOG = LoggerFactory.getLogger(IserConnection.class);

    private final IserOptions options;
    private final ProtectionDomain pd;
    private final CompletionQueue cq;
    private final Executor executor;
    private final TransportListener listener;
    private final String where;
    private final RegisteredPool pool;
    private final RxRing rx;
    private QueuePair qp;
    private final IserTasks tasks;
    private final TaskWindows windows;
    /** Local invalidations posted for arrived responses and not completed: PDUs wait behind them (executor only). */
    private int invalidationsAwaited;
    private final SendQueue sends;
    private final ArrayDeque<PduBuffer> suspended = new ArrayDeque<>();
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile boolean fullFeature;
    /** Whether the full feature phase's receive buffers are posted (with the final Login Request). */
    private final AtomicBoolean ffpReceivesPosted = new AtomicBoolean();
    private volatile boolean receiveSuspended;
    private volatile IserKeys.Outcome outcome;
    private volatile CompletableFuture<Void> helloDone;
    private Throwable closeCause;

    IserConnection(IserOptions options, ProtectionDomain pd, CompletionQueue cq, Executor executor, TransportListener listener,
            String where) throws VerbsException {
        this.options = options;
        this.pd = pd;
        this.cq = cq;
        this.executor = executor;
        this.listener = listener;
        this.where = where;
        // decided once per connection: a device or binding without memory windows gets a registration per task
        this.windows = new TaskWindows(pd, () -> qp);
        if (!windows.available()) {
            LOG.warn("{}: the target reaches each task's data through {}", where, windows.describe());
        }
        this.pool = new RegisteredPool(pd, options.poolChunkSize(), options.poolChunks(),
                windows.available() ? RegisteredPool.WINDOWED : RegisteredPool.LOCAL_ONLY);
        this.tasks = new IserTasks(pool, windows, pd, options.taggedBufferForSolicitedDataOnly(), closed::get, where);
        this.sends = new SendQueue(options.sendQueueDepth(), where, this::close);
        this.rx = new RxRing(pd, LOGIN_RX + options.maxOutstandingUnexpectedPdus() + MISC_RX,
                Math.max(8192, options.initiatorRecvDataSegmentLength()));
    }

    /** The connection is established: post the login receives and start hearing completions. */
    void established(QueuePair qp) throws VerbsException {
        this.qp = qp;
        sends.start(qp);
        rx.postRange(qp, 0, LOGIN_RX);
        cq.requestNotify();
        executor.execute(this::service);
    }

    /** The completion queue's notification: serve it on the executor. */
    void notified() {
        executor.execute(this::service);
    }

    // ------------------------------------------------------------------ SPI

    @Override
    public PduBuffer allocate(int ahsLength, int dataLength) {
        if (ahsLength < 0 || ahsLength > options.maxAhsLength() || dataLength < 0) {
            throw new IllegalArgumentException(where + ": AHS of " + ahsLength + " bytes (MaxAHSLength declared "
                    + options.maxAhsLength() + "), data of " + dataLength);
        }
        if (!closed.get()) {
            try {
                RegisteredPool.Block b = pool.takeForSend(IserHeader.LENGTH + 48 + ahsLength + dataLength);
                outstanding.incrementAndGet();
                return IserPdu.outgoing(b, ahsLength, dataLength, this::releaseSent);
            } catch (VerbsException e) {
                if (!closed.get()) {
                    close(new IscsiException(IscsiError.TRANS, where + ": no registered memory for a PDU: " + e.getMessage(), e));
                }
            }
        }
        // closed (or closing: the registered memory is gone): a buffer all the same, whose send fails
        outstanding.incrementAndGet();
        return IserPdu.unregistered(ahsLength, dataLength, this::releaseSent);
    }

    private void releaseSent(IserPdu p) {
        outstanding.decrementAndGet();
        if (p.block() != null) {
            pool.release(p.block());
        }
    }

    @Override
    public CompletionStage<Void> send(PduBuffer pdu) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed.get()) {
            pdu.release();
            done.completeExceptionally(new IscsiException(IscsiError.TRANS, where + ": connection closed"));
            return done;
        }
        if (!(pdu instanceof IserPdu p) || p.block() == null) {
            pdu.release();
            done.completeExceptionally(new IllegalArgumentException(where + ": a PDU buffer not allocated by this connection"));
            return done;
        }
        IscsiException refused = prepare(p);
        if (refused == null && finalLoginRequest(p.header())) {
            refused = postFullFeatureReceives();
        }
        if (refused != null) {
            p.release();
            done.completeExceptionally(refused);
            close(refused);
            return done;
        }
        sends.add(p, done);
        return done;
    }

    @Override
    public void post(PduBuffer pdu) {
        send(pdu);
    }

    /**
     * A Login Request with T set and NSG full feature phase: its answer may be followed at once by an
     * unexpected PDU (a NOP-In, an Async Message), before the engine hears the answer and calls
     * {@link #enterFullFeaturePhase}; so the receives for them are posted before this request goes.
     */
    private static boolean finalLoginRequest(ByteBuffer bhs) {
        return (bhs.get(0) & 0x3F) == 0x03 && (bhs.get(1) & 0x80) != 0 && (bhs.get(1) & 0x03) == 3;
    }

    /** Posts the receives for the full feature phase once: as many as the offered limit allows, and the misc ones. */
    private IscsiException postFullFeatureReceives() {
        if (!ffpReceivesPosted.compareAndSet(false, true)) {
            return null;
        }
        try {
            rx.postRange(qp, LOGIN_RX, LOGIN_RX + options.maxOutstandingUnexpectedPdus() + MISC_RX);
            return null;
        } catch (VerbsException e) {
            return new IscsiException(IscsiError.TRANS, where + ": posting the full feature phase's receives: " + e.getMessage(), e);
        }
    }

    /** Writes the iSER header: a SCSI command of an announced task advertises its STags. Null, or why it cannot go. */
    private IscsiException prepare(IserPdu p) {
        if (closed.get()) {
            return new IscsiException(IscsiError.TRANS, where + ": connection closed");
        }
        IserKeys.Outcome o = outcome;
        if (fullFeature && o != null && p.data().capacity() > o.targetRecv()) {
            return new IscsiException(IscsiError.TRANS, where + ": a data segment of " + p.data().capacity()
                    + " bytes exceeds TargetRecvDataSegmentLength=" + o.targetRecv());
        }
        IserHeader h = (p.header().get(0) & 0x3F) == 0x01 ? tasks.header(p.header()) : IserHeader.PLAIN;
        h.writeTo(p.block().buffer(), 0);
        return null;
    }

    @Override
    public void configure(LinkSettings settings) {
        if (settings.headerDigest() || settings.dataDigest()) {
            throw new IllegalArgumentException(where + ": iSER carries no digests (RFC 7145 section 6.1)");
        }
    }

    @Override
    public List<LoginKey> loginKeys() {
        return IserKeys.offers(options);
    }

    @Override
    public CompletionStage<Void> enterFullFeaturePhase(LinkSettings settings) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            configure(settings);
            IserKeys.Outcome o = IserKeys.read(settings.loginKeys(), options, where);
            outcome = o;
            // normally posted with the final Login Request already; the outcome never exceeds the offer
            IscsiException notPosted = postFullFeatureReceives();
            if (notPosted != null) {
                throw notPosted;
            }
            fullFeature = true;
            if (!options.helloRequired()) {
                done.complete(null);
                return done;
            }
            helloDone = done;
            IserPdu hello = IserPdu.bare(pool.takeForSend(IserHeader.LENGTH), this::releaseSent);
            outstanding.incrementAndGet();
            IserHello.hello(0).writeTo(hello.block().buffer(), 0);
            sends.add(hello, new CompletableFuture<>());
        } catch (IscsiException e) {
            done.completeExceptionally(e);
        } catch (VerbsException e) {
            done.completeExceptionally(new IscsiException(IscsiError.TRANS, where + ": full feature phase: " + e.getMessage(), e));
        }
        return done;
    }

    @Override
    public int maxOutstandingUnexpectedPdus() {
        IserKeys.Outcome o = outcome;
        return o == null ? options.maxOutstandingUnexpectedPdus() : o.maxUnexpected();
    }

    /** The negotiated TargetRecvDataSegmentLength, once in full feature phase. */
    @Override
    public int maxSendDataSegmentLength() {
        IserKeys.Outcome o = outcome;
        return o == null ? 0 : o.targetRecv();
    }

    @Override
    public void taskStarted(TaskBuffers task) {
        tasks.started(task);
    }

    @Override
    public TaskTransfer taskEnded(int itt, TaskEnd end) {
        return tasks.ended(itt, end);
    }

    @Override
    public void suspendReceive() {
        receiveSuspended = true;
    }

    @Override
    public void resumeReceive() {
        receiveSuspended = false;
        executor.execute(this::deliverSuspended);
    }

    @Override
    public void close() {
        close(null);
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * The iSER CM private data (IBTA Annex A12) this connection sends: ISER_ZBVA_NOT_SUP (0x80, Base
     * Offsets are absolute addresses) always; ISER_SEND_W_INV_NOT_SUP (0x40) without memory windows,
     * where a task's STag is a registration, which the target may not invalidate remotely (only a
     * window's or a fast-registered one's rkey can be); with windows it is clear, so the target may end
     * a task's window by Send with Invalidate, which spares the local invalidation.
     */
    byte[] cmPrivateData() {
        return new byte[] {(byte) (windows.available() ? 0x80 : 0xC0), 0, 0, 0};
    }

    /** How the target reaches a task's data on this connection: memory windows, or a registration per task and why. */
    public String dataMemory() {
        return windows.describe();
    }

    @Override
    public String toString() {
        return where + " (" + (qp == null ? "not connected" : localAddress() + " -> " + remoteAddress()) + "; task data through "
                + windows.describe() + ")";
    }

    @Override
    public String localAddress() {
        return qp == null ? "" : Addresses.display(qp.localAddress());
    }

    @Override
    public String remoteAddress() {
        return qp == null ? "" : Addresses.display(qp.remoteAddress());
    }

    @Override
    public long buffersOutstanding() {
        return outstanding.get();
    }

    /** Receive buffers posted now (for tests of the credit rule). */
    public int receivesPosted() {
        return rx.posted();
    }

    /** Tasks whose buffers are registered now. */
    public int tasksRegistered() {
        return tasks.size();
    }

    /** Bytes of the registered pool handed out now (Sends not yet completed, task windows). */
    public long poolBytesInUse() {
        return pool.bytesInUse();
    }

    // ------------------------------------------------------------------ completions, on the executor

    private void service() {
        List<WorkCompletion> batch = new ArrayList<>(POLL_BATCH);
        while (!closed.get()) {
            batch.clear();
            if (cq.poll(batch, POLL_BATCH) == 0) {
                cq.requestNotify();
                if (cq.poll(batch, POLL_BATCH) == 0) {
                    return;
                }
            }
            for (WorkCompletion wc : batch) {
                if (closed.get()) {
                    return;
                }
                completed(wc);
            }
        }
    }

    private void completed(WorkCompletion wc) {
        if (TaskWindows.isWindowOp(wc.wrId())) { // a local invalidation (binds are unsignaled: only a failure reports)
            if (!wc.ok()) {
                closeUnlessFlushed(wc);
            } else if (wc.opcode() == WorkCompletion.Opcode.LOCAL_INV) {
                tasks.invalidated(wc.wrId());
                if (--invalidationsAwaited == 0) {
                    deliverSuspended();
                }
            }
            return;
        }
        if (SendQueue.isSend(wc.wrId())) {
            sends.completed(wc.wrId(), wc.ok() ? null : failure(wc));
            if (!wc.ok()) {
                closeUnlessFlushed(wc);
            } else {
                sends.pump();
            }
            return;
        }
        if (!wc.ok()) {
            closeUnlessFlushed(wc);
            return;
        }
        try {
            received((int) wc.wrId(), wc);
        } catch (IllegalArgumentException e) {
            close(new IscsiException(IscsiError.TRANS, e.getMessage(), e));
        } catch (VerbsException e) {
            close(new IscsiException(IscsiError.TRANS, where + ": reposting a receive buffer or invalidating a task's window: "
                    + e.getMessage(), e));
        }
    }

    /**
     * A flushed request only says the queue pair is in the error state; the cause (a failed request,
     * or the connection manager's event) closes the connection with its own, better message.
     */
    private void closeUnlessFlushed(WorkCompletion wc) {
        if (wc.status() != WorkCompletion.Status.FLUSHED) {
            close(failure(wc));
        }
    }

    private IscsiException failure(WorkCompletion wc) {
        return new IscsiException(IscsiError.TRANS, where + ": RDMA " + wc.opcode() + " completed with " + wc.status());
    }

    private void received(int slot, WorkCompletion wc) throws VerbsException {
        ByteBuffer m = rx.take(slot, wc.byteLength());
        int op = m.limit() > 0 ? IserHeader.opcode(m, 0) : -1;
        if (op == IserHeader.HELLO_REPLY) {
            IserHello reply = IserHello.readFrom(m, 0, where);
            rx.repost(qp, slot);
            helloReply(reply);
            return;
        }
        IserHeader.readFrom(m, 0, where); // a control-type PDU; a target's STags mean nothing here
        if (m.limit() < IserHeader.LENGTH + 48) {
            throw new IllegalArgumentException(where + ": a Send of " + m.limit() + " bytes holds no whole BHS");
        }
        int ahs = (m.get(IserHeader.LENGTH + 4) & 0xFF) * 4;
        int dsl = m.getInt(IserHeader.LENGTH + 4) & 0xFFFFFF;
        int need = IserHeader.LENGTH + 48 + ahs + dsl;
        if (m.limit() < need) {
            throw new IllegalArgumentException(where + ": a Send of " + m.limit() + " bytes where the BHS announces " + need
                    + " (AHS " + ahs + ", data " + dsl + ")");
        }
        ByteBuffer header = ByteBuffer.allocate(48 + ahs).put(0, m, IserHeader.LENGTH, 48 + ahs);
        ByteBuffer data = ByteBuffer.allocate(dsl).put(0, m, IserHeader.LENGTH + 48 + ahs, dsl);
        rx.repost(qp, slot);
        if ((header.get(0) & 0x3F) == 0x21) { // SCSI Response: what the target moved, and any STag it invalidated
            // the windows the target left bound are invalidated locally before the response (and what follows) goes on
            invalidationsAwaited += tasks.responded(header, wc.invalidatedRkey());
        }
        outstanding.incrementAndGet();
        IserPdu pdu = IserPdu.incoming(header, data, p -> outstanding.decrementAndGet());
        if (receiveSuspended || !suspended.isEmpty() || invalidationsAwaited > 0) {
            suspended.add(pdu);
            return;
        }
        listener.received(pdu);
    }

    private void deliverSuspended() {
        while (!receiveSuspended && invalidationsAwaited == 0 && !closed.get()) {
            PduBuffer p = suspended.poll();
            if (p == null) {
                return;
            }
            listener.received(p);
        }
    }

    private void helloReply(IserHello reply) {
        CompletableFuture<Void> h = helloDone;
        if (h == null) {
            throw new IllegalArgumentException(where + ": an iSER HelloReply without a Hello");
        }
        helloDone = null;
        if (reply.rejected() || reply.otherVersion() != IserHello.VERSION) {
            IscsiException e = new IscsiException(IscsiError.TRANS_CAPS, where + ": the target rejected the iSER Hello (REJ "
                    + reply.rejected() + ", version " + reply.maxVersion() + "/" + reply.otherVersion() + ")");
            h.completeExceptionally(e);
            close(e);
            return;
        }
        h.complete(null);
    }

    // ------------------------------------------------------------------ the end

    /**
     * What completed before the close and was not served yet: a Send that went was handed to the
     * network, and succeeds; a PDU that came before the peer or the network ended the connection is
     * delivered (a Logout Response right before the target disconnects), as TCP delivers what came
     * before its FIN. After a local close, received PDUs are dropped.
     */
    private void drainCompletions() {
        List<WorkCompletion> batch = new ArrayList<>(POLL_BATCH);
        while (cq.poll(batch, POLL_BATCH) > 0) {
            for (WorkCompletion wc : batch) {
                if (TaskWindows.isWindowOp(wc.wrId())) {
                    continue; // the windows are deallocated below
                }
                if (SendQueue.isSend(wc.wrId())) {
                    if (wc.ok()) {
                        sends.completed(wc.wrId(), null);
                    }
                } else if (wc.ok() && closeCause != null) {
                    try {
                        received((int) wc.wrId(), wc);
                    } catch (IllegalArgumentException | VerbsException e) {
                        // closing already, for a reason of its own
                    }
                }
            }
            batch.clear();
        }
    }

    /** The connection manager says the connection ended. */
    void disconnected(String why) {
        close(new IscsiException(IscsiError.TRANS, where + ": RDMA connection lost: " + why));
    }

    /** Closes once: disconnects, fails queued Sends, releases memory; the listener hears why on the executor. */
    void close(Throwable cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeCause = cause;
        if (qp != null) {
            qp.disconnect();
        }
        executor.execute(this::finishClose);
    }

    private void finishClose() {
        drainCompletions();
        IscsiException x = new IscsiException(IscsiError.TRANS, where + ": connection closed"
                + (closeCause == null ? "" : ": " + closeCause.getMessage()));
        sends.failAll(x);
        CompletableFuture<Void> h = helloDone;
        if (h != null) {
            h.completeExceptionally(x);
        }
        suspended.forEach(PduBuffer::release);
        suspended.clear();
        // the target reaches no task's block any more: windows are deallocated (invalid at once) before any task ends
        tasks.dropWindows();
        windows.close();
        // tasks keep their blocks until taskEnded (CONNECTION_LOST) gives them back
        pool.close();
        rx.close();
        cq.close();
        listener.closed(closeCause);
        closeFuture.complete(null);
    }
}
