package org.kiscsi.testkit.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.NopIn;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NopInIntervalTest extends TargetFixture {
    @Test
    void theTargetPingsAndCountsTheAnswers() throws Exception {
        try (LoopbackInitiator i = loggedIn(0x80_0000_0005_01L)) {
            target.nopInInterval(Duration.ofMillis(50));
            for (int n = 0; n < 3; n++) {
                NopIn ping = i.expect(NopIn.class);
                assertEquals(Bhs.RESERVED_TAG, ping.itt());
                assertNotEquals(Bhs.RESERVED_TAG, ping.ttt());
                i.answerPing(ping.ttt());
            }
            target.nopInInterval(Duration.ZERO);
            assertTrue(eventually(1000, () -> target.pingRepliesSeen() == 3));
            assertEquals(3, target.nopOutsSeen());
            assertTrue(target.pingsSent() >= 3);
        }
    }

    @Test
    void ownPingsCountAsNopOutsButNotAsReplies() throws Exception {
        try (LoopbackInitiator i = loggedIn(0x80_0000_0005_02L)) {
            i.ping();
            i.expect(NopIn.class);
            assertEquals(1, target.nopOutsSeen());
            assertEquals(0, target.pingRepliesSeen());
        }
    }
}
