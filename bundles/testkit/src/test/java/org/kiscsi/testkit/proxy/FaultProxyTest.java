package org.kiscsi.testkit.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.pdu.DataOut;
import org.kiscsi.protocol.pdu.LoginResponse;
import org.kiscsi.protocol.pdu.LunField;
import org.kiscsi.protocol.pdu.R2t;
import org.kiscsi.protocol.pdu.Reject;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.testkit.proxy.FaultProxy.Direction;
import org.kiscsi.testkit.target.TestTarget;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultProxyTest {
    private static final long ISID = 0x40_0001_3700_00L;
    private static final byte[] TEST_UNIT_READY = new byte[6];
    private static final byte[] INQUIRY = {0x12, 0, 0, 0, 36, 0};
    private static final String[] DIGESTS = {"HeaderDigest=CRC32C", "DataDigest=CRC32C"};

    private TestTarget target;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        target = TestTarget.start(RawInitiator.TARGET, 64);
        proxy = FaultProxy.start(target.portal());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        target.close();
    }

    private static byte[] read10(int lba) {
        return new byte[] {0x28, 0, 0, 0, 0, (byte) lba, 0, 0, 1, 0};
    }

    private static byte[] write10(int lba) {
        return new byte[] {0x2A, 0, 0, 0, 0, (byte) lba, 0, 0, 1, 0};
    }

    private static byte[] block(int seed) {
        byte[] b = new byte[512];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    private long commandsAtTarget() {
        return target.received().stream().filter(p -> p instanceof ScsiCommand).count();
    }

    private byte[] blockAtTarget(int lba) {
        return Arrays.copyOfRange(target.lun(0).contents(), lba * 512, lba * 512 + 512);
    }

    private static ByteBuffer inquiry(RawInitiator i) throws IOException {
        ScsiCommand c = i.command(INQUIRY, true, 36, null);
        int[] status = new int[1];
        ByteBuffer data = i.awaitStatus(c.itt(), status);
        assertEquals(0, status[0]);
        return data;
    }

    @Test
    void loginAndCommandsPassUnchangedAndAreRecorded() throws Exception {
        ByteBuffer direct;
        try (RawInitiator i = RawInitiator.connect(target.portal())) {
            i.login(ISID, 0, 1);
            direct = inquiry(i);
        }
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            LoginResponse r = i.login(ISID, 0, 7);
            assertEquals(0, r.status());
            assertNotEquals(0, r.tsih());
            ScsiCommand c = i.command(INQUIRY, true, 36, null);
            int[] status = new int[1];
            assertEquals(direct, i.awaitStatus(c.itt(), status));
            assertEquals(0, status[0]);

            assertEquals(List.of(new LoginSeen(0, Isid.of(ISID), 0, 7, proxy.logins().get(0).nanoTime())), proxy.logins());
            List<PduSeen> pdus = proxy.pdus();
            assertEquals(List.of(Opcode.LOGIN_REQUEST, Opcode.LOGIN_RESPONSE, Opcode.SCSI_COMMAND, Opcode.DATA_IN),
                    pdus.stream().map(PduSeen::opcode).toList());
            PduSeen command = pdus.get(2);
            assertEquals(Direction.TO_TARGET, command.direction());
            assertEquals(c.itt(), command.itt());
            assertEquals(c.cmdSn(), command.cmdSn());
            assertEquals(Direction.TO_INITIATOR, pdus.get(3).direction());
            assertEquals(36, pdus.get(3).dataLength());
            assertEquals(1, proxy.connectionsAccepted());
        }
    }

    @Test
    void cutAllResetsTheInitiatorAndTargetSidesAndTheProxyKeepsListening() throws Exception {
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            i.login(ISID, 0, 1);
            proxy.cutAll();
            assertTrue(i.endedByPeer());
            // the target side was cut too: the test target's connection ended with an error
            await(() -> !target.errors().isEmpty(), "the target sees its connection reset");
        }
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            i.login(ISID, 0, 1);
            inquiry(i);
        }
        assertEquals(2, proxy.connectionsAccepted());
    }

    @Test
    void cutOnNextCutsAtTheNthPduWithThatOpcodeWithoutForwardingIt() throws Exception {
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            i.login(ISID, 0, 1);
            proxy.cutOnNext(Direction.TO_TARGET, Opcode.SCSI_COMMAND, 2);
            ScsiCommand first = i.command(TEST_UNIT_READY, false, 0, null);
            assertEquals(0, i.awaitStatus(first.itt()));
            assertFalse(proxy.faultDone());
            i.command(TEST_UNIT_READY, false, 0, null);
            assertTrue(i.endedByPeer());
            assertTrue(proxy.faultDone());
            await(() -> !target.errors().isEmpty(), "the target sees its connection reset");
            assertEquals(1, commandsAtTarget());
        }
        assertThrows(IllegalArgumentException.class, () -> proxy.cutOnNext(Direction.TO_INITIATOR, Opcode.SCSI_COMMAND, 1));
    }

    @Test
    void dropNextSwallowsOnePduAndTheConnectionGoesOn() throws Exception {
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            i.login(ISID, 0, 1);
            proxy.dropNext(Direction.TO_INITIATOR, Opcode.SCSI_RESPONSE);
            ScsiCommand lost = i.command(TEST_UNIT_READY, false, 0, null);
            await(() -> commandsAtTarget() == 1, "the target answers the first command");
            await(proxy::faultDone, "its answer is swallowed");
            ScsiCommand second = i.command(TEST_UNIT_READY, false, 0, null);
            assertEquals(0, i.awaitStatus(second.itt()), "the next answer arrives: the connection goes on");
            assertNotEquals(lost.itt(), second.itt());
            assertTrue(proxy.pdus().stream().filter(p -> p.direction() == Direction.TO_INITIATOR
                    && p.opcode() == Opcode.SCSI_RESPONSE).count() == 2, "both answers passed the proxy; one went no further");
        }
    }

    @Test
    void nothingIsForwardedWhileStalledAndEverythingAfterResume() throws Exception {
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            i.login(ISID, 0, 1);
            proxy.stall();
            ScsiCommand c = i.command(INQUIRY, true, 36, null);
            i.socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, i::read);
            assertEquals(0, commandsAtTarget());
            proxy.resume();
            i.socket.setSoTimeout(3000);
            int[] status = new int[1];
            assertEquals(36, i.awaitStatus(c.itt(), status).remaining());
            assertEquals(1, commandsAtTarget());
        }
    }

    @Test
    void closeWhileStalledEndsEveryConnectionPromptly() throws Exception {
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            i.login(ISID, 0, 1);
            proxy.stall();
            i.command(INQUIRY, true, 36, null);
            long start = System.nanoTime();
            proxy.close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "close() took too long");
            assertTrue(i.endedByPeer());
            assertEquals(0, commandsAtTarget());
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("fault-proxy-" + proxy.portal().port() + "-")));
        }
    }

    @Test
    void digestsNegotiatedAtLoginKeepThePduBoundaries() throws Exception {
        target.own("HeaderDigest", "CRC32C,None").own("DataDigest", "CRC32C,None");
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            LoginResponse r = i.login(ISID, 0, 1, DIGESTS);
            assertEquals("CRC32C", RawInitiator.keys(r).get("HeaderDigest"));
            assertEquals("CRC32C", RawInitiator.keys(r).get("DataDigest"));
            ScsiCommand write = i.command(write10(3), false, 512, block(1));
            assertEquals(0, i.awaitStatus(write.itt()));
            ScsiCommand read = i.command(read10(3), true, 512, null);
            int[] status = new int[1];
            assertEquals(ByteBuffer.wrap(block(1)), i.awaitStatus(read.itt(), status));
            inquiry(i);

            // misread framing would show as opcodes and tags out of step
            List<PduSeen> ffp = proxy.pdus().subList(2, proxy.pdus().size());
            assertEquals(List.of(Opcode.SCSI_COMMAND, Opcode.SCSI_RESPONSE, Opcode.SCSI_COMMAND, Opcode.DATA_IN,
                    Opcode.SCSI_COMMAND, Opcode.DATA_IN), ffp.stream().map(PduSeen::opcode).toList());
            assertEquals(List.of(write.itt(), write.itt(), read.itt(), read.itt()),
                    ffp.subList(0, 4).stream().map(PduSeen::itt).toList());
            assertEquals(List.of(512, 0, 0, 512), ffp.subList(0, 4).stream().map(PduSeen::dataLength).toList());
        }
        assertTrue(target.errors().isEmpty(), () -> target.errors().toString());
    }

    @Test
    void aFlippedBitInImmediateDataFailsTheTargetsDataDigestCheck() throws Exception {
        target.own("HeaderDigest", "CRC32C,None").own("DataDigest", "CRC32C,None");
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            i.login(ISID, 0, 1, DIGESTS);
            proxy.flipBitInNextDataSegment(Direction.TO_TARGET, Opcode.SCSI_COMMAND);
            ScsiCommand noData = i.command(TEST_UNIT_READY, false, 0, null);
            assertEquals(0, i.awaitStatus(noData.itt()));
            assertFalse(proxy.faultDone());

            ScsiCommand write = i.command(write10(5), false, 512, block(2));
            TargetPdu answer = i.read();
            Reject reject = assertInstanceOf(Reject.class, answer);
            assertEquals(0x02, reject.reason());
            assertEquals(write.itt(), reject.rejectedItt());
            assertTrue(proxy.faultDone());
            assertEquals(ProtocolException.Kind.DATA_DIGEST,
                    assertInstanceOf(ProtocolException.class, target.errors().get(0)).kind());
            assertArrayEquals(new byte[512], blockAtTarget(5));

            // one PDU only: the same write again lands
            ScsiCommand again = i.command(write10(5), false, 512, block(2));
            assertEquals(0, i.awaitStatus(again.itt()));
            assertArrayEquals(block(2), blockAtTarget(5));
        }
    }

    @Test
    void aFlippedBitInSolicitedDataOutFailsTheTargetsDataDigestCheck() throws Exception {
        target.own("HeaderDigest", "CRC32C,None").own("DataDigest", "CRC32C,None");
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            i.login(ISID, 0, 1, DIGESTS);
            proxy.flipBitInNextDataSegment(Direction.TO_TARGET, Opcode.DATA_OUT);
            ScsiCommand write = i.solicitedWrite(write10(6), 512);
            R2t r2t = assertInstanceOf(R2t.class, i.read());
            i.send(new DataOut(true, LunField.encode(0), write.itt(), r2t.ttt(), 0, 0, 0, ByteBuffer.wrap(block(3))));
            Reject reject = assertInstanceOf(Reject.class, i.read());
            assertEquals(0x02, reject.reason());
            assertEquals(write.itt(), reject.rejectedItt());
            assertTrue(proxy.faultDone());
            assertArrayEquals(new byte[512], blockAtTarget(6));
        }
    }

    @Test
    void refusedConnectionsAreClosedAtOnceUntilRefusingStops() throws Exception {
        proxy.refuseConnections(true);
        boolean ended;
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            ended = i.endedByPeer();
        } catch (SocketException e) {
            ended = true; // the reset came while connect() was still finishing
        }
        assertTrue(ended);
        assertEquals(1, proxy.connectionsAccepted());
        assertEquals(0, target.logins());
        proxy.refuseConnections(false);
        try (RawInitiator i = RawInitiator.connect(proxy.portal())) {
            assertEquals(0, i.login(ISID, 0, 1).status());
        }
    }

    @Test
    void aHeaderAnnouncingAnOversizedPduSendsTheRestThroughUnparsed() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                FaultProxy raw = FaultProxy.start(Portal.of("127.0.0.1", upstream.getLocalPort(), 1));
                Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), raw.portal().port()), 2000);
            byte[] bytes = new byte[148];
            bytes[0] = 0x01;
            bytes[4] = (byte) 255; // 1020 bytes of AHS
            bytes[5] = bytes[6] = bytes[7] = (byte) 0xFF; // and a data segment of 16 MiB - 1
            Arrays.fill(bytes, 48, bytes.length, (byte) 0x5A);
            OutputStream out = client.getOutputStream();
            out.write(bytes);
            out.flush();
            upstream.setSoTimeout(3000);
            try (Socket s = upstream.accept()) {
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                assertArrayEquals(bytes, in.readNBytes(bytes.length));
            }
        }
    }

    @Test
    void listensOnTheLoopbackOfTheUpstreamsFamilyWithItsTpgt() throws Exception {
        assertEquals(Portal.of("127.0.0.1", proxy.portal().port(), 1), proxy.portal());
        assertNotEquals(target.portal().port(), proxy.portal().port());
    }

    @Test
    void anIpv6UpstreamIsProxiedOnIpv6Loopback() throws Exception {
        try (TestTarget v6 = ipv6Target(); FaultProxy p = FaultProxy.start(v6.portal());
                RawInitiator i = RawInitiator.connect(p.portal())) {
            assertEquals("::1", p.portal().address());
            assertEquals(0, i.login(ISID, 0, 1).status());
            assertInstanceOf(Inet6Address.class, i.socket.getInetAddress());
        }
    }

    private static TestTarget ipv6Target() {
        try {
            return TestTarget.start(RawInitiator.TARGET, 8, true);
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
            throw new AssertionError(e);
        }
    }
}
