package org.kiscsi.testkit.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.Portal;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.InitiatorPdu;
import org.kiscsi.protocol.pdu.LoginRequest;
import org.kiscsi.protocol.pdu.LoginResponse;
import org.kiscsi.protocol.pdu.LunField;
import org.kiscsi.protocol.pdu.NopOut;
import org.kiscsi.protocol.pdu.PduCodec;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.protocol.pdu.TaskMgmtRequest;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.RecordingListener;
import org.kiscsi.testkit.loopback.LoopbackTransport;

/** A hand-driven initiator for target tests: PDUs built with the protocol bundle, sent over the loopback transport. */
final class LoopbackInitiator implements AutoCloseable {
    static final String NAME = "iqn.2024-01.org.kiscsi:test-initiator";
    static final long WAIT_MS = 3000;

    final TransportConnection connection;
    private final RecordingListener listener;
    private final String targetName;
    private int cmdSn = 1;
    private int itt = 0x100;
    private int expStatSn;
    private int tsih;

    static LoopbackInitiator connect(LoopbackTransport loopback, Portal portal, String targetName) throws Exception {
        RecordingListener l = new RecordingListener();
        TransportConnection c = loopback.connect(ConnectRequest.to(portal, Duration.ofSeconds(2)), l)
                .toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        return new LoopbackInitiator(c, targetName, l);
    }

    private LoopbackInitiator(TransportConnection connection, String targetName, RecordingListener listener) {
        this.connection = connection;
        this.targetName = targetName;
        this.listener = listener;
    }

    void send(InitiatorPdu pdu) throws Exception {
        ByteBuffer header = PduCodec.encodeHeader(pdu);
        PduBuffer b = connection.allocate(header.remaining() - Bhs.LENGTH, pdu.data().remaining());
        b.header().put(0, header, 0, header.remaining());
        b.data().put(0, pdu.data(), pdu.data().position(), pdu.data().remaining());
        connection.send(b).toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** The next PDU from the target within {@code ms}, or null. */
    TargetPdu next(long ms) throws InterruptedException {
        PduBuffer b = listener.next(ms);
        if (b == null) {
            return null;
        }
        try {
            ByteBuffer data = ByteBuffer.allocate(b.data().remaining());
            data.put(b.data().duplicate()).flip();
            ByteBuffer header = ByteBuffer.allocate(b.header().limit());
            header.put(b.header().duplicate().position(0)).flip();
            TargetPdu pdu = PduCodec.decodeTargetPdu(header, data);
            expStatSn = header.getInt(24) + 1; // the test target does not check it: a plausible value is enough
            return pdu;
        } finally {
            b.release();
        }
    }

    <T extends TargetPdu> T expect(Class<T> type) throws InterruptedException {
        TargetPdu p = next(WAIT_MS);
        assertNotNull(p, "no " + type.getSimpleName() + " from the target");
        return assertInstanceOf(type, p);
    }

    /** Logs in (security stage, then operational) and checks the target accepted. */
    LoginResponse login(long isid, int tsih, int cid) throws Exception {
        return login(NAME, isid, tsih, cid);
    }

    LoginResponse login(String initiatorName, long isid, int tsih, int cid) throws Exception {
        return login(initiatorName, isid, tsih, cid, false);
    }

    /** A login offering CRC32C digests only when {@code digests}; the connection is configured as negotiated. */
    LoginResponse login(String initiatorName, long isid, int tsih, int cid, boolean digests) throws Exception {
        String digest = digests ? "CRC32C" : "None";
        int loginItt = itt++;
        send(new LoginRequest(true, false, 0, 1, 0, 0, isid, tsih, loginItt, cid, cmdSn, 0, text("InitiatorName=" + initiatorName
                + "\0SessionType=Normal\0TargetName=" + targetName + "\0AuthMethod=None\0")));
        LoginResponse first = expect(LoginResponse.class);
        if (first.statusClass() != 0) {
            return first;
        }
        send(new LoginRequest(true, false, 1, 3, 0, 0, isid, tsih, loginItt, cid, cmdSn, expStatSn,
                text("HeaderDigest=" + digest + "\0DataDigest=" + digest + "\0MaxRecvDataSegmentLength=65536\0")));
        LoginResponse last = expect(LoginResponse.class);
        assertEquals(0, last.statusClass(), "login refused");
        assertEquals(3, last.nsg(), "login did not reach full feature phase");
        this.tsih = last.tsih();
        String answered = StandardCharsets.UTF_8.decode(last.data().duplicate()).toString();
        boolean crc = answered.contains("HeaderDigest=CRC32C");
        assertEquals(digests, crc, "digests answered: " + answered);
        connection.configure(new LinkSettings(crc, answered.contains("DataDigest=CRC32C"), 65536));
        return last;
    }

    /** The TSIH the target gave the session at login. */
    int tsih() {
        return tsih;
    }

    /** Sends TEST UNIT READY to {@code lun}; returns its ITT. */
    int testUnitReady(int lun) throws Exception {
        int tag = itt++;
        send(new ScsiCommand(true, false, false, 0, LunField.encode(lun), tag, 0, cmdSn++, expStatSn, new byte[6], -1, null));
        return tag;
    }

    /** Sends a task management request (immediate); returns its ITT. */
    int taskManagement(int function, int lun, int referencedTag) throws Exception {
        int tag = itt++;
        send(new TaskMgmtRequest(true, function, LunField.encode(lun), tag, referencedTag, cmdSn, expStatSn, cmdSn - 1, 0));
        return tag;
    }

    /** Sends an immediate NOP-Out ping; returns its ITT. */
    int ping() throws Exception {
        int tag = itt++;
        send(new NopOut(true, 0, tag, Bhs.RESERVED_TAG, cmdSn, expStatSn, null));
        return tag;
    }

    /** Answers a target's ping. */
    void answerPing(int ttt) throws Exception {
        send(new NopOut(true, 0, Bhs.RESERVED_TAG, ttt, cmdSn, expStatSn, null));
    }

    /** Why the connection closed, once it has within {@code ms} (null cause: closed by this side). */
    Throwable awaitClosed(long ms) throws Exception {
        return listener.closed.get(ms, TimeUnit.MILLISECONDS);
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        connection.close();
    }
}
