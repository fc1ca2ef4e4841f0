package org.kiscsi.testkit.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.LoginResponse;
import org.kiscsi.protocol.pdu.NopIn;
import org.kiscsi.protocol.pdu.NopOut;
import org.kiscsi.protocol.pdu.ScsiResponse;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.testkit.contract.RecordingListener;
import org.kiscsi.testkit.loopback.LoopbackTransport;

/** The test target served over the loopback transport: no socket between initiator and target. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TestTargetOverLoopbackTest {
    static final String IQN = "iqn.2024-01.org.kiscsi:loopback";
    private TestTarget target;
    private LoopbackTransport loopback;
    private Portal portal;

    @BeforeEach
    void start() throws IOException {
        target = TestTarget.start(IQN, 64);
        loopback = new LoopbackTransport();
        portal = target.attach(loopback);
    }

    @AfterEach
    void stop() throws IOException {
        target.close();
    }

    @Test
    void logsInAndAnswersPingsAndCommands() throws Exception {
        try (LoopbackInitiator i = LoopbackInitiator.connect(loopback, portal, IQN)) {
            LoginResponse r = i.login(0x80_1234_5678_9AL, 0, 1);
            assertNotEquals(0, r.tsih());
            int ping = i.ping();
            assertEquals(ping, i.expect(NopIn.class).itt());
            int tur = i.testUnitReady(0);
            ScsiResponse s = i.expect(ScsiResponse.class);
            assertEquals(tur, s.itt());
            assertEquals(0, s.status());
        }
        assertEquals(LoopbackTransport.HOST, portal.address());
    }

    @Test
    void negotiatedDigestsAreFramedAndCheckedBothWays() throws Exception {
        target.own("HeaderDigest", "CRC32C,None").own("DataDigest", "CRC32C,None");
        try (LoopbackInitiator i = LoopbackInitiator.connect(loopback, portal, IQN)) {
            i.login(LoopbackInitiator.NAME, 0x80_0000_0000_01L, 0, 1, true);
            byte[] payload = new byte[1001];
            payload[1000] = 7;
            i.send(new NopOut(true, 0, 0x77, Bhs.RESERVED_TAG, 1, 0, ByteBuffer.wrap(payload)));
            NopIn echo = i.expect(NopIn.class);
            assertEquals(ByteBuffer.wrap(payload), echo.data());
        }
        assertTrue(target.errors().isEmpty(), target.errors().toString());
    }

    @Test
    void cutAllFailsEveryConnectionWithAnIoCause() throws Exception {
        try (LoopbackInitiator i = LoopbackInitiator.connect(loopback, portal, IQN)) {
            i.login(0x80_0000_0000_02L, 0, 1);
            loopback.cutAll();
            Throwable cause = i.awaitClosed(LoopbackInitiator.WAIT_MS);
            IscsiException e = assertInstanceOf(IscsiException.class, cause);
            assertEquals(IscsiError.TRANS, e.error());
            assertInstanceOf(IOException.class, e.getCause());
        }
    }

    @Test
    void refusedConnectsFailWithTrans() {
        loopback.refuse(true);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> loopback.connect(ConnectRequest.to(portal, Duration.ofSeconds(1)), new RecordingListener())
                        .toCompletableFuture().get(1, TimeUnit.SECONDS));
        assertEquals(IscsiError.TRANS, assertInstanceOf(IscsiException.class, e.getCause()).error());
        assertTrue(e.getCause().getMessage().contains(portal.hostPort()));
        loopback.refuse(false);
        assertTrue(loopback.connect(ConnectRequest.to(portal, Duration.ofSeconds(1)), new RecordingListener())
                .toCompletableFuture().isDone());
    }

    @Test
    void aConnectionTheTargetClosesEndsOnTheInitiatorSide() throws Exception {
        try (LoopbackInitiator i = LoopbackInitiator.connect(loopback, portal, IQN)) {
            i.login(0x80_0000_0000_03L, 0, 1);
            target.dropConnections();
            IscsiException e = assertInstanceOf(IscsiException.class, i.awaitClosed(LoopbackInitiator.WAIT_MS));
            assertEquals(IscsiError.TRANS, e.error());
            i.connection.closeFuture().toCompletableFuture().get(1, TimeUnit.SECONDS);
        }
    }
}
