package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.protocol.pdu.DataOut;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.spi.transport.LoginKey;
import org.kiscsi.spi.transport.TaskEnd;
import org.kiscsi.testkit.target.RamLun;
import org.kiscsi.testkit.target.TestTarget;

/**
 * The engine against a transport that declares direct data placement, no digests, login keys of
 * its own, a slow switch to full feature phase and a limit on unanswered PDUs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportSpiTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:spi";
    private static final String WINDOW = "X-org.kiscsi.test.Window";
    private static final String FRAMING = "X-org.kiscsi.test.Framing";
    private PlacingTransport placing;
    private IscsiEngine engine;
    private TestTarget target;

    @BeforeEach
    void setUp() throws Exception {
        placing = new PlacingTransport();
        engine = IscsiEngine.builder().initiatorName(EngineFixture.INITIATOR).transport(placing).build();
        target = TestTarget.start(IQN, 4096).separateStatus(true);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
        placing.close();
        target.close();
    }

    private NodeRecord record(String headerDigest) {
        return NodeRecord.create(new NodeKey(IscsiName.of(IQN), target.portal(), null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "3").with(NodeKeys.SCSI_CMD_TIMEOUT, "5")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.TRANSPORT_NAME, PlacingTransport.NAME)
                .with(NodeKeys.HEADER_DIGEST, headerDigest));
    }

    private long sid;

    private ScsiTaskExecutor login() throws Exception {
        SessionInfo s = EngineFixture.await(engine.login(record("CRC32C,None")));
        sid = s.sid();
        return engine.executor(s.sid());
    }

    private void logout() throws Exception {
        EngineFixture.await(engine.logout(sid));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void directDataPlacementSendsNoDataOutAndTakesByteCountsFromTheTransport() throws Exception {
        ScsiTaskExecutor x = login();
        for (int size : new int[] {512, 65536, 262144 + 512, 1 << 20}) {
            byte[] data = random(size);
            ScsiResult w = EngineFixture.await(x.execute(ScsiTask.write(0, Cdbs.write10(8, size / RamLun.BLOCK), ByteBuffer.wrap(data))));
            assertTrue(w.isGood());
            ByteBuffer in = ByteBuffer.allocate(size);
            int reportedBefore = placing.reported.size();
            ScsiResult r = EngineFixture.await(x.execute(ScsiTask.read(0, Cdbs.read10(8, size / RamLun.BLOCK), in)));
            assertTrue(r.isGood());
            assertArrayEquals(data, in.array(), "size " + size);
            assertEquals(placing.reported.get(reportedBefore).bytesIn(), r.bytesIn(), "the transport's count");
            assertEquals(size, r.bytesIn());
        }
        // every Data-Out the target got came from the transport answering R2Ts; commands carried no data
        long dataOuts = target.received().stream().filter(p -> p instanceof DataOut).count();
        assertEquals(placing.dataOutSentByTransport.get(), dataOuts);
        assertTrue(dataOuts > 0);
        assertTrue(target.received().stream().filter(p -> p instanceof ScsiCommand).allMatch(p -> !p.data().hasRemaining()));
        // each announced task ended once, completed; no buffer is left with the transport
        assertTrue(placing.live.isEmpty());
        assertEquals(placing.started.get(), placing.ends.size());
        assertTrue(placing.ends.stream().allMatch(e -> e == TaskEnd.COMPLETED));
    }

    @Test
    void noDigestsAreOfferedOverATransportWithoutThem() throws Exception {
        target.own("HeaderDigest", "CRC32C,None");
        login();
        assertFalse(placing.fullFeature.headerDigest());
        logout();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> engine.login(record("CRC32C")).toCompletableFuture().get(20, TimeUnit.SECONDS));
        IscsiException i = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.TRANS_CAPS, i.error());
        assertTrue(i.getMessage().contains("HeaderDigest=CRC32C") && i.getMessage().contains(PlacingTransport.NAME), i.getMessage());
    }

    @Test
    void transportKeysAreNegotiatedAndReadBack() throws Exception {
        placing.loginKeys = List.of(LoginKey.min(WINDOW, 8, 1, 64, 16), LoginKey.and(FRAMING, "No", true));
        target.answer(WINDOW, "4").answer(FRAMING, "Yes");
        login();
        assertEquals(Map.of(WINDOW, "4", FRAMING, "Yes"), placing.fullFeature.loginKeys());
    }

    @Test
    void aTargetAnsweringNoOrNotUnderstoodIsReadByTheRulesNotAsTheOffer() throws Exception {
        placing.loginKeys = List.of(LoginKey.min(WINDOW, 8, 1, 64, 16), LoginKey.and(FRAMING, "No", true),
                LoginKey.list("X-org.kiscsi.test.Mode", null, "Fast,Safe"));
        target.answer(FRAMING, "No"); // the other two: the test target does not know them (NotUnderstood)
        login();
        assertEquals(Map.of(WINDOW, "8", FRAMING, "No"), placing.fullFeature.loginKeys(),
                "NotUnderstood: the default where there is one, nothing where there is none");
    }

    @Test
    void anAnswerBreakingTheKeysRuleFailsTheLogin() {
        placing.loginKeys = List.of(LoginKey.min(WINDOW, 8, 1, 64, 16));
        target.answer(WINDOW, "32");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> engine.login(record("None")).toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains(WINDOW), e.getCause().getMessage());
    }

    @Test
    void aTransportMayNotRedefineAnRfcKey() {
        placing.loginKeys = List.of(LoginKey.list("HeaderDigest", "None", "CRC32C"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> engine.login(record("None")).toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertEquals(IscsiError.TRANS_CAPS, assertInstanceOf(IscsiException.class, e.getCause()).error());
    }

    @Test
    void nothingIsSentBeforeTheTransportSwitchedAndASwitchThatNeverComesFailsTheLogin() throws Exception {
        placing.switchDelayMillis = 300;
        ScsiTaskExecutor x = login();
        assertNotNull(placing.fullFeature);
        assertTrue(EngineFixture.await(x.execute(ScsiTask.read(0, Cdbs.read10(0, 1), ByteBuffer.allocate(512)))).isGood());
        assertEquals(0, placing.sentBeforeSwitch.get());
        logout();
        placing.neverSwitch = true;
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> engine.login(record("None")).toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("full feature phase within 3 s"), e.getCause().getMessage());
    }

    @Test
    void commandsStayWithinTheTransportsLimitOnUnansweredPdus() throws Exception {
        placing.unexpectedLimit = 3;
        ScsiTaskExecutor x = login();
        List<CompletableFuture<ScsiResult>> all = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            all.add(x.execute(ScsiTask.read(0, Cdbs.read10(i, 8), ByteBuffer.allocate(4096))).toCompletableFuture());
        }
        for (CompletableFuture<ScsiResult> f : all) {
            assertTrue(f.get(20, TimeUnit.SECONDS).isGood());
        }
        assertEquals(2, placing.mostInFlight.get(), "commands use the limit less one place kept for a control request");
    }
}
