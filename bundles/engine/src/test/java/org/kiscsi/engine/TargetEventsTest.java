package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.LoopbackFixture.await;
import static org.kiscsi.engine.LoopbackFixture.eventually;
import static org.kiscsi.engine.LoopbackFixture.pattern;
import static org.kiscsi.engine.LoopbackFixture.write;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.testkit.loopback.LoopbackTransport;
import org.kiscsi.testkit.target.LoginAttempt;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.protocol.pdu.AsyncMessage;
import org.kiscsi.protocol.pdu.LogoutRequest;
import org.kiscsi.protocol.pdu.NopOut;
import org.kiscsi.protocol.pdu.TaskMgmtRequest;

/**
 * What the target says and does not say: NOP-Out keep-alive, asynchronous messages, and task
 * management when a command times out — over the loopback transport with short per-node timeouts.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TargetEventsTest extends LoopbackSessionTest {
    private boolean loggedInAgain(long sid, int logins) {
        return f.target.loginAttempts().size() >= logins && state(sid) == SessionState.LOGGED_IN;
    }

    // ---------------------------------------------------------------- NOP-Out

    @Test
    void aSilentTargetIsDeclaredDeadWithinIntervalPlusTimeout() throws Exception {
        NodeRecord r = f.record().with(NodeKeys.NOOP_OUT_INTERVAL, "1").with(NodeKeys.NOOP_OUT_TIMEOUT, "1");
        f.target.stallAfterLogin(true);
        SessionInfo s = await(f.engine.login(r));
        long loggedIn = System.nanoTime();
        assertTrue(eventually(Duration.ofSeconds(5), () -> state(s.sid()) == SessionState.RECOVERING));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loggedIn);
        assertTrue(ms >= 1900 && ms < 2800, "declared dead after interval + timeout (2 s), not " + ms + " ms");
        // the target answers again after the re-login (the stall was for one login): the session is back
        assertTrue(eventually(Duration.ofSeconds(5), () -> loggedInAgain(s.sid(), 2)));
    }

    @Test
    void anIdleConnectionIsPingedAndStaysUp() throws Exception {
        NodeRecord r = f.record().with(NodeKeys.NOOP_OUT_INTERVAL, "1").with(NodeKeys.NOOP_OUT_TIMEOUT, "1");
        SessionInfo s = await(f.engine.login(r));
        Thread.sleep(2600);
        long pings = f.target.received().stream().filter(p -> p instanceof NopOut n && n.itt() != -1).count();
        assertTrue(pings >= 2, "a ping a second on an idle connection, saw " + pings);
        assertEquals(SessionState.LOGGED_IN, state(s.sid()));
        assertEquals(1, f.target.loginAttempts().size());
    }

    @Test
    void anIntervalOfZeroSendsNoPings() throws Exception {
        SessionInfo s = await(f.engine.login(f.record().with(NodeKeys.NOOP_OUT_INTERVAL, "0")));
        Thread.sleep(1500);
        assertEquals(0, f.target.nopOutsSeen());
        assertEquals(SessionState.LOGGED_IN, state(s.sid()));
    }

    @Test
    void theTargetsPingsAreAnswered() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        f.target.nopInInterval(Duration.ofMillis(100));
        assertTrue(eventually(Duration.ofSeconds(3), () -> f.target.pingRepliesSeen() >= 3));
        assertEquals(SessionState.LOGGED_IN, state(s.sid()));
    }

    // ---------------------------------------------------------------- asynchronous messages

    @Test
    void aLogoutRequestLetsCommandsFinishThenLogsOutAndInAgain() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        assertEquals(1, f.target.sendAsyncMessage(AsyncMessage.LOGOUT_REQUESTED, 0, 0, 5));
        assertTrue(eventually(Duration.ofSeconds(5), () -> loggedInAgain(s.sid(), 2)));
        assertTrue(f.target.received().stream().anyMatch(p -> p instanceof LogoutRequest), "a logout went to the target");
        assertTrue(await(x.execute(ScsiTask.noData(0, Cdbs.testUnitReady()))).isGood(), "the session goes on");
        assertEquals(f.target.loginAttempts().get(0).isid(), f.target.loginAttempts().get(1).isid());
    }

    @Test
    void aConnectionDropIsFollowedByALoginAfterTime2Wait() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        long sent = System.nanoTime();
        f.target.sendAsyncMessage(AsyncMessage.CONNECTION_DROP, 0, 1, 20);
        assertTrue(eventually(Duration.ofSeconds(5), () -> loggedInAgain(s.sid(), 2)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        assertTrue(ms >= 950, "Time2Wait (1 s) waited before logging in again: " + ms + " ms");
    }

    @Test
    void aSessionDropIsRecoveredToo() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        f.target.sendAsyncMessage(AsyncMessage.SESSION_DROP, 0, 0, 0);
        assertTrue(eventually(Duration.ofSeconds(5), () -> loggedInAgain(s.sid(), 2)));
    }

    @Test
    void aRenegotiationRequestIsAnsweredWithALogoutAndANewLogin() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        f.target.sendAsyncMessage(AsyncMessage.RENEGOTIATE, 0, 0, 0);
        assertTrue(eventually(Duration.ofSeconds(5), () -> loggedInAgain(s.sid(), 2)));
        assertTrue(f.target.received().stream().anyMatch(p -> p instanceof LogoutRequest));
    }

    @Test
    void taskTerminationIsAcknowledgedAndTheTerminatedCommandsGoAgain() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.target.ignoreNextCommands(2);
        CompletableFuture<ScsiResult> a = write(x, 0, pattern(1, 1)).toCompletableFuture();
        CompletableFuture<ScsiResult> b = write(x, 1, pattern(1, 2)).toCompletableFuture();
        assertTrue(eventually(Duration.ofSeconds(5), () -> f.target.unansweredCommands().size() == 2));
        f.target.sendAsyncMessage(0, AsyncMessage.TASK_TERMINATION, 0, 0, 0);
        assertTrue(a.get(5, TimeUnit.SECONDS).isGood());
        assertTrue(b.get(5, TimeUnit.SECONDS).isGood());
        assertTrue(f.target.received().stream().anyMatch(p -> p instanceof NopOut n && n.itt() == -1 && n.ttt() == -1),
                "the StatSN acknowledged with a non-ping NOP-Out");
        assertEquals(1, f.target.loginAttempts().size(), "no new login for a task termination");
    }

    @Test
    void aScsiAsyncEventRaisesARescan() throws Exception {
        List<String> rescans = new CopyOnWriteArrayList<>();
        f.engine.addListener(new SessionListener() {
            @Override
            public void rescanNeeded(long sid, long lun, String reason) {
                rescans.add(lun + " " + reason);
            }
        });
        await(f.engine.login(f.record()));
        byte[] sense = new byte[18];
        sense[0] = 0x70;
        sense[2] = 0x06;
        sense[7] = 10;
        sense[12] = 0x3F;
        sense[13] = 0x0E;
        f.target.sendScsiAsyncEvent(0, sense);
        assertTrue(eventually(Duration.ofSeconds(3), () -> rescans.contains("0 REPORTED LUNS DATA HAS CHANGED")), rescans.toString());
    }

    // ---------------------------------------------------------------- task management

    private NodeRecord shortCommands() {
        return f.record().with(NodeKeys.SCSI_CMD_TIMEOUT, "1").with(NodeKeys.ABORT_TIMEOUT, "1")
                .with(NodeKeys.LU_RESET_TIMEOUT, "1").with(NodeKeys.TGT_RESET_TIMEOUT, "1");
    }

    private long tmf(int function) {
        return f.target.received().stream().filter(p -> p instanceof TaskMgmtRequest m && m.function() == function).count();
    }

    @Test
    void aTimedOutCommandFailsOnlyOnceItsAbortIsAnswered() throws Exception {
        SessionInfo s = await(f.engine.login(shortCommands()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.target.ignoreNextCommands(1).ignoreTaskManagement(TaskMgmtRequest.ABORT_TASK, true);
        CompletableFuture<ScsiResult> c = x.execute(ScsiTask.noData(0, Cdbs.testUnitReady())).toCompletableFuture();
        assertTrue(eventually(Duration.ofSeconds(3), () -> tmf(TaskMgmtRequest.ABORT_TASK) == 1));
        Thread.sleep(300);
        assertFalse(c.isDone(), "not failed while the target may still run it");
        // the unanswered abort escalates to a LU reset, which the target does: now the task is gone
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.get(5, TimeUnit.SECONDS));
        assertEquals(1, tmf(TaskMgmtRequest.LOGICAL_UNIT_RESET));
        IscsiException ie = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.REQ_TIMEDOUT, ie.error());
        assertTrue(ie.getMessage().contains("node.session.scsi.cmd_timeout") && ie.getMessage().contains("LOGICAL UNIT RESET"),
                ie.getMessage());
        assertEquals(SessionState.LOGGED_IN, state(s.sid()));
    }

    @Test
    void anAnsweredAbortEndsTheCommand() throws Exception {
        SessionInfo s = await(f.engine.login(shortCommands()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.target.ignoreNextCommands(1);
        CompletableFuture<ScsiResult> c = x.execute(ScsiTask.noData(0, Cdbs.testUnitReady())).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("aborted (ABORT TASK)"), e.getCause().getMessage());
        assertEquals(0, tmf(TaskMgmtRequest.LOGICAL_UNIT_RESET));
        assertTrue(await(x.execute(ScsiTask.noData(0, Cdbs.testUnitReady()))).isGood());
    }

    @Test
    void refusalsEscalateToATargetResetAndThenToSessionRecovery() throws Exception {
        SessionInfo s = await(f.engine.login(shortCommands()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.target.ignoreNextCommands(1)
                .taskManagementAnswers(TaskMgmtRequest.ABORT_TASK, 5)          // function not supported
                .taskManagementAnswers(TaskMgmtRequest.LOGICAL_UNIT_RESET, 255) // function rejected
                .taskManagementAnswers(TaskMgmtRequest.TARGET_WARM_RESET, 5);   // as tgtd answers
        CompletableFuture<ScsiResult> c = x.execute(ScsiTask.noData(0, Cdbs.testUnitReady())).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.get(10, TimeUnit.SECONDS));
        assertEquals(1, tmf(TaskMgmtRequest.ABORT_TASK));
        assertEquals(1, tmf(TaskMgmtRequest.LOGICAL_UNIT_RESET));
        assertEquals(1, tmf(TaskMgmtRequest.TARGET_WARM_RESET));
        assertEquals(2, f.target.loginAttempts().size(), "session recovery: a new login replaced the connection");
        assertTrue(e.getCause().getMessage().contains("its task ended with the connection"), e.getCause().getMessage());
        assertTrue(eventually(Duration.ofSeconds(3), () -> state(s.sid()) == SessionState.LOGGED_IN));
    }

    @Test
    void aLunResetAndATargetResetCanBeAskedFor() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.target.ignoreNextCommands(1);
        CompletableFuture<ScsiResult> pending = write(x, 5, pattern(1, 5)).toCompletableFuture();
        assertTrue(eventually(Duration.ofSeconds(3), () -> f.target.unansweredCommands().size() == 1));
        await(x.resetLogicalUnit(0));
        assertTrue(pending.get(5, TimeUnit.SECONDS).isGood(), "a command the reset ended goes again");
        f.target.taskManagementAnswers(TaskMgmtRequest.TARGET_WARM_RESET, 5);
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(x.resetTarget()));
        IscsiException ie = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.OP_NOT_SUPP, ie.error());
        assertTrue(ie.getMessage().contains("not supported"), ie.getMessage());
    }

    // ---------------------------------------------------------------- sessions per record

    @Test
    void aSecondLoginOfARecordThatIsUpTouchesNothing() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(f.engine.login(f.record())));
        IscsiException ie = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.SESS_EXISTS, ie.error());
        assertEquals("default: 1 session requested, but 1 already present.", ie.getMessage());
        assertEquals(1, f.target.loginAttempts().size(), "no login went to the target");
        assertEquals(List.of(s.sid()), f.engine.sessions().stream().map(SessionInfo::sid).toList());
    }

    @Test
    void onlyTheMissingSessionsAreOpened() throws Exception {
        NodeRecord two = f.record().with(NodeKeys.NR_SESSIONS, "2");
        await(f.engine.login(two));
        assertTrue(eventually(Duration.ofSeconds(3), () -> f.engine.sessions().size() == 2));
        List<SessionInfo> both = f.engine.sessions();
        assertNotEquals(both.get(0).isid(), both.get(1).isid());
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(f.engine.login(two)));
        assertEquals("default: 2 session requested, but 2 already present.", e.getCause().getMessage());
        await(f.engine.logout(both.get(1).sid()));
        SessionInfo again = await(f.engine.login(two));
        assertEquals(both.get(1).isid(), again.isid(), "the missing one, with its own ISID");
        assertEquals(2, f.engine.sessions().size());
    }

    @Test
    void aSessionInRecoveryCountsAsPresent() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        f.loopback.refuse(true);
        f.loopback.cutAll();
        assertTrue(eventually(Duration.ofSeconds(3), () -> state(s.sid()) == SessionState.RECOVERING));
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(f.engine.login(f.record())));
        assertEquals(IscsiError.SESS_EXISTS, ((IscsiException) e.getCause()).error());
        f.loopback.refuse(false);
    }

    @Test
    void twoDiscoveriesOfOnePortalAtOnceUseTwoIsids() throws Exception {
        DiscoveryRecord d = new DiscoveryRecord(DiscoveryType.SENDTARGETS, f.portal, RecordValues.empty()
                .with(NodeKeys.TRANSPORT_NAME, LoopbackTransport.NAME));
        try (DiscoverySession a = await(f.engine.openDiscoverySession(d));
             DiscoverySession b = await(f.engine.openDiscoverySession(d))) {
            List<LoginAttempt> logins = f.target.loginAttempts();
            assertEquals(2, logins.size());
            assertNotEquals(logins.get(0).isid(), logins.get(1).isid(), "the second would otherwise reinstate (end) the first");
            assertFalse(await(a.text(List.of("SendTargets=All"))).isEmpty());
            assertFalse(await(b.text(List.of("SendTargets=All"))).isEmpty());
        }
    }
}
