package org.kiscsi.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.engine.internal.TaskManagement.Step;

/** Task management's ladder and the recovery settings, without sockets. */
class EscalationTest {
    @Test
    void eachStepEscalatesToTheNextAndRecoveryIsTheLast() {
        assertEquals(Step.LUN_RESET, Step.ABORT_TASK.next());
        assertEquals(Step.TARGET_RESET, Step.LUN_RESET.next());
        assertEquals(Step.SESSION_RECOVERY, Step.TARGET_RESET.next());
        assertEquals(Step.SESSION_RECOVERY, Step.SESSION_RECOVERY.next());
    }

    @Test
    void onlySuccessEndsTheTasksAndForAnAbortAlsoATaskThatIsNoLongerThere() {
        assertTrue(Step.ABORT_TASK.done(TaskMgmtResponses.COMPLETE));
        assertTrue(Step.ABORT_TASK.done(TaskMgmtResponses.TASK_DOES_NOT_EXIST));
        assertFalse(Step.ABORT_TASK.done(TaskMgmtResponses.NOT_SUPPORTED));
        assertFalse(Step.ABORT_TASK.done(TaskMgmtResponses.REJECTED));
        assertTrue(Step.LUN_RESET.done(TaskMgmtResponses.COMPLETE));
        assertFalse(Step.LUN_RESET.done(TaskMgmtResponses.TASK_DOES_NOT_EXIST));
        assertFalse(Step.TARGET_RESET.done(TaskMgmtResponses.NOT_SUPPORTED));
        assertEquals("task management function not supported", TaskMgmtResponses.text(5));
    }

    private static NodeRecord record(RecordValues v) {
        return NodeRecord.create(new NodeKey(IscsiName.of("iqn.2026-11.org.kiscsi.test:t"), Portal.parse("127.0.0.1:3260"), null), v);
    }

    @Test
    void recoverySettingsDefaultToOpenIscsisValues() {
        SessionSettings.RecoverySettings r = SessionSettings.of(record(RecordValues.empty())).recovery();
        assertEquals(Duration.ofSeconds(5), r.noopOutInterval());
        assertEquals(Duration.ofSeconds(5), r.noopOutTimeout());
        assertEquals(Duration.ofSeconds(120), r.replacementTimeout());
        assertEquals(Duration.ofSeconds(15), r.abortTimeout());
        assertEquals(Duration.ofSeconds(30), r.luResetTimeout());
        assertEquals(Duration.ofSeconds(30), r.tgtResetTimeout());
        assertEquals(0, r.reopenMax());
    }

    @Test
    void recoverySettingsComeFromTheRecordAndBadValuesNameTheKey() {
        SessionSettings.RecoverySettings r = SessionSettings.of(record(RecordValues.empty()
                .with(NodeKeys.NOOP_OUT_INTERVAL, "0").with(NodeKeys.REPLACEMENT_TIMEOUT, "-1").with(NodeKeys.REOPEN_MAX, "3")))
                .recovery();
        assertEquals(Duration.ZERO, r.noopOutInterval());
        assertTrue(r.holdsForever());
        assertEquals(3, r.reopenMax());
        IscsiException e = org.junit.jupiter.api.Assertions.assertThrows(IscsiException.class,
                () -> SessionSettings.of(record(RecordValues.empty().with(NodeKeys.NOOP_OUT_TIMEOUT, "0"))));
        assertTrue(e.getMessage().contains(NodeKeys.NOOP_OUT_TIMEOUT), e.getMessage());
    }

    @Test
    void theTimerTicksOftenEnoughForTheShortestTimeout() {
        SessionSettings s = SessionSettings.of(record(RecordValues.empty().with(NodeKeys.NOOP_OUT_INTERVAL, "1")
                .with(NodeKeys.NOOP_OUT_TIMEOUT, "1")));
        assertEquals(Duration.ofMillis(250), SessionImpl.tickPeriod(s));
        assertEquals(Duration.ofSeconds(1), SessionImpl.tickPeriod(SessionSettings.of(record(RecordValues.empty()))));
    }
}
