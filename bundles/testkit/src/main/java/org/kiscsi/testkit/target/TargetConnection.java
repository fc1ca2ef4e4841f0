package org.kiscsi.testkit.target;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.kiscsi.protocol.PduStream;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.pdu.AsyncMessage;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.DataIn;
import org.kiscsi.protocol.pdu.DataOut;
import org.kiscsi.protocol.pdu.InitiatorPdu;
import org.kiscsi.protocol.pdu.LoginRequest;
import org.kiscsi.protocol.pdu.LoginResponse;
import org.kiscsi.protocol.pdu.LogoutRequest;
import org.kiscsi.protocol.pdu.LogoutResponse;
import org.kiscsi.protocol.pdu.LunField;
import org.kiscsi.protocol.pdu.NopIn;
import org.kiscsi.protocol.pdu.NopOut;
import org.kiscsi.protocol.pdu.PduCodec;
import org.kiscsi.protocol.pdu.R2t;
import org.kiscsi.protocol.pdu.Reject;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.protocol.pdu.ScsiResponse;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.protocol.pdu.TaskMgmtRequest;
import org.kiscsi.protocol.pdu.TaskMgmtResponse;
import org.kiscsi.protocol.pdu.TextRequest;
import org.kiscsi.protocol.pdu.TextResponse;
import org.kiscsi.protocol.text.KeyValue;
import org.kiscsi.protocol.text.Negotiation;
import org.kiscsi.protocol.text.TextAccumulator;
import org.kiscsi.protocol.text.TextCodec;

/**
 * One connection to the test target: login, then the full feature phase. Its own thread reads and
 * answers; other threads (asynchronous messages, pings, resets, session reinstatement) act on it
 * under its lock, so PDUs and sequence numbers stay in order.
 */
final class TargetConnection implements Runnable {
    /** How often a stalled connection looks whether its wire closed. */
    private static final long STALL_POLL_MS = 20;

    private final TestTarget target;
    private final Wire wire;
    private final PduStream stream;
    private OutputStream out;
    private volatile boolean stalled;
    private volatile boolean ended;
    private TargetSession session; // set once logged in
    private long isid;
    private int cid;
    private String initiatorName = "";
    /** SCSI commands left unanswered on purpose: ITT to LUN. */
    private final Map<Integer, Integer> ignored = new ConcurrentHashMap<>();

    private int statSn = 0x1000;
    private int expCmdSn;
    private boolean loggedIn;
    private final TextAccumulator loginText = new TextAccumulator();
    private boolean firstLoginPdu = true;
    private int requestedTsih;
    private boolean discovery;
    private boolean tpgtSent;
    private boolean chapDecided;
    private ChapExchange chap; // null: no CHAP required of this login
    private final Map<String, String> negotiated = new HashMap<>();
    private int initiatorMrdsl = 8192;
    private byte[] textPending; // the rest of a Text answer sent in parts
    private int textOffset;
    private int textTtt = Bhs.RESERVED_TAG;
    private int textPdusSent;
    private int loginPdusAnswered;
    private final Map<Integer, PendingWrite> writes = new ConcurrentHashMap<>();
    private final List<List<TargetPdu>> held = new ArrayList<>();

    /** A write waiting for its data. */
    private static final class PendingWrite {
        final ScsiCommand cmd;
        final int lun;
        final byte[] data;
        int received;
        int r2tOffset;
        int r2tSn;
        final boolean discard;

        PendingWrite(ScsiCommand cmd, int lun, int length, boolean discard) {
            this.cmd = cmd;
            this.lun = lun;
            this.data = new byte[length];
            this.discard = discard;
        }
    }

    TargetConnection(TestTarget target, Wire wire) {
        this.target = target;
        this.wire = wire;
        this.stream = new PduStream("initiator " + wire.peer());
        this.out = new BufferedOutputStream(wire.out());
    }

    @Override
    public void run() {
        try (java.io.Closeable closer = wire.closer()) {
            InputStream in = new BufferedInputStream(wire.in());
            while (true) {
                PduStream.Frame f = stream.read(in);
                if (f == null) {
                    return;
                }
                if (!f.dataDigestOk()) {
                    dataDigestError(f);
                    continue;
                }
                InitiatorPdu pdu = PduCodec.decodeInitiatorPdu(f.header(), f.data());
                target.received.add(pdu);
                if (!handle(pdu)) {
                    return;
                }
                if (stalled) {
                    awaitWireClosed();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the initiator went away or sent garbage: the connection ends, as a real target's would
            if (!ended) {
                target.errors.add(e);
            }
        } finally {
            ended = true;
            target.connectionEnded(this, session);
        }
    }

    /**
     * RFC 7143 section 7.8: a PDU whose data digest fails is discarded and answered with a
     * Reject (reason data digest error) carrying its header; the initiator recovers.
     */
    private void dataDigestError(PduStream.Frame f) throws IOException {
        ByteBuffer header = f.header().duplicate().position(0);
        target.errors.add(new ProtocolException(ProtocolException.Kind.DATA_DIGEST, String.format(
                "data digest error in a PDU with opcode 0x%02x, ITT 0x%08x", Bhs.opcodeBits(header), Bhs.itt(header))));
        ByteBuffer bhs = ByteBuffer.allocate(Bhs.LENGTH).put(header.limit(Bhs.LENGTH)).flip();
        send(new Reject(0x02, statSn++, expCmdSn, maxCmdSn(), 0, bhs));
    }

    /** A stalled connection reads and answers nothing until its wire closes (or the target closes it). */
    private void awaitWireClosed() {
        while (!ended && wire.open().getAsBoolean()) {
            try {
                Thread.sleep(STALL_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Closes the connection from the target's side (reinstatement, a drop announced by an async message). */
    void close() {
        ended = true;
        try {
            wire.closer().close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    boolean inFullFeaturePhase() {
        return session != null && !ended;
    }

    boolean stalled() {
        return stalled;
    }

    int cid() {
        return cid;
    }

    private synchronized void send(TargetPdu pdu) throws IOException {
        stream.write(out, PduCodec.encodeHeader(pdu), pdu.data());
    }

    /** Sends an Asynchronous Message; false when the connection is not in full feature phase, or stalled. */
    synchronized boolean sendAsync(long lunField, int event, int p1, int p2, int p3, ByteBuffer data) {
        if (!inFullFeaturePhase() || stalled) {
            return false;
        }
        try {
            send(new AsyncMessage(lunField, statSn++, expCmdSn, maxCmdSn(), event, 0, p1, p2, p3, data));
            return true;
        } catch (IOException e) {
            return false; // the connection is going: its own thread notices
        }
    }

    /** The target's own ping: a NOP-In asking for an answer; StatSN is not advanced (RFC 7143 11.19). */
    synchronized boolean ping(int ttt) {
        if (!inFullFeaturePhase() || stalled) {
            return false;
        }
        try {
            send(new NopIn(0, Bhs.RESERVED_TAG, ttt, statSn, expCmdSn, maxCmdSn(), null));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Forgets the commands waiting for an answer or for data: on {@code lun}, or all when {@code lun} is negative. */
    void dropCommands(int lun) {
        ignored.values().removeIf(l -> lun < 0 || l == lun);
        writes.values().removeIf(w -> lun < 0 || w.lun == lun);
    }

    /** ITTs of commands not answered yet: ignored on purpose or still waiting for data. */
    List<Integer> unansweredCommands() {
        List<Integer> itts = new ArrayList<>(ignored.keySet());
        itts.addAll(writes.keySet());
        return itts;
    }

    private int maxCmdSn() {
        return expCmdSn + target.commandWindow - 1;
    }

    /** Answers a Text request, or sends the next part of an answer; false to close the connection. */
    private boolean text(TextRequest t) throws IOException {
        if (t.ttt() != Bhs.RESERVED_TAG) {
            if (textPending == null || t.ttt() != textTtt || t.data().hasRemaining()) {
                target.errors.add(new IllegalStateException(String.format("Text request with TTT 0x%08x and %d data bytes;"
                        + " expected an empty one with TTT 0x%08x", t.ttt(), t.data().remaining(), textTtt)));
                textPending = null;
            }
        } else {
            String asked = StandardCharsets.UTF_8.decode(t.data().duplicate()).toString();
            byte[] answer = target.sendTargetsAnswer;
            if (!asked.startsWith("SendTargets=")) {
                answer = new byte[0];
            } else if (answer == null) {
                answer = ("TargetName=" + target.name() + "\0TargetAddress=" + wire.portal().hostPort() + ",1\0")
                        .getBytes(StandardCharsets.UTF_8);
            }
            textPending = answer;
            textOffset = 0;
        }
        byte[] all = textPending == null ? new byte[0] : textPending;
        if (target.textPdusBeforeStall >= 0 && textPdusSent >= target.textPdusBeforeStall) {
            stalled = true;
            return true;
        }
        if (target.textPdusBeforeClose >= 0 && textPdusSent >= target.textPdusBeforeClose) {
            return false;
        }
        int max = target.textPduSize > 0 ? Math.min(target.textPduSize, initiatorMrdsl) : initiatorMrdsl;
        int n = Math.min(max, all.length - textOffset);
        boolean last = textOffset + n == all.length;
        boolean cont = !last && all[textOffset + n - 1] != 0;
        textTtt = last ? Bhs.RESERVED_TAG : 0x7000_0000 + textPdusSent;
        send(new TextResponse(last, cont, 0, t.itt(), textTtt, statSn++, expCmdSn, maxCmdSn(),
                ByteBuffer.wrap(all, textOffset, n).slice()));
        textPdusSent++;
        textOffset += n;
        if (last) {
            textPending = null;
        }
        return true;
    }

    /** @return false to close the connection */
    private synchronized boolean handle(InitiatorPdu pdu) throws IOException {
        if (!loggedIn) {
            if (pdu instanceof LoginRequest r) {
                return login(r);
            }
            return false;
        }
        if (pdu instanceof ScsiCommand c) {
            command(c);
        } else if (pdu instanceof DataOut d) {
            dataOut(d);
        } else if (pdu instanceof NopOut n) {
            target.nopOutSeen(n);
            if (!n.immediate()) {
                expCmdSn = n.cmdSn() + 1;
            }
            if (n.itt() != Bhs.RESERVED_TAG) {
                send(new NopIn(n.lun(), n.itt(), Bhs.RESERVED_TAG, statSn++, expCmdSn, maxCmdSn(), n.data()));
            }
        } else if (pdu instanceof TextRequest t) {
            if (!t.immediate()) {
                expCmdSn = t.cmdSn() + 1;
            }
            return text(t);
        } else if (pdu instanceof TaskMgmtRequest m) {
            taskManagement(m);
        } else if (pdu instanceof LogoutRequest l) {
            send(new LogoutResponse(0, l.itt(), statSn++, expCmdSn, maxCmdSn(), 2, 0));
            if (l.reason() == LogoutRequest.CLOSE_SESSION) {
                target.endSession(session, this);
            }
            return false;
        }
        return true;
    }

    /**
     * Answers a task management request as the knobs say (or not at all); a function answered 0
     * takes effect: ABORT TASK forgets the task, ABORT/CLEAR TASK SET this connection's tasks on the
     * LUN, LOGICAL UNIT RESET every connection's tasks on the LUN, a TARGET reset all tasks.
     */
    private void taskManagement(TaskMgmtRequest m) throws IOException {
        if (!m.immediate()) {
            expCmdSn = m.cmdSn() + 1;
        }
        int function = m.function();
        if (target.ignoredTaskManagement.contains(function)) {
            return;
        }
        int response = target.taskManagementAnswers.getOrDefault(function, 0);
        if (response == 0) {
            int lun = (int) LunField.decode(m.lun());
            switch (function) {
                case TaskMgmtRequest.ABORT_TASK -> {
                    writes.remove(m.referencedTaskTag());
                    ignored.remove(m.referencedTaskTag());
                }
                case TaskMgmtRequest.ABORT_TASK_SET, TaskMgmtRequest.CLEAR_TASK_SET -> dropCommands(lun);
                case TaskMgmtRequest.LOGICAL_UNIT_RESET -> target.dropCommands(lun);
                case TaskMgmtRequest.TARGET_WARM_RESET, TaskMgmtRequest.TARGET_COLD_RESET -> target.dropCommands(-1);
                default -> {
                    // CLEAR ACA, TASK REASSIGN: nothing held here to change
                }
            }
        }
        send(new TaskMgmtResponse(response, m.itt(), statSn++, expCmdSn, maxCmdSn()));
    }

    // ------------------------------------------------------------------ login

    private boolean login(LoginRequest r) throws IOException {
        if (target.loginPdusBeforeStall >= 0 && loginPdusAnswered >= target.loginPdusBeforeStall) {
            stalled = true;
            return true;
        }
        if (firstLoginPdu) {
            firstLoginPdu = false;
            target.logins.incrementAndGet();
            target.loginAttempts.add(new LoginAttempt(r.isid(), r.tsih(), r.cid()));
            isid = r.isid();
            cid = r.cid();
            requestedTsih = r.tsih();
            if (target.redirectTo != null) {
                int status = target.redirectPermanent ? 0x0102 : 0x0101;
                String addr = "TargetAddress=" + target.redirectTo.hostPort() + "," + Math.max(1, target.redirectTo.tpgt()) + "\0";
                if (!target.redirectEveryLogin) {
                    target.redirectTo = null;
                }
                loginResponse(r, false, 0, status, addr);
                return false;
            }
            if (target.refuseStatus != 0) {
                loginResponse(r, false, 0, target.refuseStatus, "");
                return false;
            }
            if (r.tsih() != 0 && !target.hasSession(r.tsih(), r.isid())) {
                loginResponse(r, false, 0, 0x020A, ""); // session does not exist
                return false;
            }
        }
        loginText.add(r.data(), "test target");
        if (r.cont()) {
            loginResponse(r, false, 0, 0, "");
            return true;
        }
        List<KeyValue> keys = loginText.finish("test target");
        for (KeyValue kv : keys) {
            if (kv.key().equals("InitiatorName")) {
                initiatorName = kv.value();
            } else if (kv.key().equals("SessionType")) {
                discovery = kv.value().equals("Discovery");
            }
        }
        StringBuilder answer = new StringBuilder();
        ChapExchange exchange = chapExchange();
        if (r.csg() == 0) {
            if (exchange != null) {
                ChapExchange.Step step = exchange.receive(keys);
                if (step.failed()) {
                    return chapFailed(r, step.why());
                }
                step.keys().forEach(kv -> answer.append(kv).append('\0'));
            } else {
                for (KeyValue kv : keys) {
                    if (kv.key().equals("AuthMethod")) {
                        answer.append("AuthMethod=").append(List.of(kv.value().split(",")).contains("None") ? "None" : "Reject").append('\0');
                    }
                }
            }
            if (!tpgtSent) {
                // declared once: a key is not answered twice in one login (RFC 7143 section 6.1)
                answer.append("TargetPortalGroupTag=1\0");
                tpgtSent = true;
            }
            // with CHAP the stage ends only once the exchange has, whatever the T bit asked for
            boolean transit = r.transit() && r.nsg() == 1 && (exchange == null || exchange.authenticated());
            loginResponse(r, transit, transit ? 1 : 0, 0, answer.toString());
            return true;
        }
        if (exchange != null && !exchange.authenticated()) {
            return chapFailed(r, "operational stage (CSG 1) without CHAP authentication");
        }
        List<KeyValue> negotiable = new ArrayList<>();
        for (KeyValue kv : keys) {
            if (kv.key().equals("MaxRecvDataSegmentLength")) {
                initiatorMrdsl = Integer.parseInt(kv.value());
            } else {
                negotiable.add(kv);
            }
        }
        Negotiation n = new Negotiation(Map.of(), target.ownValues, "test target");
        Map<String, String> answers = new LinkedHashMap<>();
        for (KeyValue kv : n.receive(negotiable)) {
            answers.put(kv.key(), kv.value());
        }
        answers.putAll(target.answerOverrides);
        negotiated.putAll(answers);
        answers.forEach((k, v) -> answer.append(k).append('=').append(v).append('\0'));
        if (target.declareMaxRecv) {
            answer.append("MaxRecvDataSegmentLength=").append(target.ownValues.get("MaxRecvDataSegmentLength")).append('\0');
        }
        if (target.aliasToDeclare != null) {
            answer.append("TargetAlias=").append(target.aliasToDeclare).append('\0');
        }
        boolean transit = r.transit() && r.nsg() == 3;
        // taken before the answer goes out: once it has, the initiator may start the next login
        boolean stallNow = transit && target.stallAfterLogin.getAndSet(false);
        if (transit) {
            session = target.bind(this, initiatorName, isid, requestedTsih);
        }
        loginResponse(r, transit, transit ? 3 : 0, 0, answer.toString());
        if (transit) {
            loggedIn = true;
            expCmdSn = r.cmdSn();
            // from now on the negotiated framing applies to what the initiator sends
            stream.configure("CRC32C".equals(negotiated.get("HeaderDigest")), "CRC32C".equals(negotiated.get("DataDigest")),
                    Integer.parseInt(target.ownValues.get("MaxRecvDataSegmentLength")));
            if (target.rawAfterLogin != null) {
                out.write(target.rawAfterLogin);
                out.flush();
            }
            stalled = stallNow;
        }
        return true;
    }

    /**
     * The CHAP exchange this login must pass, or null when the target requires none for its session
     * type; decided at the login's first complete request, which names the session type.
     */
    private ChapExchange chapExchange() {
        if (!chapDecided) {
            chapDecided = true;
            ChapAccount required = target.chap.initiatorAccount(discovery);
            if (required != null) {
                chap = new ChapExchange(target.chap, required, target.chap.targetAccount(discovery));
            }
        }
        return chap;
    }

    /** Ends the login with 0x0201 (authentication failure), as LIO and tgt do; the connection closes. */
    private boolean chapFailed(LoginRequest r, String why) throws IOException {
        target.chap.failures.add(why);
        loginResponse(r, false, 0, 0x0201, "");
        return false;
    }

    private void loginResponse(LoginRequest r, boolean transit, int nsg, int status, String text) throws IOException {
        loginPdusAnswered++;
        int tsih = transit && nsg == 3 ? session.tsih : 0;
        send(new LoginResponse(transit, false, r.csg(), transit ? nsg : 0, 0, 0, r.isid(), tsih, r.itt(), statSn++,
                r.cmdSn(), r.cmdSn() + target.commandWindow - 1, status >> 8, status & 0xFF,
                ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    private boolean yes(String key, boolean def) {
        String v = negotiated.get(key);
        return v == null ? def : v.equals("Yes");
    }

    private int number(String key, int def) {
        String v = negotiated.get(key);
        try {
            return v == null ? def : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return def;
        }
    }

    // ------------------------------------------------------------------ full feature phase

    private void command(ScsiCommand c) throws IOException {
        expCmdSn = c.cmdSn() + 1;
        int lunNumber = (int) LunField.decode(c.lun());
        if (target.ignores(lunNumber)) {
            ignored.put(c.itt(), lunNumber);
            return;
        }
        if (target.pendingUnitAttention >= 0) {
            int ua = target.pendingUnitAttention;
            target.pendingUnitAttention = -1;
            if (c.write()) {
                absorbData(c, lunNumber, true);
            }
            respond(c, RamLun.Result.check(6, ua >> 8, ua & 0xFF));
            return;
        }
        if ((c.cdb()[0] & 0xFF) == 0xA0) {
            respond(c, RamLun.Result.good(reportLuns()));
            return;
        }
        RamLun lun = target.luns.get(lunNumber);
        if (lun == null) {
            respond(c, RamLun.Result.check(5, 0x25, 0));
            return;
        }
        if (c.write()) {
            absorbData(c, lunNumber, false);
            return;
        }
        respond(c, lun.execute(c.cdb(), null, c.expectedDataTransferLength()));
    }

    private ByteBuffer reportLuns() {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * target.luns.size());
        b.putInt(0, 8 * target.luns.size());
        int i = 8;
        for (int l : new java.util.TreeSet<>(target.luns.keySet())) {
            b.putLong(i, LunField.encode(l));
            i += 8;
        }
        return b;
    }

    private void absorbData(ScsiCommand c, int lun, boolean discard) throws IOException {
        PendingWrite w = new PendingWrite(c, lun, c.expectedDataTransferLength(), discard);
        int imm = c.data().remaining();
        c.data().duplicate().get(w.data, 0, imm);
        w.received = imm;
        w.r2tOffset = imm;
        writes.put(c.itt(), w);
        boolean unsolicitedFollows = !c.finalBit();
        if (!unsolicitedFollows) {
            if (!yes("InitialR2T", true)) {
                w.r2tOffset = Math.min(w.data.length, Math.max(imm, number("FirstBurstLength", 65536)));
            }
            nextR2tOrFinish(w);
        }
    }

    private void dataOut(DataOut d) throws IOException {
        PendingWrite w = writes.get(d.itt());
        if (w == null) {
            return;
        }
        int n = d.data().remaining();
        d.data().duplicate().get(w.data, d.bufferOffset(), n);
        w.received += n;
        if (!d.finalBit()) {
            return;
        }
        if (d.ttt() == Bhs.RESERVED_TAG) {
            w.r2tOffset = d.bufferOffset() + n;
        }
        nextR2tOrFinish(w);
    }

    private void nextR2tOrFinish(PendingWrite w) throws IOException {
        if (w.r2tOffset < w.data.length) {
            int len = Math.min(number("MaxBurstLength", 262144), w.data.length - w.r2tOffset);
            send(new R2t(w.cmd.lun(), w.cmd.itt(), 0x7000 + w.r2tSn, statSn, expCmdSn, maxCmdSn(), w.r2tSn++, w.r2tOffset, len));
            w.r2tOffset += len;
            return;
        }
        if (w.received < w.data.length) {
            return; // data of the last R2T still coming
        }
        if (writes.remove(w.cmd.itt()) == null) {
            return; // dropped by a reset meanwhile
        }
        if (w.discard) {
            return; // already answered (unit attention)
        }
        RamLun lun = target.luns.get(w.lun);
        respond(w.cmd, lun.execute(w.cmd.cdb(), w.data, 0));
    }

    /** Sends the answer to a command: Data-In (status in the last one, or a SCSI Response) or a SCSI Response. */
    private void respond(ScsiCommand c, RamLun.Result r) throws IOException {
        List<TargetPdu> pdus = new ArrayList<>();
        ByteBuffer data = r.dataIn();
        int expected = c.expectedDataTransferLength();
        if (r.status() == 0 && data != null && c.read()) {
            int len = Math.min(data.remaining(), expected);
            // underflow: less data than the initiator expected; overflow: more than it has room for
            boolean overflow = data.remaining() > expected;
            int residual = overflow ? data.remaining() - expected : expected - len;
            int dataSn = 0;
            for (int off = 0; off < len || (off == 0 && len == 0); ) {
                int n = Math.min(initiatorMrdsl, len - off);
                boolean last = off + n >= len;
                boolean status = last && !target.separateStatus;
                int flags = (status ? DataIn.FLAG_STATUS : 0)
                        | (status && residual > 0 ? (overflow ? DataIn.FLAG_OVERFLOW : DataIn.FLAG_UNDERFLOW) : 0);
                pdus.add(new DataIn(last, flags, 0, c.lun(), c.itt(), Bhs.RESERVED_TAG, 0, 0, 0, dataSn++, off,
                        status ? residual : 0, data.duplicate().position(data.position() + off).limit(data.position() + off + n).slice()));
                off += n;
                if (len == 0) {
                    break;
                }
            }
            if (target.separateStatus) {
                pdus.add(new ScsiResponse(residual > 0 ? (overflow ? ScsiResponse.FLAG_OVERFLOW : ScsiResponse.FLAG_UNDERFLOW) : 0,
                        0, 0, c.itt(), 0, 0, 0, 0, dataSn,
                        0, residual, null));
            }
        } else {
            ByteBuffer senseData = null;
            if (r.sense() != null) {
                senseData = ByteBuffer.allocate(2 + r.sense().length);
                senseData.putShort((short) r.sense().length).put(r.sense()).flip();
            }
            pdus.add(new ScsiResponse(0, 0, r.status(), c.itt(), 0, 0, 0, 0, 0, 0, 0, senseData));
        }
        held.add(pdus);
        if (held.size() >= target.reorderWindow) {
            for (int i = held.size() - 1; i >= 0; i--) {
                for (TargetPdu p : held.get(i)) {
                    send(numbered(p));
                }
            }
            held.clear();
        }
    }

    /** Fills StatSN and the window in at send time, so StatSN follows the order on the wire. */
    private TargetPdu numbered(TargetPdu p) {
        if (p instanceof DataIn d) {
            int sn = d.hasStatus() ? statSn++ : statSn;
            return new DataIn(d.finalBit(), d.flags(), d.status(), d.lun(), d.itt(), d.ttt(), sn, expCmdSn, maxCmdSn(),
                    d.dataSn(), d.bufferOffset(), d.residualCount(), d.data());
        }
        ScsiResponse r = (ScsiResponse) p;
        return new ScsiResponse(r.flags(), r.response(), r.status(), r.itt(), 0, statSn++, expCmdSn, maxCmdSn(),
                r.expDataSn(), 0, r.residualCount(), r.data());
    }
}
