package org.kiscsi.engine.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Isid;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.ConnectionInfo;
import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;
import org.kiscsi.protocol.SerialNumber;
import org.kiscsi.protocol.login.LoginResult;
import org.kiscsi.protocol.pdu.AsyncMessage;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.DataIn;
import org.kiscsi.protocol.pdu.DataOut;
import org.kiscsi.protocol.pdu.LogoutRequest;
import org.kiscsi.protocol.pdu.LogoutResponse;
import org.kiscsi.protocol.pdu.LunField;
import org.kiscsi.protocol.pdu.NopIn;
import org.kiscsi.protocol.pdu.NopOut;
import org.kiscsi.protocol.pdu.Pdu;
import org.kiscsi.protocol.pdu.PduCodec;
import org.kiscsi.protocol.pdu.R2t;
import org.kiscsi.protocol.pdu.Reject;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.protocol.pdu.ScsiResponse;
import org.kiscsi.protocol.pdu.SequenceNumbers;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.protocol.pdu.TaskMgmtRequest;
import org.kiscsi.protocol.pdu.TaskMgmtResponse;
import org.kiscsi.protocol.pdu.TextRequest;
import org.kiscsi.protocol.pdu.TextResponse;
import org.kiscsi.protocol.text.NegotiatedParameters;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in session in full feature phase: the command window (CmdSN, ExpCmdSN, MaxCmdSN), the
 * task table, StatSN acknowledgement, the SCSI data path (immediate data, unsolicited Data-Out,
 * R2T, Data-In) and the control requests (text, task management, NOP, logout).
 *
 * <p>Threading: state changes happen under this object's lock, taken by callers submitting work
 * and by the transport thread delivering PDUs. The lock is never held while waiting. Futures are
 * completed after the lock is released, on the thread that completed the work (usually the
 * transport's): callbacks must not block.
 */
final class SessionImpl implements Connection.Handler, ScsiTaskExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(SessionImpl.class);
    /** Unit attentions a command is retried after before its CHECK CONDITION is returned. */
    static final int MAX_UNIT_ATTENTION_RETRIES = 10;

    private final Engine engine;
    final long sid;
    final NodeRecord record;
    final SessionType type;
    final Isid isid;
    final int tsih;
    final SessionSettings settings;
    final NegotiatedParameters params;
    final Connection connection;
    final String where;
    private final Map<String, String> declared;
    private final TaskTable tasks;
    private final ArrayDeque<CommandTask> waiting = new ArrayDeque<>();
    private final ScheduledFuture<?> sweeper;

    // runtime state, guarded by this
    private int cmdSn;
    private int expCmdSn;
    private int maxCmdSn;
    private int expStatSn;
    private SessionState state = SessionState.LOGGED_IN;
    private Instant since = Instant.now();
    private Task.Control<Void> logout;
    /** Why the connection is being closed, when it failed. */
    private Throwable failure;

    SessionImpl(Engine engine, long sid, NodeRecord record, SessionType type, Isid isid, SessionSettings settings,
            Connection connection, LoginResult login) {
        this.engine = engine;
        this.sid = sid;
        this.record = record;
        this.type = type;
        this.isid = isid;
        this.tsih = login.tsih();
        this.settings = settings;
        this.params = login.parameters();
        this.connection = connection;
        this.declared = login.declaredByTarget();
        this.where = (type == SessionType.DISCOVERY ? "discovery session" : record.target().value()) + " at "
                + connection.remoteAddress() + " (sid " + sid + ")";
        // a few slots beyond cmds_max for control requests; the transport hears how many replies are due
        this.tasks = new TaskTable(settings.cmdsMax() + 8, connection.transport()::repliesAwaited);
        this.cmdSn = login.expCmdSn();
        this.expCmdSn = login.expCmdSn();
        this.maxCmdSn = login.maxCmdSn();
        this.expStatSn = login.statSn() + 1;
        connection.transport().configure(new LinkSettings(params.headerDigest(), params.dataDigest(),
                params.maxRecvDataSegmentLength()));
        connection.state = ConnectionState.LOGGED_IN;
        long period = Math.max(100, Math.min(1000, settings.commandTimeout().toMillis() / 4));
        this.sweeper = engine.scheduler().scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- submitting

    @Override
    public CompletionStage<ScsiResult> execute(ScsiTask task) {
        CompletableFuture<ScsiResult> f = new CompletableFuture<>();
        CommandTask t = new CommandTask(task, f);
        IscsiException refused;
        synchronized (this) {
            refused = state == SessionState.LOGGED_IN ? null : checkUsable("cannot send " + t.describe());
            if (refused == null) {
                if (waiting.isEmpty() && canStart()) {
                    start(t);
                } else {
                    waiting.add(t);
                }
            }
        }
        if (refused != null) {
            f.completeExceptionally(refused);
        }
        return f;
    }

    @Override
    public int queueDepth() {
        return settings.cmdsMax();
    }

    /** Yes: {@link #finish} sends a command again after a unit attention and raises rescans itself. */
    @Override
    public boolean retriesUnitAttentions() {
        return true;
    }

    private IscsiException checkUsable(String what) {
        if (state != SessionState.LOGGED_IN) {
            return new IscsiException(IscsiError.SESSION_NOT_CONNECTED, where + " is " + state.name().toLowerCase(java.util.Locale.ROOT)
                    + ": " + what);
        }
        return null;
    }

    /** Whether a command may go now: a free slot within cmds_max and an open window. */
    private boolean canStart() {
        return tasks.outstanding() < settings.cmdsMax() && SerialNumber.lessOrEqual(cmdSn, maxCmdSn);
    }

    private void start(CommandTask t) {
        tasks.add(t);
        t.resetAttempt();
        t.cmdSn = cmdSn++;
        t.deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        ScsiTask s = t.scsi;
        int outLength = s.outLength();
        ByteBuffer out = s.dataOut();
        int immediate = 0;
        if (t.writes() && params.immediateData()) {
            immediate = Math.min(outLength, Math.min(params.firstBurstLength(), params.maxXmitDataSegmentLength()));
        }
        int unsolicitedEnd = t.writes() && !params.initialR2T() ? Math.min(outLength, params.firstBurstLength()) : immediate;
        boolean finalBit = unsolicitedEnd <= immediate;
        int edtl = t.writes() ? outLength : s.expectedInLength();
        ByteBuffer immediateData = immediate > 0 ? slice(out, 0, immediate) : null;
        ScsiCommand cmd = new ScsiCommand(finalBit, t.reads(), t.writes(), s.attribute().code(), LunField.encode(s.lun()),
                t.itt, edtl, t.cmdSn, expStatSn, s.cdb(), t.writes() && t.reads() ? s.expectedInLength() : -1, immediateData);
        send(cmd);
        if (unsolicitedEnd > immediate) {
            sendDataOut(t, 0xFFFFFFFF, immediate, unsolicitedEnd - immediate);
        }
    }

    /** Data-Out PDUs for [offset, offset + length) of the task's data, each within MaxXmitDataSegmentLength. */
    private void sendDataOut(CommandTask t, int ttt, int offset, int length) {
        int max = params.maxXmitDataSegmentLength();
        long lun = LunField.encode(t.scsi.lun());
        int dataSn = 0;
        for (int done = 0; done < length; ) {
            int n = Math.min(max, length - done);
            boolean last = done + n == length;
            send(new DataOut(last, lun, t.itt, ttt, expStatSn, dataSn++, offset + done, slice(t.scsi.dataOut(), offset + done, n)));
            done += n;
        }
    }

    private static ByteBuffer slice(ByteBuffer b, int offset, int length) {
        int p = b.position() + offset;
        return b.duplicate().limit(p + length).position(p).slice();
    }

    private void send(Pdu pdu) {
        TransportConnection t = connection.transport();
        PduBuffer b = pdu.data().hasRemaining() ? t.allocate(pdu.ahsLength(), pdu.data()) : t.allocate(pdu.ahsLength(), 0);
        pdu.writeHeader(b.header());
        t.post(b); // a PDU that cannot go closes the connection: closed() fails what is outstanding
    }

    /** Starts waiting commands while slots and the window allow. */
    private void drain() {
        while (!waiting.isEmpty() && canStart() && state == SessionState.LOGGED_IN) {
            start(waiting.poll());
        }
    }

    // ---------------------------------------------------------------- control requests

    /** Sends a Text request and completes with the whole answer (continuations followed). */
    CompletableFuture<List<ByteBuffer>> text(byte[] text) {
        TextExchange x = new TextExchange(text);
        IscsiException refused;
        synchronized (this) {
            refused = checkUsable("cannot send a Text request");
            if (refused == null) {
                if (!tasks.hasFreeSlot()) {
                    refused = new IscsiException(IscsiError.BUSY, where + ": no free task tag for a Text request");
                } else {
                    tasks.add(x);
                    x.deadline = System.nanoTime() + settings.loginTimeout().toNanos();
                    sendText(x, 0xFFFFFFFF, ByteBuffer.wrap(text));
                }
            }
        }
        if (refused != null) {
            x.future.completeExceptionally(refused);
        }
        return x.future;
    }

    private void sendText(TextExchange x, int ttt, ByteBuffer data) {
        // text requests take a CmdSN (non-immediate), as SendTargets in the full feature phase does
        send(new TextRequest(false, true, false, 0, x.itt, ttt, cmdSn++, expStatSn, data));
    }

    /** A text exchange: collects the answer across continued Text Responses. */
    static final class TextExchange extends Task {
        final CompletableFuture<List<ByteBuffer>> future = new CompletableFuture<>();
        final List<ByteBuffer> parts = new ArrayList<>();
        final byte[] request;

        TextExchange(byte[] request) {
            this.request = request;
        }

        @Override
        void fail(Throwable cause) {
            future.completeExceptionally(cause);
        }

        @Override
        String describe() {
            return "Text request";
        }
    }

    /** Logs out (reason: close the session) and closes the connection. */
    CompletableFuture<Void> logout() {
        Task.Control<Void> l;
        synchronized (this) {
            if (logout != null) {
                return logout.future;
            }
            l = new Task.Control<>("Logout request");
            logout = l;
            if (state != SessionState.LOGGED_IN || !tasks.hasFreeSlot()) {
                // nothing to say to the target: just close
                setState(SessionState.LOGGING_OUT);
                connection.close();
            } else {
                setState(SessionState.LOGGING_OUT);
                connection.state = ConnectionState.IN_LOGOUT;
                tasks.add(l);
                l.deadline = System.nanoTime() + settings.logoutTimeout().toNanos();
                send(new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, l.itt, connection.cid, cmdSn, expStatSn));
            }
        }
        return l.future;
    }

    // ---------------------------------------------------------------- receiving

    @Override
    public ByteBuffer placementFor(ByteBuffer header) {
        if (Bhs.opcodeBits(header) != Opcode.DATA_IN.code()) {
            return null;
        }
        int len = org.kiscsi.protocol.Framing.dataSegmentLength(header);
        int offset = header.getInt(40);
        synchronized (this) {
            Task t = tasks.get(Bhs.itt(header));
            if (t instanceof CommandTask c && c.reads() && offset >= 0 && len > 0
                    && (long) offset + len <= c.scsi.expectedInLength()) {
                c.placedOffset = offset;
                return slice(c.scsi.dataIn(), offset, len);
            }
        }
        return null;
    }

    @Override
    public void received(PduBuffer buffer) {
        Task done = null;
        Object outcome = null;
        try {
            if (!buffer.dataDigestOk()) {
                throw new ProtocolException(Kind.DATA_DIGEST, where + ": data digest error in a "
                        + org.kiscsi.protocol.Opcode.of(buffer.header().get(0)) + " PDU");
            }
            TargetPdu pdu = PduCodec.decodeTargetPdu(buffer.header(), buffer.data());
            synchronized (this) {
                updateWindow(pdu, buffer.header());
                Completion c = dispatch(pdu);
                if (c != null) {
                    done = c.task;
                    outcome = c.outcome;
                }
                drain();
            }
        } catch (RuntimeException e) {
            buffer.release();
            fail(e);
            return;
        }
        buffer.release();
        if (done != null) {
            complete(done, outcome);
        }
    }

    /** A task that finished with this PDU: completed outside the lock. */
    private record Completion(Task task, Object outcome) {
    }

    private void updateWindow(TargetPdu pdu, ByteBuffer h) {
        switch (pdu.opcode()) {
            case NOP_IN, SCSI_RESPONSE, TASK_MGMT_RESPONSE, TEXT_RESPONSE, DATA_IN, LOGOUT_RESPONSE, R2T, ASYNC_MESSAGE, REJECT -> {
                int exp = SequenceNumbers.expCmdSn(h);
                int max = SequenceNumbers.maxCmdSn(h);
                // RFC 7143 section 4.2.2.1: ignore a window whose MaxCmdSN < ExpCmdSN - 1
                if (!SerialNumber.lessThan(max, exp - 1)) {
                    if (SerialNumber.greaterThan(exp, expCmdSn)) {
                        expCmdSn = exp;
                    }
                    if (SerialNumber.greaterThan(max, maxCmdSn)) {
                        maxCmdSn = max;
                    }
                }
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
            default -> throw new ProtocolException(Kind.SEQUENCE, where + ": unexpected " + pdu.opcode() + " in full feature phase");
        }
    }

    private Completion dispatch(TargetPdu pdu) {
        // the data path first: Data-In and SCSI Response are most of the traffic
        if (pdu instanceof DataIn d) {
            return dataIn(d);
        } else if (pdu instanceof ScsiResponse r) {
            return scsiResponse(r);
        } else if (pdu instanceof R2t r) {
            return r2t(r);
        } else if (pdu instanceof NopIn n) {
            return nopIn(n);
        } else if (pdu instanceof TextResponse t) {
            return textResponse(t);
        } else if (pdu instanceof LogoutResponse l) {
            return logoutResponse(l);
        } else if (pdu instanceof TaskMgmtResponse t) {
            return taskMgmtResponse(t);
        } else if (pdu instanceof AsyncMessage a) {
            return asyncMessage(a);
        } else if (pdu instanceof Reject r) {
            return reject(r);
        }
        throw new ProtocolException(Kind.SEQUENCE, where + ": unexpected " + pdu.opcode());
    }

    private CommandTask command(int itt, String pduName) {
        Task t = tasks.get(itt);
        if (t instanceof CommandTask c) {
            return c;
        }
        throw new ProtocolException(Kind.SEQUENCE, String.format("%s: %s for ITT 0x%08x, which is not an outstanding command",
                where, pduName, itt));
    }

    private Completion dataIn(DataIn d) {
        CommandTask t = command(d.itt(), "Data-In");
        if (!t.reads()) {
            throw new ProtocolException(Kind.SEQUENCE, where + ": Data-In for " + t.describe() + ", which reads nothing");
        }
        if (d.dataSn() != t.expectedDataSn) {
            throw new ProtocolException(Kind.SEQUENCE, where + ": Data-In DataSN " + Integer.toUnsignedString(d.dataSn())
                    + " for " + t.describe() + ", expected " + t.expectedDataSn);
        }
        t.expectedDataSn++;
        int len = d.data().remaining();
        int offset = d.bufferOffset();
        if (offset < 0 || (long) offset + len > t.scsi.expectedInLength()) {
            throw new ProtocolException(Kind.BAD_FIELD, where + ": Data-In for " + t.describe() + " at offset "
                    + Integer.toUnsignedString(offset) + " length " + len + " overruns the expected " + t.scsi.expectedInLength() + " bytes");
        }
        if (params.dataPduInOrder() && offset != t.bytesIn) {
            throw new ProtocolException(Kind.SEQUENCE, where + ": Data-In for " + t.describe() + " at offset " + offset
                    + ", expected " + t.bytesIn + " (DataPDUInOrder=Yes)");
        }
        if (len > 0 && t.placedOffset != offset) {
            ByteBuffer dst = t.scsi.dataIn();
            dst.put(dst.position() + offset, d.data(), d.data().position(), len);
        }
        t.placedOffset = -1;
        t.bytesIn = Math.max(t.bytesIn, offset + len);
        if (!d.hasStatus()) {
            return null;
        }
        ScsiResult.Residual kind = (d.flags() & DataIn.FLAG_UNDERFLOW) != 0 ? ScsiResult.Residual.UNDERFLOW
                : (d.flags() & DataIn.FLAG_OVERFLOW) != 0 ? ScsiResult.Residual.OVERFLOW : ScsiResult.Residual.NONE;
        return finish(t, new ScsiResult(d.status(), new byte[0], t.bytesIn, d.residualCount(), kind));
    }

    private Completion scsiResponse(ScsiResponse r) {
        CommandTask t = command(r.itt(), "SCSI Response");
        if (r.response() != 0) {
            tasks.remove(t);
            return new Completion(t, new IscsiException(IscsiError.TRANS, where + ": target failure (iSCSI response 0x"
                    + Integer.toHexString(r.response()) + ") for " + t.describe()));
        }
        ByteBuffer sense = r.sense();
        byte[] s = new byte[sense.remaining()];
        sense.get(s);
        ScsiResult.Residual kind = r.underflow() ? ScsiResult.Residual.UNDERFLOW
                : r.overflow() ? ScsiResult.Residual.OVERFLOW : ScsiResult.Residual.NONE;
        return finish(t, new ScsiResult(r.status(), s, t.bytesIn, r.residualCount(), kind));
    }

    /** A command ended: retry it after a unit attention, else free its slot and complete it. */
    private Completion finish(CommandTask t, ScsiResult result) {
        tasks.remove(t);
        if (result.status() == ScsiResult.CHECK_CONDITION) {
            Sense s = Sense.parse(result.sense());
            if (s != null && s.isUnitAttention()) {
                if (s.reportedLunsChanged() || s.capacityChanged()) {
                    engine.rescanNeeded(sid, t.scsi.lun(), s.reportedLunsChanged() ? "REPORTED LUNS DATA HAS CHANGED"
                            : "CAPACITY DATA HAS CHANGED");
                }
                if (t.unitAttentionRetries++ < MAX_UNIT_ATTENTION_RETRIES && !t.aborting) {
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("{}: {} got a unit attention ({}), sending it again", where, t.describe(), s);
                    }
                    waiting.addFirst(t);
                    return null;
                }
            }
        }
        if (t.aborting) {
            return null; // its caller already heard of the timeout
        }
        return new Completion(t, result);
    }

    private Completion r2t(R2t r) {
        CommandTask t = command(r.itt(), "R2T");
        long end = Integer.toUnsignedLong(r.bufferOffset()) + Integer.toUnsignedLong(r.desiredDataTransferLength());
        if (!t.writes() || end > t.scsi.outLength() || r.desiredDataTransferLength() == 0) {
            throw new ProtocolException(Kind.BAD_FIELD, where + ": R2T for " + t.describe() + " asks for "
                    + Integer.toUnsignedString(r.desiredDataTransferLength()) + " bytes at offset "
                    + Integer.toUnsignedString(r.bufferOffset()) + " of " + t.scsi.outLength());
        }
        if (Integer.toUnsignedLong(r.desiredDataTransferLength()) > params.maxBurstLength()) {
            throw new ProtocolException(Kind.BAD_FIELD, where + ": R2T asks for " + r.desiredDataTransferLength()
                    + " bytes, over MaxBurstLength " + params.maxBurstLength());
        }
        sendDataOut(t, r.ttt(), r.bufferOffset(), r.desiredDataTransferLength());
        return null;
    }

    private Completion nopIn(NopIn n) {
        if (n.itt() == Bhs.RESERVED_TAG) {
            if (n.wantsReply()) {
                // the target pings: answer with the same TTT (and its data), immediate, no new CmdSN
                send(new NopOut(true, n.lun(), Bhs.RESERVED_TAG, n.ttt(), cmdSn, expStatSn, copy(n.data())));
            }
            return null;
        }
        Task t = tasks.get(n.itt());
        if (t == null) {
            throw new ProtocolException(Kind.SEQUENCE, String.format("%s: NOP-In for unknown ITT 0x%08x", where, n.itt()));
        }
        tasks.remove(t);
        return new Completion(t, null);
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    private Completion textResponse(TextResponse r) {
        Task t = tasks.get(r.itt());
        if (!(t instanceof TextExchange x)) {
            throw new ProtocolException(Kind.SEQUENCE, String.format("%s: Text Response for unknown ITT 0x%08x", where, r.itt()));
        }
        x.parts.add(copy(r.data()));
        if (r.cont() || !r.finalBit()) {
            // more to come: ask for it with the target's TTT
            x.deadline = System.nanoTime() + settings.loginTimeout().toNanos();
            sendText(x, r.ttt(), ByteBuffer.allocate(0));
            return null;
        }
        tasks.remove(x);
        return new Completion(x, x.parts);
    }

    private Completion logoutResponse(LogoutResponse r) {
        Task t = tasks.get(r.itt());
        if (t == null || t != logout) {
            throw new ProtocolException(Kind.SEQUENCE, String.format("%s: Logout Response for unknown ITT 0x%08x", where, r.itt()));
        }
        tasks.remove(t);
        if (r.response() != 0) {
            LOG.warn("{}: logout answered with response {} ({}); closing the connection anyway", where, r.response(),
                    r.response() == 1 ? "CID not found" : r.response() == 2 ? "recovery not supported" : "cleanup failed");
        }
        connection.close();
        return null; // the close completes the logout
    }

    private Completion taskMgmtResponse(TaskMgmtResponse r) {
        Task t = tasks.get(r.itt());
        if (!(t instanceof AbortTask a)) {
            throw new ProtocolException(Kind.SEQUENCE, String.format("%s: Task Management Response for unknown ITT 0x%08x",
                    where, r.itt()));
        }
        tasks.remove(a);
        // whatever the answer, the aborted task is over: free its tag
        Task aborted = tasks.get(a.referencedItt);
        if (aborted != null) {
            tasks.remove(aborted);
        }
        LOG.debug("{}: ABORT TASK for {} answered {}", where, a.what, r.response());
        return null;
    }

    private Completion asyncMessage(AsyncMessage a) {
        switch (a.asyncEvent()) {
            case AsyncMessage.SCSI_EVENT -> {
                ByteBuffer d = a.data();
                if (d.remaining() > 2) {
                    byte[] s = new byte[Math.min(d.getShort(d.position()) & 0xFFFF, d.remaining() - 2)];
                    d.duplicate().position(d.position() + 2).get(s);
                    Sense sense = Sense.parse(s);
                    if (sense != null && (sense.reportedLunsChanged() || sense.capacityChanged())) {
                        long lun;
                        try {
                            lun = LunField.decode(a.lun());
                        } catch (IllegalArgumentException e) {
                            LOG.warn("{}: SCSI async event for a LUN kiscsi cannot address: {}", where, e.getMessage());
                            return null;
                        }
                        engine.rescanNeeded(sid, lun, sense.reportedLunsChanged()
                                ? "REPORTED LUNS DATA HAS CHANGED" : "CAPACITY DATA HAS CHANGED");
                    }
                }
            }
            case AsyncMessage.LOGOUT_REQUESTED -> {
                LOG.info("{}: the target asks for a logout", where);
                engine.scheduler().execute(this::logout);
            }
            case AsyncMessage.CONNECTION_DROP, AsyncMessage.SESSION_DROP ->
                LOG.info("{}: the target announces it will drop the connection (event {})", where, a.asyncEvent());
            default -> LOG.debug("{}: async event {} ignored", where, a.asyncEvent());
        }
        return null;
    }

    private Completion reject(Reject r) {
        int itt = r.rejectedItt();
        Task t = itt == Bhs.RESERVED_TAG ? null : tasks.get(itt);
        String why = where + ": target rejected a PDU: " + r.reasonText();
        if (t == null) {
            LOG.warn(why);
            return null;
        }
        tasks.remove(t);
        return new Completion(t, new IscsiException(IscsiError.TRANS, why + " (" + t.describe() + ")"));
    }

    @SuppressWarnings("unchecked")
    private void complete(Task t, Object outcome) {
        if (outcome instanceof Throwable e) {
            t.fail(e);
        } else if (t instanceof CommandTask c) {
            c.future.complete((ScsiResult) outcome);
        } else if (t instanceof TextExchange x) {
            x.future.complete((List<ByteBuffer>) outcome);
        } else if (t instanceof Task.Control<?> c) {
            ((Task.Control<Object>) c).future.complete(outcome);
        }
    }

    // ---------------------------------------------------------------- timeouts and failure

    /** ABORT TASK for a command that timed out. */
    static final class AbortTask extends Task {
        final int referencedItt;
        final String what;

        AbortTask(int referencedItt, String what) {
            this.referencedItt = referencedItt;
            this.what = what;
        }

        @Override
        void fail(Throwable cause) {
        }

        @Override
        String describe() {
            return "ABORT TASK for " + what;
        }
    }

    private void sweep() {
        List<Task> expired = new ArrayList<>();
        IscsiException escalate = null;
        synchronized (this) {
            if (state == SessionState.CLOSED) {
                return;
            }
            long now = System.nanoTime();
            for (Task t : tasks.all()) {
                if (now - t.deadline < 0) {
                    continue;
                }
                if (t instanceof CommandTask c && !c.aborting) {
                    c.aborting = true;
                    expired.add(c);
                    if (tasks.hasFreeSlot()) {
                        AbortTask a = new AbortTask(c.itt, c.describe());
                        tasks.add(a);
                        a.deadline = now + settings.commandTimeout().toNanos();
                        send(new TaskMgmtRequest(true, TaskMgmtRequest.ABORT_TASK, LunField.encode(c.scsi.lun()), a.itt,
                                c.itt, cmdSn, expStatSn, c.cmdSn, c.expectedDataSn));
                    }
                } else if (t instanceof AbortTask a) {
                    escalate = new IscsiException(IscsiError.REQ_TIMEDOUT, where + ": ABORT TASK for " + a.what
                            + " was not answered; closing the connection");
                } else if (t == logout) {
                    escalate = new IscsiException(IscsiError.LOGOUT, where + ": logout not answered within "
                            + settings.logoutTimeout().toSeconds() + " s (node.conn[0].timeo.logout_timeout); closing the connection");
                } else if (!(t instanceof CommandTask)) {
                    tasks.remove(t);
                    expired.add(t);
                }
            }
        }
        for (Task t : expired) {
            t.fail(new IscsiException(IscsiError.REQ_TIMEDOUT, where + ": " + t.describe() + " timed out after "
                    + (t instanceof CommandTask ? settings.commandTimeout().toSeconds() + " s (node.session.scsi.cmd_timeout)"
                            : settings.loginTimeout().toSeconds() + " s")));
        }
        if (escalate != null) {
            LOG.warn(escalate.getMessage());
            fail(escalate);
        }
    }

    /** The connection failed: close it and fail everything outstanding. */
    private void fail(Throwable cause) {
        LOG.warn("{}: {}", where, cause.getMessage());
        synchronized (this) {
            if (failure == null) {
                failure = cause;
            }
        }
        connection.close();
    }

    @Override
    public void closed(Throwable cause) {
        List<Task> outstanding;
        List<CommandTask> queued;
        Task.Control<Void> l;
        Throwable why;
        synchronized (this) {
            if (state == SessionState.CLOSED) {
                return;
            }
            why = failure != null ? failure : cause;
            boolean loggingOut = state == SessionState.LOGGING_OUT;
            setState(SessionState.CLOSED);
            outstanding = tasks.all();
            for (Task t : outstanding) {
                tasks.remove(t);
            }
            queued = new ArrayList<>(waiting);
            waiting.clear();
            l = logout;
            if (loggingOut && failure == null) {
                why = null;
            }
        }
        sweeper.cancel(false);
        engine.sessionClosed(this); // gone from the session list before anyone hears of it
        IscsiException gone = new IscsiException(IscsiError.SESSION_NOT_CONNECTED, where + ": connection closed"
                + (why == null ? " (logged out)" : ": " + why.getMessage()), why);
        for (Task t : outstanding) {
            if (!(t instanceof CommandTask c && c.aborting) && t != l) {
                t.fail(gone);
            }
        }
        for (CommandTask t : queued) {
            t.fail(gone);
        }
        if (l != null) {
            if (why == null) {
                l.future.complete(null);
            } else {
                l.future.completeExceptionally(gone);
            }
        }
    }

    // ---------------------------------------------------------------- state and info

    private void setState(SessionState next) {
        SessionState previous = state;
        state = next;
        since = Instant.now();
        if (previous != next) {
            engine.stateChanged(this, previous);
        }
    }

    synchronized SessionState state() {
        return state;
    }

    synchronized SessionInfo info() {
        Map<String, String> conn = new LinkedHashMap<>(params.connectionValues());
        ConnectionInfo ci = new ConnectionInfo(connection.cid, connection.state, connection.transportName,
                connection.localAddress(), connection.remoteAddress(), conn);
        Map<String, String> sess = new LinkedHashMap<>(params.sessionValues());
        sess.put("CmdSN", Integer.toUnsignedString(cmdSn));
        sess.put("ExpCmdSN", Integer.toUnsignedString(expCmdSn));
        sess.put("MaxCmdSN", Integer.toUnsignedString(maxCmdSn));
        sess.put("ExpStatSN", Integer.toUnsignedString(expStatSn));
        sess.put("TargetPortalGroupTag", declared.getOrDefault("TargetPortalGroupTag", ""));
        return new SessionInfo(sid, record.key(), type, isid, tsih, state, RecoveryStage.NONE, List.of(ci), sess,
                declared.getOrDefault("TargetAlias", ""), since);
    }

    /** Test hook: commands outstanding in the task table. */
    synchronized int outstanding() {
        return tasks.outstanding();
    }
}
