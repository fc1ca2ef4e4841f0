package org.kiscsi.testkit.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiException;
import org.kiscsi.protocol.pdu.LoginResponse;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SessionReinstatementTest extends TargetFixture {
    private static final long ISID = 0x80_0000_0006_01L;

    @Test
    void everyLoginIsRecordedInOrder() throws Exception {
        try (LoopbackInitiator a = loggedIn(ISID); LoopbackInitiator b = LoopbackInitiator.connect(loopback, portal, IQN)) {
            b.login(ISID, a.tsih(), 2);
            assertEquals(List.of(new LoginAttempt(ISID, 0, 1), new LoginAttempt(ISID, a.tsih(), 2)), target.loginAttempts());
            assertEquals(a.tsih(), b.tsih(), "a login with the session's TSIH joins it");
        }
    }

    @Test
    void aNewLoginWithTheSameIsidReinstatesTheSession() throws Exception {
        target.ignoreCommands(true);
        try (LoopbackInitiator old = loggedIn(ISID)) {
            old.testUnitReady(0);
            assertTrue(eventually(1000, () -> target.unansweredCommands().size() == 1));
            try (LoopbackInitiator fresh = loggedIn(ISID)) {
                assertNotEquals(old.tsih(), fresh.tsih());
                assertInstanceOf(IscsiException.class, old.awaitClosed(2000), "the target closes the old connection");
                assertTrue(eventually(1000, () -> target.unansweredCommands().isEmpty()), "the old session's commands are dropped");
                // the initiator sees the close before the target's side has counted it
                assertTrue(eventually(1000, () -> target.openConnections() == 1), () -> "open: " + target.openConnections());
            }
        }
    }

    @Test
    void anotherInitiatorWithTheSameIsidHasItsOwnSession() throws Exception {
        try (LoopbackInitiator a = loggedIn(ISID); LoopbackInitiator b = LoopbackInitiator.connect(loopback, portal, IQN)) {
            b.login("iqn.2024-01.org.kiscsi:other-initiator", ISID, 0, 1);
            assertNotEquals(a.tsih(), b.tsih());
            int ping = a.ping();
            assertEquals(ping, a.expect(org.kiscsi.protocol.pdu.NopIn.class).itt());
        }
    }

    @Test
    void aLoginToAnUnknownTsihIsRefused() throws Exception {
        try (LoopbackInitiator i = LoopbackInitiator.connect(loopback, portal, IQN)) {
            LoginResponse r = i.login(ISID, 0x7777, 1);
            assertEquals(0x02, r.statusClass());
            assertEquals(0x0A, r.statusDetail());
        }
    }
}
