package org.kiscsi.testkit.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.protocol.pdu.TaskMgmtRequest;
import org.kiscsi.protocol.pdu.TaskMgmtResponse;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TaskManagementTest extends TargetFixture {
    @Test
    void abortTaskIsAnsweredAsConfigured() throws Exception {
        target.ignoreCommands(true).taskManagementAnswers(TaskMgmtRequest.ABORT_TASK, 5);
        try (LoopbackInitiator i = loggedIn(0x80_0000_0002_01L)) {
            int cmd = i.testUnitReady(0);
            int tmf = i.taskManagement(TaskMgmtRequest.ABORT_TASK, 0, cmd);
            TaskMgmtResponse r = i.expect(TaskMgmtResponse.class);
            assertEquals(tmf, r.itt());
            assertEquals(5, r.response());
            assertEquals(List.of(cmd), target.unansweredCommands(), "a refused abort leaves the task");
            target.taskManagementAnswers(TaskMgmtRequest.ABORT_TASK, 255);
            i.taskManagement(TaskMgmtRequest.ABORT_TASK, 0, cmd);
            assertEquals(255, i.expect(TaskMgmtResponse.class).response());
        }
    }

    @Test
    void anAbortAnsweredZeroForgetsTheTask() throws Exception {
        target.ignoreCommands(true);
        try (LoopbackInitiator i = loggedIn(0x80_0000_0002_02L)) {
            int cmd = i.testUnitReady(0);
            i.taskManagement(TaskMgmtRequest.ABORT_TASK, 0, cmd);
            assertEquals(0, i.expect(TaskMgmtResponse.class).response());
            assertTrue(target.unansweredCommands().isEmpty());
        }
    }

    @Test
    void anIgnoredFunctionIsNeverAnswered() throws Exception {
        target.ignoreCommands(true).ignoreTaskManagement(TaskMgmtRequest.ABORT_TASK, true);
        try (LoopbackInitiator i = loggedIn(0x80_0000_0002_03L)) {
            int cmd = i.testUnitReady(0);
            i.taskManagement(TaskMgmtRequest.ABORT_TASK, 0, cmd);
            assertNull(i.next(400), "an ignored function must get no answer");
            target.ignoreTaskManagement(TaskMgmtRequest.ABORT_TASK, false);
            i.taskManagement(TaskMgmtRequest.ABORT_TASK, 0, cmd);
            assertEquals(0, i.expect(TaskMgmtResponse.class).response());
        }
    }

    @Test
    void logicalUnitResetDropsOnlyThatLunsCommands() throws Exception {
        target.ignoreCommands(true);
        try (LoopbackInitiator i = loggedIn(0x80_0000_0002_04L)) {
            i.testUnitReady(0);
            int onLun1 = i.testUnitReady(1);
            assertTrue(eventually(1000, () -> target.unansweredCommands().size() == 2));
            i.taskManagement(TaskMgmtRequest.LOGICAL_UNIT_RESET, 0, -1);
            assertEquals(0, i.expect(TaskMgmtResponse.class).response());
            assertEquals(List.of(onLun1), target.unansweredCommands());
        }
    }

    @Test
    void targetWarmResetDropsEverySessionsCommands() throws Exception {
        target.ignoreCommands(true);
        try (LoopbackInitiator a = loggedIn(0x80_0000_0002_05L); LoopbackInitiator b = loggedIn(0x80_0000_0002_06L)) {
            a.testUnitReady(0);
            b.testUnitReady(1);
            assertTrue(eventually(1000, () -> target.unansweredCommands().size() == 2));
            a.taskManagement(TaskMgmtRequest.TARGET_WARM_RESET, 0, -1);
            assertEquals(0, a.expect(TaskMgmtResponse.class).response());
            assertTrue(target.unansweredCommands().isEmpty());
        }
    }

    @Test
    void aResetAnsweredOtherThanZeroChangesNothing() throws Exception {
        target.ignoreCommands(true).taskManagementAnswers(TaskMgmtRequest.LOGICAL_UNIT_RESET, 255);
        try (LoopbackInitiator i = loggedIn(0x80_0000_0002_07L)) {
            int cmd = i.testUnitReady(0);
            i.taskManagement(TaskMgmtRequest.LOGICAL_UNIT_RESET, 0, -1);
            assertEquals(255, i.expect(TaskMgmtResponse.class).response());
            assertEquals(List.of(cmd), target.unansweredCommands());
        }
    }
}
