package org.kiscsi.testkit.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiException;
import org.kiscsi.protocol.pdu.AsyncMessage;
import org.kiscsi.protocol.pdu.LogoutRequest;
import org.kiscsi.protocol.pdu.LogoutResponse;
import org.kiscsi.protocol.pdu.LunField;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AsyncMessageTest extends TargetFixture {
    @Test
    void logoutRequestCarriesItsParameters() throws Exception {
        try (LoopbackInitiator i = loggedIn(0x80_0000_0001_01L)) {
            assertEquals(1, target.sendAsyncMessage(AsyncMessage.LOGOUT_REQUESTED, 0, 0, 5));
            AsyncMessage m = i.expect(AsyncMessage.class);
            assertEquals(AsyncMessage.LOGOUT_REQUESTED, m.asyncEvent());
            assertEquals(5, m.parameter3());
            assertEquals(0, m.data().remaining());
            assertNull(i.next(300), "a logout request alone must not end the connection");
            assertTrue(i.connection.isOpen());
        }
    }

    @Test
    void connectionDropIsAnnouncedThenDone() throws Exception {
        try (LoopbackInitiator i = loggedIn(0x80_0000_0001_02L)) {
            target.sendAsyncMessage(AsyncMessage.CONNECTION_DROP, 0, 2, 20);
            AsyncMessage m = i.expect(AsyncMessage.class);
            assertEquals(2, m.parameter2());
            assertEquals(20, m.parameter3());
            assertInstanceOf(IscsiException.class, i.awaitClosed(2000), "the target must drop the connection");
        }
    }

    @Test
    void aLogoutBeforeTheAnnouncedDropEndsTheConnectionCleanly() throws Exception {
        try (LoopbackInitiator i = loggedIn(0x80_0000_0001_03L)) {
            target.sendAsyncMessage(AsyncMessage.SESSION_DROP, 0, 0, 0);
            i.expect(AsyncMessage.class);
            i.send(new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, 0x999, 1, 1, 0));
            assertEquals(0, i.expect(LogoutResponse.class).response());
            i.awaitClosed(2000);
            Thread.sleep(TestTarget.ASYNC_DROP_DELAY.toMillis() + 100);
            assertTrue(target.errors().isEmpty(), target.errors().toString());
        }
    }

    @Test
    void sessionDropReachesEveryConnectionOfTheSession() throws Exception {
        long isid = 0x80_0000_0001_04L;
        try (LoopbackInitiator a = loggedIn(isid);
                LoopbackInitiator b = LoopbackInitiator.connect(loopback, portal, IQN)) {
            b.login(isid, a.tsih(), 2);
            assertEquals(2, target.sendAsyncMessage(AsyncMessage.SESSION_DROP, 0, 0, 0));
            a.expect(AsyncMessage.class);
            b.expect(AsyncMessage.class);
            assertInstanceOf(IscsiException.class, a.awaitClosed(2000));
            assertInstanceOf(IscsiException.class, b.awaitClosed(2000));
        }
    }

    @Test
    void taskTerminationNamesTheLunAndForgetsItsCommands() throws Exception {
        target.ignoreCommandsFor(1);
        try (LoopbackInitiator i = loggedIn(0x80_0000_0001_05L)) {
            i.testUnitReady(1);
            assertTrue(eventually(1000, () -> target.unansweredCommands().size() == 1));
            assertEquals(1, target.sendAsyncMessage(1, 5, 0, 0, 0));
            AsyncMessage m = i.expect(AsyncMessage.class);
            assertEquals(5, m.asyncEvent());
            assertEquals(1, LunField.decode(m.lun()));
            assertTrue(target.unansweredCommands().isEmpty());
        }
    }

    @Test
    void scsiAsyncEventCarriesSenseData() throws Exception {
        try (LoopbackInitiator i = loggedIn(0x80_0000_0001_06L)) {
            byte[] sense = {0x70, 0, 6, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3F, 0x0E};
            assertEquals(1, target.sendScsiAsyncEvent(0, sense));
            AsyncMessage m = i.expect(AsyncMessage.class);
            assertEquals(AsyncMessage.SCSI_EVENT, m.asyncEvent());
            ByteBuffer d = m.data();
            assertEquals(sense.length, d.getShort(0));
            byte[] got = new byte[sense.length];
            d.duplicate().position(2).get(got);
            assertEquals(ByteBuffer.wrap(sense), ByteBuffer.wrap(got));
            assertTrue(i.connection.isOpen());
        }
    }
}
