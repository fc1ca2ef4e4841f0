package org.kiscsi.engine.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.Sense;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;
import org.kiscsi.protocol.pdu.AsyncMessage;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.DataIn;
import org.kiscsi.protocol.pdu.LogoutResponse;
import org.kiscsi.protocol.pdu.LunField;
import org.kiscsi.protocol.pdu.NopIn;
import org.kiscsi.protocol.pdu.NopOut;
import org.kiscsi.protocol.pdu.R2t;
import org.kiscsi.protocol.pdu.Reject;
import org.kiscsi.protocol.pdu.ScsiResponse;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.protocol.pdu.TaskMgmtResponse;
import org.kiscsi.protocol.pdu.TextResponse;
import org.kiscsi.spi.transport.TaskEnd;
import org.kiscsi.spi.transport.TaskTransfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each PDU from the target means to the session: data and status for commands, R2Ts, NOP-Ins,
 * text and logout answers, task management answers, asynchronous messages and rejects. Runs under the
 * session's lock; a task that finishes is returned as a {@link Completion}, completed after the lock
 * is released.
 */
final class TargetPdus {
    private static final Logger LOG = LoggerFactory.getLogger(TargetPdus.class);

    private final SessionImpl session;

    TargetPdus(SessionImpl session) {
        this.session = session;
    }

    /** A task that finished with this PDU: completed outside the lock. */
    record Completion(Task task, Object outcome) {
    }

    Completion dispatch(ConnectionContext c, TargetPdu pdu) {
        // the data path first: Data-In and SCSI Response are most of the traffic
        if (pdu instanceof DataIn d) {
            return dataIn(c, d);
        } else if (pdu instanceof ScsiResponse r) {
            return scsiResponse(c, r);
        } else if (pdu instanceof R2t r) {
            if (c.connection.directDataPlacement) {
                throw new ProtocolException(Kind.SEQUENCE, session.where + ": R2T reached the initiator, but transport "
                        + c.connection.transportName + " moves the data itself (direct data placement)");
            }
            c.mover.r2t(command(r.itt(), "R2T"), r, session.where);
            return null;
        } else if (pdu instanceof NopIn n) {
            return nopIn(c, n);
        } else if (pdu instanceof TextResponse t) {
            return textResponse(t);
        } else if (pdu instanceof LogoutResponse l) {
            return logoutResponse(l);
        } else if (pdu instanceof TaskMgmtResponse t) {
            return taskMgmtResponse(t);
        } else if (pdu instanceof AsyncMessage a) {
            asyncMessage(c, a);
            return null;
        } else if (pdu instanceof Reject r) {
            return reject(r);
        }
        throw new ProtocolException(Kind.SEQUENCE, session.where + ": unexpected " + pdu.opcode());
    }

    private CommandTask command(int itt, String pduName) {
        Task t = session.tasks().get(itt);
        if (t instanceof CommandTask c) {
            return c;
        }
        throw new ProtocolException(Kind.SEQUENCE, String.format("%s: %s for ITT 0x%08x, which is not an outstanding command",
                session.where, pduName, itt));
    }

    private Completion dataIn(ConnectionContext c, DataIn d) {
        CommandTask t = command(d.itt(), "Data-In");
        String where = session.where;
        if (c.connection.directDataPlacement) {
            throw new ProtocolException(Kind.SEQUENCE, where + ": Data-In for " + t.describe() + " reached the initiator, but"
                    + " transport " + c.connection.transportName + " moves the data itself (direct data placement)");
        }
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
        if (c.params.dataPduInOrder() && offset != t.bytesIn) {
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
        session.taskEnded(c, t, TaskEnd.COMPLETED);
        return finish(t, new ScsiResult(d.status(), new byte[0], t.bytesIn, d.residualCount(), kind));
    }

    private Completion scsiResponse(ConnectionContext c, ScsiResponse r) {
        CommandTask t = command(r.itt(), "SCSI Response");
        TaskTransfer moved = session.taskEnded(c, t, TaskEnd.COMPLETED);
        if (c.connection.directDataPlacement) {
            // the transport placed the data: its count is the one the caller hears
            if (moved.bytesIn() > (t.reads() ? t.scsi.expectedInLength() : 0)) {
                session.tasks().remove(t);
                throw new ProtocolException(Kind.BAD_FIELD, session.where + ": transport " + c.connection.transportName
                        + " reports " + moved.bytesIn() + " bytes placed for " + t.describe() + ", which expects "
                        + (t.reads() ? t.scsi.expectedInLength() : 0));
            }
            t.bytesIn = moved.bytesIn();
        }
        if (r.response() != 0) {
            session.tasks().remove(t);
            return new Completion(t, new IscsiException(IscsiError.TRANS, session.where + ": target failure (iSCSI response 0x"
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
        session.tasks().remove(t);
        if (result.status() == ScsiResult.CHECK_CONDITION) {
            Sense s = Sense.decode(result.sense()).orElse(null);
            if (s != null && s.isUnitAttention()) {
                rescanIfNeeded(s, t.scsi.lun());
                if (t.unitAttentionRetries++ < SessionImpl.MAX_UNIT_ATTENTION_RETRIES) {
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("{}: {} got a unit attention ({}), sending it again", session.where, t.describe(), s.text());
                    }
                    session.requeue(t);
                    return null;
                }
            }
        }
        return new Completion(t, result);
    }

    private void rescanIfNeeded(Sense s, long lun) {
        boolean luns = s.is(0x3F, 0x0E);
        if (luns || s.is(0x2A, 0x09)) {
            session.engine().rescanNeeded(session.sid, lun, luns ? "REPORTED LUNS DATA HAS CHANGED" : "CAPACITY DATA HAS CHANGED");
        }
    }

    private Completion nopIn(ConnectionContext c, NopIn n) {
        if (n.itt() == Bhs.RESERVED_TAG) {
            if (n.wantsReply()) {
                // the target pings: answer with the same TTT (and its data), immediate, no new CmdSN
                c.send(new NopOut(true, n.lun(), Bhs.RESERVED_TAG, n.ttt(), session.window().current(), c.expStatSn, copy(n.data())));
            }
            return null;
        }
        Task t = session.tasks().get(n.itt());
        if (t == null || t != c.ping) {
            // a NOP-In answers only a NOP-Out: one carrying a command's tag would end that command without its status
            throw new ProtocolException(Kind.SEQUENCE, String.format("%s: NOP-In for ITT 0x%08x, %s", session.where, n.itt(),
                    t == null ? "which is unknown" : "which is " + t.describe() + ", not a NOP-Out"));
        }
        session.tasks().remove(t);
        c.ping = null;
        return new Completion(t, null);
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    /** A text exchange: collects the answer across continued Text Responses. */
    static final class TextExchange extends Task {
        final CompletableFuture<List<ByteBuffer>> future = new CompletableFuture<>();
        /** A bound on an answer: a target that never stops continuing must not fill the heap. */
        static final int MAX_BYTES = 16 << 20;
        /** Continuations without data in a row that are still followed. */
        static final int MAX_EMPTY_IN_A_ROW = 8;
        int emptyInARow;
        final List<ByteBuffer> parts = new ArrayList<>();
        int bytes;

        @Override
        void fail(Throwable cause) {
            future.completeExceptionally(cause);
        }

        @Override
        String describe() {
            return "Text request";
        }
    }

    private Completion textResponse(TextResponse r) {
        Task t = session.tasks().get(r.itt());
        if (!(t instanceof TextExchange x)) {
            throw new ProtocolException(Kind.SEQUENCE, String.format("%s: Text Response for unknown ITT 0x%08x", session.where, r.itt()));
        }
        x.parts.add(copy(r.data()));
        x.bytes += r.data().remaining();
        if (x.bytes > TextExchange.MAX_BYTES) {
            session.tasks().remove(x);
            return new Completion(x, new IscsiException(IscsiError.PDU_TIMEOUT, session.where + ": the answer to a Text request "
                    + "grew past " + TextExchange.MAX_BYTES + " bytes over " + x.parts.size() + " PDUs; giving up"));
        }
        if (r.cont() || !r.finalBit()) {
            x.emptyInARow = r.data().remaining() == 0 ? x.emptyInARow + 1 : 0;
            if (x.emptyInARow > TextExchange.MAX_EMPTY_IN_A_ROW) {
                // each answer restarts the wait: a target continuing with nothing would keep the exchange going for ever
                session.tasks().remove(x);
                return new Completion(x, new IscsiException(IscsiError.TRANS, session.where + ": the target continued its answer"
                        + " to a Text request with " + x.emptyInARow + " empty Text Responses in a row (C or F=0, no data); giving up"));
            }
            if (r.ttt() == Bhs.RESERVED_TAG) {
                session.tasks().remove(x);
                return new Completion(x, new IscsiException(IscsiError.TRANS, session.where + ": a Text Response with "
                        + (r.cont() ? "C" : "F=0") + " but the reserved target transfer tag 0xffffffff: no way to ask for the rest"));
            }
            // more to come: ask for it with the target's TTT
            session.sendText(x, r.ttt(), ByteBuffer.allocate(0));
            return null;
        }
        session.tasks().remove(x);
        return new Completion(x, x.parts);
    }

    private Completion logoutResponse(LogoutResponse r) {
        Task t = session.tasks().get(r.itt());
        if (t == null || !(session.isLogout(t) || session.isRecoveryLogout(t))) {
            throw new ProtocolException(Kind.SEQUENCE, String.format("%s: Logout Response for unknown ITT 0x%08x", session.where, r.itt()));
        }
        if (r.response() != 0) {
            LOG.warn("{}: logout answered with response {} ({}); closing the connection anyway", session.where, r.response(),
                    r.response() == 1 ? "CID not found" : r.response() == 2 ? "recovery not supported" : "cleanup failed");
        }
        if (session.isRecoveryLogout(t)) {
            session.recoveryLogoutAnswered(r.time2Wait());
        } else {
            session.tasks().remove(t);
            session.closeSession(null); // completes the logout
        }
        return null;
    }

    private Completion taskMgmtResponse(TaskMgmtResponse r) {
        Task t = session.tasks().get(r.itt());
        if (t == null && session.taskManagement().lateAnswer(r.itt())) {
            LOG.info("{}: a Task Management Response ({}) for ITT 0x{} came after its request was given up; ignored",
                    session.where, TaskMgmtResponses.text(r.response()), Integer.toHexString(r.itt()));
            return null;
        }
        if (!(t instanceof TaskManagement.Request m)) {
            throw new ProtocolException(Kind.SEQUENCE, String.format("%s: Task Management Response for ITT 0x%08x, %s", session.where,
                    r.itt(), t == null ? "which is unknown" : "which is " + t.describe() + ", not a task management request"));
        }
        session.taskManagement().answered(m, r.response());
        return null;
    }

    private void asyncMessage(ConnectionContext c, AsyncMessage a) {
        String where = session.where;
        switch (a.asyncEvent()) {
            case AsyncMessage.SCSI_EVENT -> scsiEvent(a);
            case AsyncMessage.LOGOUT_REQUESTED -> {
                // Parameter3: seconds within which to log out; let what is in flight finish first
                int within = Math.max(0, a.parameter3() - 1);
                LOG.info("{}: the target asks for a logout within {} s: finishing commands in flight, then logging out and in again",
                        where, a.parameter3());
                session.drainAndRelogin(Duration.ofSeconds(within));
            }
            case AsyncMessage.CONNECTION_DROP, AsyncMessage.SESSION_DROP -> {
                // Parameter2: Time2Wait before logging in again, Parameter3: Time2Retain
                LOG.info("{}: the target drops the connection (event {}); logging in again in {} s", where, a.asyncEvent(), a.parameter2());
                session.dropConnection(new IscsiException(IscsiError.TRANS, "the target dropped the connection (async event "
                        + a.asyncEvent() + ")"), Duration.ofSeconds(Math.max(0, a.parameter2())));
            }
            case AsyncMessage.RENEGOTIATE -> {
                // RFC 7143 allows a Text request or a logout: log out (after what is in flight) and log in again,
                // which renegotiates every key, not just the ones a Text request could
                LOG.info("{}: the target asks to renegotiate: logging out and in again", where);
                session.drainAndRelogin(session.settings().logoutTimeout());
            }
            case AsyncMessage.TASK_TERMINATION -> {
                long lun = LunField.decode(a.lun());
                LOG.info("{}: the target terminates every task of LUN {}", where, lun);
                // acknowledge its StatSN with a non-ping NOP-Out carrying the LUN (RFC 7143 section 11.9.1)
                c.send(new NopOut(true, a.lun(), Bhs.RESERVED_TAG, Bhs.RESERVED_TAG, session.window().current(), c.expStatSn,
                        ByteBuffer.allocate(0)));
                session.tasksGone(lun, "task termination (async event 5)");
            }
            default -> LOG.debug("{}: async event {} ignored", where, a.asyncEvent());
        }
    }

    private void scsiEvent(AsyncMessage a) {
        ByteBuffer d = a.data();
        if (d.remaining() <= 2) {
            return;
        }
        byte[] s = new byte[Math.min(d.getShort(d.position()) & 0xFFFF, d.remaining() - 2)];
        d.duplicate().position(d.position() + 2).get(s);
        Sense sense = Sense.decode(s).orElse(null);
        if (sense == null) {
            return;
        }
        long lun;
        try {
            lun = LunField.decode(a.lun());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: SCSI async event for a LUN kiscsi cannot address: {}", session.where, e.getMessage());
            return;
        }
        rescanIfNeeded(sense, lun);
    }

    private Completion reject(Reject r) {
        int itt = r.rejectedItt();
        Task t = itt == Bhs.RESERVED_TAG ? null : session.tasks().get(itt);
        String why = session.where + ": target rejected a PDU: " + r.reasonText();
        if (t == null) {
            LOG.warn(why);
            return null;
        }
        if (t instanceof TaskManagement.Request m) {
            session.taskManagement().rejected(m, r.reasonText());
            return null;
        }
        session.tasks().remove(t);
        return new Completion(t, new IscsiException(IscsiError.TRANS, why + " (" + t.describe() + ")"));
    }

    @SuppressWarnings("unchecked")
    static void complete(Task t, Object outcome) {
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
}
