package org.kiscsi.testkit.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.protocol.pdu.ScsiResponse;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class IgnoredCommandsTest extends TargetFixture {
    @Test
    void theNextNCommandsGoUnanswered() throws Exception {
        target.ignoreNextCommands(2);
        try (LoopbackInitiator i = loggedIn(0x80_0000_0003_01L)) {
            int first = i.testUnitReady(0);
            int second = i.testUnitReady(0);
            int third = i.testUnitReady(0);
            assertEquals(third, i.expect(ScsiResponse.class).itt());
            assertNull(i.next(300));
            assertEquals(List.of(first, second), target.unansweredCommands().stream().sorted().toList());
            assertEquals(i.testUnitReady(0), i.expect(ScsiResponse.class).itt());
        }
    }

    @Test
    void commandsToAnIgnoredLunGoUnanswered() throws Exception {
        target.ignoreCommandsFor(1);
        try (LoopbackInitiator i = loggedIn(0x80_0000_0003_02L)) {
            int toLun1 = i.testUnitReady(1);
            int toLun0 = i.testUnitReady(0);
            assertEquals(toLun0, i.expect(ScsiResponse.class).itt());
            assertNull(i.next(300));
            assertEquals(List.of(toLun1), target.unansweredCommands());
        }
    }
}
