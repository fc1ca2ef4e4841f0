package org.kiscsi.testkit.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.protocol.pdu.NopIn;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StallAfterLoginTest extends TargetFixture {
    @Test
    void aStalledConnectionAnswersNothingButStaysOpenUntilClosed() throws Exception {
        target.stallAfterLogin(true);
        LoopbackInitiator i = loggedIn(0x80_0000_0004_01L);
        i.ping();
        i.testUnitReady(0);
        assertNull(i.next(500), "a stalled target must not answer");
        assertTrue(i.connection.isOpen());
        assertEquals(1, target.openConnections());
        i.close();
        assertTrue(eventually(2000, () -> target.openConnections() == 0), "closing the initiator side ends the stall");
    }

    @Test
    void onlyTheNextLoginStalls() throws Exception {
        target.stallAfterLogin(true);
        try (LoopbackInitiator stalled = loggedIn(0x80_0000_0004_02L); LoopbackInitiator next = loggedIn(0x80_0000_0004_03L)) {
            int ping = next.ping();
            assertEquals(ping, next.expect(NopIn.class).itt());
            stalled.ping();
            assertNull(stalled.next(300));
        }
    }
}
