package org.kiscsi.transport.iser.testtarget;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.kiscsi.protocol.pdu.DataOut;
import org.kiscsi.protocol.pdu.InitiatorPdu;
import org.kiscsi.protocol.pdu.LoginRequest;
import org.kiscsi.protocol.pdu.LoginResponse;
import org.kiscsi.protocol.pdu.LogoutRequest;
import org.kiscsi.protocol.pdu.LogoutResponse;
import org.kiscsi.protocol.pdu.NopIn;
import org.kiscsi.protocol.pdu.NopOut;
import org.kiscsi.protocol.pdu.PduCodec;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.protocol.pdu.ScsiResponse;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.protocol.pdu.TaskMgmtRequest;
import org.kiscsi.protocol.pdu.TaskMgmtResponse;
import org.kiscsi.protocol.pdu.TextRequest;
import org.kiscsi.protocol.pdu.TextResponse;
import org.kiscsi.protocol.text.KeyValue;
import org.kiscsi.protocol.text.Negotiation;
import org.kiscsi.protocol.text.TextCodec;
import org.kiscsi.transport.iser.internal.IserHeader;
import org.kiscsi.transport.iser.internal.IserHello;
import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.Acceptance;
import org.kiscsi.transport.iser.verbs.CompletionQueue;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.QpAttributes;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.SendRequest;
import org.kiscsi.transport.iser.verbs.VerbsException;
import org.kiscsi.transport.iser.verbs.WorkCompletion;

/** One connection of the {@link IserTestTarget}, served on the target's thread. */
public final class IserTargetConnection {
    private static final int SLOT = IserHeader.LENGTH + 48 + 1024 + 8192;
    private static final int WINDOW = 32;
    private static final int CHUNK = 65536;
    private final IserTestTarget target;
    private final ProtectionDomain pd;
    private final CompletionQueue cq;
    private final MemoryRegion rx;
    public final byte[] initiatorPrivateData;
    public volatile QueuePair qp;
    /** The InitiatorName of this connection's login, once it was sent. */
    public volatile String initiatorName;
    private long wrIds = 1L << 40;
    private final Map<Long, MemoryRegion> sends = new ConcurrentHashMap<>();
    /** An RDMA Read of a write's data in progress; {@code dropAfter}: the connection fails once it completed. */
    private record Reading(WriteAssembly write, MemoryRegion into, boolean dropAfter) {
    }

    /** RDMA Reads of writes in progress. */
    private final Map<Long, Reading> reads = new ConcurrentHashMap<>();
    /** Writes whose data is still coming, by ITT. */
    private final Map<Integer, WriteAssembly> writes = new ConcurrentHashMap<>();
    private WriteAssembly.Limits limits = new WriteAssembly.Limits(false, true, 65536, 8192, false);
    private final HeldCommands held = new HeldCommands();
    /** RDMA operations a test asks for against STags of tasks that ended, by work request id (negative). */
    private final Map<Long, java.util.concurrent.CompletableFuture<String>> late = new ConcurrentHashMap<>();
    private long lateIds = -1;
    private int statSn = 0x100;
    private int expCmdSn;
    /** The Sends of the NOP-Ins behind the final Login Response. */
    private final Set<Long> afterFinalLogin = ConcurrentHashMap.newKeySet();

    public IserTargetConnection(IserTestTarget target, byte[] privateData) throws VerbsException {
        this.target = target;
        this.initiatorPrivateData = privateData;
        pd = target.device.allocatePd();
        cq = target.device.createCq(1024, () -> target.thread.execute(this::service));
        rx = pd.register(ByteBuffer.allocateDirect(target.receiveBuffers * SLOT), EnumSet.of(Access.LOCAL_WRITE));
    }

    public Acceptance acceptance() {
        return new Acceptance(pd, cq, new QpAttributes(256, target.receiveBuffers, 4, 4, 7, target.rnrRetry), new byte[4], why -> { });
    }

    public void established(QueuePair q) {
        qp = q;
        try {
            for (int i = 0; i < target.receiveBuffers; i++) {
                qp.postRecv(i, rx.sge(i * SLOT, SLOT));
            }
        } catch (VerbsException e) {
            target.errors.add(e);
        }
        cq.requestNotify();
    }

    private void service() {
        List<WorkCompletion> wcs = new ArrayList<>();
        while (true) {
            wcs.clear();
            if (cq.poll(wcs, 16) == 0) {
                cq.requestNotify();
                if (cq.poll(wcs, 16) == 0) {
                    return;
                }
            }
            for (WorkCompletion wc : wcs) {
                try {
                    completed(wc);
                } catch (RuntimeException | VerbsException e) {
                    target.errors.add(e);
                }
            }
        }
    }

    /** An RDMA Write to a read STag after its task ended (a target bug the initiator must survive). */
    public void writeLate(IserHeader h) {
        accessLate(h, true, (byte) 0).thenAccept(target.lateWriteStatus::complete);
    }

    /**
     * A target bug the initiator must survive: 16 bytes of {@code fill} RDMA-written into the Read STag of
     * {@code h} ({@code write}), or RDMA-read from its Write STag, after the task may have ended.
     * Completes with the work completion's status.
     */
    public java.util.concurrent.CompletableFuture<String> accessLate(IserHeader h, boolean write, byte fill) {
        java.util.concurrent.CompletableFuture<String> status = new java.util.concurrent.CompletableFuture<>();
        target.thread.execute(() -> {
            try {
                MemoryRegion local = pd.register(ByteBuffer.allocateDirect(16).put(0, fill(fill)),
                        EnumSet.of(Access.LOCAL_WRITE));
                long id = lateIds--;
                late.put(id, status);
                qp.postSend(write ? SendRequest.rdmaWrite(id, local.sge(0, 16), h.readVa(), h.readStag())
                        : SendRequest.rdmaRead(id, local.sge(0, 16), h.writeVa(), h.writeStag()));
            } catch (VerbsException e) {
                status.completeExceptionally(e);
            }
        });
        return status;
    }

    private static byte[] fill(byte b) {
        byte[] a = new byte[16];
        java.util.Arrays.fill(a, b);
        return a;
    }

    /** Commands held now (not answered). */
    public int held() {
        return held.size();
    }

    private void completed(WorkCompletion wc) throws VerbsException {
        if (afterFinalLogin.remove(wc.wrId())) {
            target.afterFinalLoginSent(wc.status());
        }
        java.util.concurrent.CompletableFuture<String> lateStatus = late.remove(wc.wrId());
        if (lateStatus != null) {
            lateStatus.complete(wc.status().toString());
            return;
        }
        if (!wc.ok()) {
            return; // flushed at disconnect, or the initiator's side failed: the connection is gone
        }
        switch (wc.opcode()) {
            case RECV -> {
                int slot = (int) wc.wrId();
                ByteBuffer m = rx.buffer().slice(slot * SLOT, wc.byteLength());
                byte[] copy = new byte[m.limit()];
                m.get(0, copy);
                qp.postRecv(slot, rx.sge(slot * SLOT, SLOT));
                message(ByteBuffer.wrap(copy));
            }
            case SEND -> {
                MemoryRegion mr = sends.remove(wc.wrId());
                if (mr != null) {
                    mr.deregister();
                }
            }
            case RDMA_READ -> {
                Reading r = reads.remove(wc.wrId());
                byte[] data = new byte[r.into().length()];
                r.into().buffer().get(0, data);
                r.into().deregister();
                if (r.dropAfter()) {
                    qp.disconnect(); // the link fails in the middle of the write's data transfer
                    return;
                }
                r.write().solicited(data);
                writeDone(r.write());
            }
            case RDMA_WRITE -> {
                MemoryRegion mr = sends.remove(wc.wrId());
                if (mr != null) {
                    mr.deregister();
                }
            }
        }
    }

    private void message(ByteBuffer m) throws VerbsException {
        if (IserHeader.opcode(m, 0) == IserHeader.HELLO) {
            IserHello.readFrom(m, 0, "test target");
            target.hellos.incrementAndGet();
            ByteBuffer b = ByteBuffer.allocate(IserHeader.LENGTH);
            new IserHello(true, target.rejectHello, 0xA, 0xA, 4).writeTo(b, 0);
            send(b, 0);
            return;
        }
        IserHeader h = IserHeader.readFrom(m, 0, "test target");
        ByteBuffer bhs = m.slice(IserHeader.LENGTH, m.limit() - IserHeader.LENGTH);
        int ahs = (bhs.get(4) & 0xFF) * 4;
        int dsl = bhs.getInt(4) & 0xFFFFFF;
        InitiatorPdu pdu = PduCodec.decodeInitiatorPdu(bhs.slice(0, 48 + ahs), bhs.slice(48 + ahs, dsl));
        if (pdu instanceof LoginRequest r) {
            login(r);
        } else if (pdu instanceof DataOut d) {
            WriteAssembly w = writes.get(d.itt());
            if (w == null) {
                throw new IllegalStateException(String.format("Data-Out for ITT 0x%08x, which is no write in progress", d.itt()));
            }
            target.dataOutPdus.incrementAndGet();
            w.dataOut(d);
            if (w.unsolicitedComplete() && w.commandReady) {
                fetchRest(w);
            }
        } else if (pdu instanceof ScsiCommand c) {
            expCmdSn = c.cmdSn() + 1;
            target.commandHeaders.add(h);
            if (c.write()) {
                target.immediateBytes.addAndGet(c.data() == null ? 0 : c.data().remaining());
                writes.put(c.itt(), new WriteAssembly(c, h, limits));
            }
            if (target.holdCommands) {
                held.add(new HeldCommands.Held(c, () -> command(c, h), () -> writes.remove(c.itt())));
            } else {
                command(c, h);
            }
        } else if (pdu instanceof NopOut n) {
            if (n.itt() != 0xFFFFFFFF) {
                respond(new NopIn(n.lun(), n.itt(), 0xFFFFFFFF, statSn++, expCmdSn, maxCmdSn(), n.data()), 0);
            }
        } else if (pdu instanceof LogoutRequest l) {
            respond(new LogoutResponse(0, l.itt(), statSn++, expCmdSn, maxCmdSn(), 0, 0), 0);
        } else if (pdu instanceof TextRequest t) {
            respond(new TextResponse(true, false, t.lun(), t.itt(), 0xFFFFFFFF, statSn++, expCmdSn, maxCmdSn(),
                    ByteBuffer.allocate(0)), 0);
        } else if (pdu instanceof TaskMgmtRequest t) {
            taskManagement(t, h);
        }
    }

    private int maxCmdSn() {
        return expCmdSn + WINDOW - 1;
    }

    public void releaseHeld() {
        target.thread.execute(() -> {
            for (HeldCommands.Held h : held.takeAll()) {
                try {
                    h.release().run();
                } catch (VerbsException e) {
                    target.errors.add(e);
                }
            }
        });
    }

    /**
     * Ends the held commands {@code t} is about, without answering them, then answers {@code t}: a
     * held read whose data transfer is under way moves the rest first, so that data is in flight
     * right ahead of the response (RC keeps the order).
     */
    private void taskManagement(TaskMgmtRequest t, IserHeader h) throws VerbsException {
        List<HeldCommands.Held> ended = held.endedBy(t);
        if (ended != null) {
            for (HeldCommands.Held e : ended) {
                e.abort().run();
            }
        }
        int response = HeldCommands.response(t, ended);
        target.taskManagement.add(new IserTestTarget.TaskManagementSeen(t.function(), t.lun(), t.referencedTaskTag(),
                ended == null ? 0 : ended.size(), response, h));
        respond(new TaskMgmtResponse(response, t.itt(), statSn++, expCmdSn, maxCmdSn()), 0);
    }

    // ------------------------------------------------------------------ login

    private void login(LoginRequest r) throws VerbsException {
        List<KeyValue> keys = TextCodec.decode(r.data(), "test target");
        StringBuilder answer = new StringBuilder();
        expCmdSn = r.cmdSn();
        if (r.csg() == 0) {
            target.logins.incrementAndGet();
            for (KeyValue kv : keys) {
                if (kv.key().equals("InitiatorName")) {
                    initiatorName = kv.value();
                }
                if (kv.key().equals("AuthMethod")) {
                    answer.append("AuthMethod=None\0");
                }
            }
            answer.append("TargetPortalGroupTag=1\0");
        } else {
            List<KeyValue> standard = new ArrayList<>();
            Map<String, String> own = Map.of("ImmediateData", target.ownImmediateData ? "Yes" : "No", "InitialR2T",
                    target.ownInitialR2T ? "Yes" : "No", "FirstBurstLength", Integer.toString(target.ownFirstBurstLength));
            Map<String, String> settled = new LinkedHashMap<>();
            for (KeyValue kv : keys) {
                String v = IserLoginKeys.answer(target, kv);
                if (v != null) {
                    answer.append(kv.key()).append('=').append(v).append('\0');
                    settled.put(kv.key(), v);
                } else if (!kv.key().equals("MaxRecvDataSegmentLength") && !IserLoginKeys.declaration(target, kv)) {
                    standard.add(kv);
                }
            }
            for (KeyValue kv : new Negotiation(Map.of(), own, "test target").receive(standard)) {
                answer.append(kv.key()).append('=').append(kv.value()).append('\0');
                settled.put(kv.key(), kv.value());
            }
            limits = new WriteAssembly.Limits("Yes".equals(settled.getOrDefault("ImmediateData", "Yes")),
                    !"No".equals(settled.getOrDefault("InitialR2T", "Yes")),
                    Integer.parseInt(settled.getOrDefault("FirstBurstLength", "65536")),
                    Integer.parseInt(settled.getOrDefault("TargetRecvDataSegmentLength", "8192")),
                    "Yes".equals(target.declaredByInitiator.get("TaggedBufferForSolicitedDataOnly")));
            answer.append("MaxRecvDataSegmentLength=8192\0");
        }
        boolean transit = r.transit();
        int nsg = transit ? r.nsg() : 0;
        respond(new LoginResponse(transit, false, r.csg(), nsg, 0, 0, r.isid(), transit && nsg == 3 ? 0x77 : 0, r.itt(), statSn++,
                r.cmdSn(), r.cmdSn() + WINDOW - 1, 0, 0, ByteBuffer.wrap(answer.toString().getBytes(StandardCharsets.UTF_8))), 0);
        if (transit && nsg == 3) {
            // a target may speak first in full feature phase, before the initiator heard the Login Response
            for (int i = 0; i < target.nopInsAfterFinalLogin; i++) {
                afterFinalLogin.add(respond(new NopIn(0, 0xFFFFFFFF, 0xFFFFFFFF, statSn, r.cmdSn(), r.cmdSn() + WINDOW - 1, null), 0));
            }
        }
    }

    // ------------------------------------------------------------------ SCSI

    private void command(ScsiCommand c, IserHeader h) throws VerbsException {
        byte[] cdb = c.cdb();
        ByteBuffer cb = ByteBuffer.wrap(cdb);
        int op = cdb[0] & 0xFF;
        switch (op) {
            case 0x28, 0x88 -> {
                long lba = op == 0x28 ? Integer.toUnsignedLong(cb.getInt(2)) : cb.getLong(2);
                int blocks = op == 0x28 ? cb.getShort(7) & 0xFFFF : cb.getInt(10);
                dataIn(c, h, ByteBuffer.wrap(target.lun, (int) lba * IserTestTarget.BLOCK, blocks * IserTestTarget.BLOCK).slice());
            }
            case 0x2A, 0x8A -> {
                WriteAssembly w = writes.get(c.itt());
                w.commandReady = true;
                if (w.unsolicitedComplete()) {
                    fetchRest(w);
                }
            }
            case 0x12 -> {
                if ((cdb[1] & 1) != 0) {
                    // VPD: only the list of supported pages, which names itself alone; other pages are refused
                    if (cdb[2] != 0) {
                        respond(invalidFieldInCdb(c), 0);
                        return;
                    }
                    ByteBuffer v = ByteBuffer.allocate(5).put(1, (byte) 0).putShort(2, (short) 1).put(4, (byte) 0);
                    dataIn(c, h, v.limit(Math.min(5, cb.getShort(3) & 0xFFFF)));
                    return;
                }
                ByteBuffer b = ByteBuffer.allocate(36);
                b.put(2, (byte) 5).put(3, (byte) 2).put(4, (byte) 31).put(8, "KISCSI  ISER TARGET     0001".getBytes(StandardCharsets.US_ASCII));
                dataIn(c, h, b.limit(Math.min(36, cb.getShort(3) & 0xFFFF)));
            }
            case 0x25 -> dataIn(c, h, ByteBuffer.allocate(8).putInt(0, target.lun.length / IserTestTarget.BLOCK - 1).putInt(4, 512));
            case 0x9E -> dataIn(c, h, ByteBuffer.allocate(32).putLong(0, target.lun.length / IserTestTarget.BLOCK - 1).putInt(8, 512)
                    .limit(Math.min(32, cb.getInt(10))));
            case 0xA0 -> dataIn(c, h, ByteBuffer.allocate(16).putInt(0, 8));
            default -> {
                writes.remove(c.itt());
                respond(status(c, 0x00, c.expectedDataTransferLength()), 0);
            }
        }
    }

    /** The unsolicited data is in: RDMA-reads the solicited rest, only it. */
    private void fetchRest(WriteAssembly w) throws VerbsException {
        int rest = w.command.expectedDataTransferLength() - w.received();
        if (rest == 0) {
            writeDone(w);
            return;
        }
        if (!w.header.wsv()) {
            writes.remove(w.command.itt());
            respond(status(w.command, 0x02, w.command.expectedDataTransferLength()), 0);
            throw new IllegalStateException(String.format("write ITT 0x%08x: %d bytes to fetch and no Write STag", w.command.itt(), rest));
        }
        boolean drop = rest > CHUNK && target.takeDropMidTransfer();
        int length = drop ? CHUNK : rest; // to fail in the middle, only the first part is read
        MemoryRegion into = pd.register(ByteBuffer.allocateDirect(length), EnumSet.of(Access.LOCAL_WRITE));
        long id = wrIds++;
        reads.put(id, new Reading(w, into, drop));
        target.rdmaReads.incrementAndGet();
        target.rdmaReadBytes.addAndGet(length);
        qp.postSend(SendRequest.rdmaRead(id, into.sge(0, length), w.restAddress(), w.header.writeStag()));
    }

    private void writeDone(WriteAssembly w) throws VerbsException {
        writes.remove(w.command.itt());
        ScsiCommand c = w.command;
        byte[] data = w.complete();
        ByteBuffer cb = ByteBuffer.wrap(c.cdb());
        long lba = (c.cdb()[0] & 0xFF) == 0x2A ? Integer.toUnsignedLong(cb.getInt(2)) : cb.getLong(2);
        HeldCommands.Action store = () -> {
            System.arraycopy(data, 0, target.lun, (int) lba * IserTestTarget.BLOCK, data.length);
            respond(status(c, 0x00, 0), mayInvalidate() && w.header.wsv() ? w.header.writeStag() : 0);
        };
        if (target.holdResponses) {
            held.add(new HeldCommands.Held(c, store, () -> { })); // an abort: the data is dropped, the LUN unchanged
            return;
        }
        store.run();
    }

    /** The flags byte of the initiator's CM private data (0x80 ZBVA not supported, 0x40 Send with Invalidate not supported). */
    public int initiatorFlags() {
        return initiatorPrivateData.length == 0 ? 0 : initiatorPrivateData[0] & 0xFF;
    }

    /** Send with Invalidate when the test asks for it and the initiator's CM private data allows it (0x40 clear). */
    private boolean mayInvalidate() {
        return target.sendWithInvalidate && (initiatorPrivateData.length == 0 || (initiatorPrivateData[0] & 0x40) == 0);
    }

    /** Data-In by RDMA Write into the Read STag, then the response (no Data-In PDU under iSER). */
    private void dataIn(ScsiCommand c, IserHeader h, ByteBuffer data) throws VerbsException {
        int n = Math.min(data.remaining(), c.expectedDataTransferLength());
        if (n > 0 && !h.rsv()) {
            respond(status(c, 0x02, c.expectedDataTransferLength()), 0);
            return;
        }
        if (n > CHUNK && target.takeDropMidTransfer()) {
            rdmaWrite(h, data, 0, CHUNK);
            qp.disconnect(); // the link fails in the middle of the read's data transfer
            return;
        }
        boolean hold = target.holdResponses;
        int first = hold ? n / 2 : n;
        rdmaWrite(h, data, 0, first);
        HeldCommands.Action rest = () -> rdmaWrite(h, data, first, n);
        HeldCommands.Action answer = () -> respond(status(c, 0x00, c.expectedDataTransferLength() - n),
                mayInvalidate() && h.rsv() ? h.readStag() : 0);
        if (hold) {
            held.add(new HeldCommands.Held(c, () -> {
                rest.run();
                answer.run();
            }, rest));
            return;
        }
        answer.run();
    }

    /** RDMA Writes of {@code data[from, to)} to the same offsets of the Read STag's buffer, in chunks. */
    private void rdmaWrite(IserHeader h, ByteBuffer data, int from, int to) throws VerbsException {
        for (int at = from; at < to; at += CHUNK) {
            int len = Math.min(CHUNK, to - at);
            MemoryRegion src = pd.register(ByteBuffer.allocateDirect(len).put(0, data, data.position() + at, len), Set.of());
            long id = wrIds++;
            sends.put(id, src);
            target.rdmaWrites.incrementAndGet();
            qp.postSend(SendRequest.rdmaWrite(id, src.sge(0, len), h.readVa() + at, h.readStag()));
        }
    }

    /** CHECK CONDITION, ILLEGAL REQUEST, INVALID FIELD IN CDB (fixed-format sense behind its length). */
    private ScsiResponse invalidFieldInCdb(ScsiCommand c) {
        ByteBuffer sense = ByteBuffer.allocate(2 + 18).putShort(0, (short) 18);
        sense.put(2, (byte) 0x70).put(4, (byte) 0x05).put(9, (byte) 10).put(14, (byte) 0x24);
        return new ScsiResponse(c.expectedDataTransferLength() > 0 ? ScsiResponse.FLAG_UNDERFLOW : 0, 0, 0x02, c.itt(), 0, statSn++,
                expCmdSn, maxCmdSn(), 0, 0, c.expectedDataTransferLength(), sense);
    }

    private ScsiResponse status(ScsiCommand c, int status, int residual) {
        return new ScsiResponse(residual > 0 ? ScsiResponse.FLAG_UNDERFLOW : 0, 0, status, c.itt(), 0, statSn++, expCmdSn, maxCmdSn(),
                0, 0, Math.max(0, residual), ByteBuffer.allocate(0));
    }

    // ------------------------------------------------------------------ sending

    /** Sends a PDU; returns the Send's work request id. */
    private long respond(TargetPdu pdu, int invalidate) throws VerbsException {
        ByteBuffer header = PduCodec.encodeHeader(pdu);
        ByteBuffer data = pdu.data() == null ? ByteBuffer.allocate(0) : pdu.data().duplicate();
        ByteBuffer m = ByteBuffer.allocate(IserHeader.LENGTH + header.remaining() + data.remaining());
        IserHeader.PLAIN.writeTo(m, 0);
        m.position(IserHeader.LENGTH);
        m.put(header.duplicate()).put(data).flip();
        return send(m, invalidate);
    }

    private long send(ByteBuffer message, int invalidate) throws VerbsException {
        MemoryRegion mr = pd.register(ByteBuffer.allocateDirect(message.remaining()).put(0, message, 0, message.remaining()), Set.of());
        long id = wrIds++;
        sends.put(id, mr);
        qp.postSend(invalidate != 0 ? SendRequest.sendWithInvalidate(id, mr.sge(0, mr.length()), invalidate)
                : SendRequest.send(id, mr.sge(0, mr.length())));
        return id;
    }
}
