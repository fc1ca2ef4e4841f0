package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.LoopbackFixture.await;
import static org.kiscsi.engine.LoopbackFixture.eventually;
import static org.kiscsi.engine.LoopbackFixture.pattern;
import static org.kiscsi.engine.LoopbackFixture.read;
import static org.kiscsi.engine.LoopbackFixture.write;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.protocol.pdu.LoginRequest;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.testkit.target.LoginAttempt;

/** ERL0 session recovery over the loopback transport: the session outlives its connection. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionRecoveryTest extends LoopbackSessionTest {
    private Optional<SessionInfo> info(long sid) {
        return f.engine.session(sid);
    }

    @Test
    void aCutConnectionIsReplacedWithTheSameIsidAndTsihZeroAndHeldWritesGoAgain() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.target.ignoreNextCommands(8); // eight writes stay in flight, unanswered, when the connection goes
        List<CompletableFuture<ScsiResult>> writes = new ArrayList<>();
        List<ByteBuffer> data = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            data.add(pattern(8, i));
            writes.add(write(x, i * 8L, data.get(i)).toCompletableFuture());
        }
        assertTrue(eventually(Duration.ofSeconds(5), () -> f.target.unansweredCommands().size() == 8));
        f.loopback.cutAll();
        for (CompletableFuture<ScsiResult> w : writes) {
            assertTrue(w.get(10, TimeUnit.SECONDS).isGood(), "every held write completes after the re-login");
        }
        List<LoginAttempt> logins = f.target.loginAttempts();
        assertEquals(2, logins.size(), "one login, one re-login: " + logins);
        assertEquals(logins.get(0).isid(), logins.get(1).isid(), "the same ISID");
        assertEquals(0, logins.get(1).tsih(), "TSIH 0: ERL0 reinstates the nexus");
        SessionInfo after = info(s.sid()).orElseThrow();
        assertEquals(SessionState.LOGGED_IN, after.state());
        assertEquals(RecoveryStage.NONE, after.recovery());
        assertEquals(s.sid(), after.sid(), "the same session");
        assertNotEquals(s.tsih(), after.tsih(), "a new TSIH from the target");
        byte[] stored = f.target.lun(0).contents();
        for (int i = 0; i < 8; i++) {
            byte[] expected = data.get(i).array();
            byte[] got = java.util.Arrays.copyOfRange(stored, i * 8 * 512, (i + 1) * 8 * 512);
            assertArrayEquals(expected, got, "blocks of write " + i);
        }
        // the re-login came before any command went again
        List<Object> order = new ArrayList<>(f.target.received());
        int secondLogin = -1;
        int logins2 = 0;
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i) instanceof LoginRequest && ((LoginRequest) order.get(i)).csg() == 0 && ++logins2 == 2) {
                secondLogin = i;
                break;
            }
        }
        assertTrue(secondLogin > 0);
        long commandsBefore = order.subList(0, secondLogin).stream().filter(p -> p instanceof ScsiCommand).count();
        assertEquals(8, commandsBefore, "only the first sending of the eight writes before the re-login");
    }

    @Test
    void newCommandsWaitForARecoveringSession() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.loopback.refuse(true);
        f.loopback.cutAll();
        assertTrue(eventually(Duration.ofSeconds(5), () -> state(s.sid()) == SessionState.RECOVERING));
        CompletableFuture<ScsiResult> held = x.execute(ScsiTask.noData(0, Cdbs.testUnitReady())).toCompletableFuture();
        Thread.sleep(300);
        assertFalse(held.isDone(), "held while the target cannot be reached");
        f.loopback.refuse(false);
        assertTrue(held.get(10, TimeUnit.SECONDS).isGood());
        assertEquals(SessionState.LOGGED_IN, state(s.sid()));
    }

    @Test
    void replacementTimeoutFailsHeldCommandsSayingTheyMayHaveExecutedAndTheSessionStillComesBack() throws Exception {
        NodeRecord r = f.record().with(NodeKeys.REPLACEMENT_TIMEOUT, "1");
        SessionInfo s = await(f.engine.login(r));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.target.ignoreNextCommands(1);
        CompletableFuture<ScsiResult> inFlight = write(x, 0, pattern(1, 1)).toCompletableFuture();
        assertTrue(eventually(Duration.ofSeconds(5), () -> f.target.unansweredCommands().size() == 1));
        f.loopback.refuse(true);
        long cut = System.nanoTime();
        f.loopback.cutAll();
        ExecutionException e = assertThrows(ExecutionException.class, () -> inFlight.get(10, TimeUnit.SECONDS));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
        assertTrue(waited >= 900 && waited < 3000, "failed after replacement_timeout (1 s), not " + waited + " ms");
        IscsiException ie = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.SESSION_NOT_CONNECTED, ie.error());
        assertTrue(ie.getMessage().contains("replacement_timeout") && ie.getMessage().contains("may have executed"), ie.getMessage());
        SessionInfo recovering = info(s.sid()).orElseThrow();
        assertEquals(SessionState.RECOVERING, recovering.state());
        assertEquals(RecoveryStage.COMMANDS_FAILED, recovering.recovery());
        // new commands fail at once now
        ExecutionException now = assertThrows(ExecutionException.class,
                () -> x.execute(ScsiTask.noData(0, Cdbs.testUnitReady())).toCompletableFuture().get(1, TimeUnit.SECONDS));
        assertTrue(now.getCause().getMessage().contains("replacement_timeout"), now.getCause().getMessage());
        // the target is back: so is the session, by itself
        f.loopback.refuse(false);
        assertTrue(eventually(Duration.ofSeconds(5), () -> state(s.sid()) == SessionState.LOGGED_IN));
        assertTrue(await(x.execute(ScsiTask.noData(0, Cdbs.testUnitReady()))).isGood());
    }

    @Test
    void replacementTimeoutZeroFailsAtOnce() throws Exception {
        SessionInfo s = await(f.engine.login(f.record().with(NodeKeys.REPLACEMENT_TIMEOUT, "0")));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.target.ignoreNextCommands(1);
        CompletableFuture<ScsiResult> inFlight = write(x, 0, pattern(1, 1)).toCompletableFuture();
        assertTrue(eventually(Duration.ofSeconds(5), () -> f.target.unansweredCommands().size() == 1));
        f.loopback.refuse(true);
        f.loopback.cutAll();
        ExecutionException e = assertThrows(ExecutionException.class, () -> inFlight.get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("may have executed"), e.getCause().getMessage());
    }

    @Test
    void aNegativeReplacementTimeoutHoldsCommandsUntilTheSessionIsBack() throws Exception {
        SessionInfo s = await(f.engine.login(f.record().with(NodeKeys.REPLACEMENT_TIMEOUT, "-1")));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.loopback.refuse(true);
        f.loopback.cutAll();
        CompletableFuture<ScsiResult> held = x.execute(ScsiTask.noData(0, Cdbs.testUnitReady())).toCompletableFuture();
        Thread.sleep(2500); // two failed attempts, one second apart
        assertFalse(held.isDone());
        assertEquals(RecoveryStage.WAITING, info(s.sid()).orElseThrow().recovery());
        f.loopback.refuse(false);
        assertTrue(held.get(10, TimeUnit.SECONDS).isGood());
    }

    @Test
    void reopenMaxGivesTheSessionUpAfterThatManyAttempts() throws Exception {
        List<SessionInfo> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.engine.addListener(new org.kiscsi.api.session.SessionListener() {
            @Override
            public void stateChanged(SessionInfo session, SessionState previous) {
                if (session.state() == SessionState.CLOSED) {
                    closed.add(session);
                }
            }
        });
        SessionInfo s = await(f.engine.login(f.record().with(NodeKeys.REOPEN_MAX, "2")));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.loopback.refuse(true);
        f.loopback.cutAll();
        CompletableFuture<ScsiResult> held = x.execute(ScsiTask.noData(0, Cdbs.testUnitReady())).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> held.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("given up after 2 reconnection attempt(s) (node.session.reopen_max)"),
                e.getCause().getMessage());
        assertTrue(eventually(Duration.ofSeconds(2), () -> f.engine.session(s.sid()).isEmpty()), "the session is gone");
        assertTrue(eventually(Duration.ofSeconds(2), () -> !closed.isEmpty()));
        assertEquals(RecoveryStage.ABANDONED, closed.get(0).recovery(), "its last state change says it was given up");
    }

    @Test
    void aCommandNotSafeToRepeatFailsAtACutWhileARepeatableOneGoesAgain() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.target.ignoreNextCommands(2);
        ByteBuffer once = pattern(1, 7);
        CompletableFuture<ScsiResult> unsafe = x.execute(ScsiTask.write(0, Cdbs.write10(10, 1), once.duplicate()).withRepeatable(false))
                .toCompletableFuture();
        CompletableFuture<ScsiResult> safe = write(x, 20, pattern(1, 8)).toCompletableFuture();
        assertTrue(eventually(Duration.ofSeconds(5), () -> f.target.unansweredCommands().size() == 2));
        f.loopback.cutAll();
        ExecutionException e = assertThrows(ExecutionException.class, () -> unsafe.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("not safe to repeat; it may have executed"), e.getCause().getMessage());
        assertTrue(safe.get(10, TimeUnit.SECONDS).isGood());
        assertFalse(ScsiTask.repeatableByDefault(new byte[] {(byte) 0x89, 0, 0, 0, 0, 0}), "COMPARE AND WRITE");
        assertFalse(ScsiTask.repeatableByDefault(new byte[] {0x5F, 0, 0, 0, 0, 0}), "PERSISTENT RESERVE OUT");
        assertTrue(ScsiTask.repeatableByDefault(Cdbs.write10(0, 1)));
    }

    @Test
    void theReloginReadsTheRecordAgain() throws Exception {
        NodeRecord[] current = {null};
        try (LoopbackFixture g = new LoopbackFixture(IscsiEngine.builder().initiatorName(EngineFixture.INITIATOR)
                .recordSource(key -> Optional.ofNullable(current[0])))) {
            NodeRecord r = g.record();
            current[0] = r;
            SessionInfo s = await(g.engine.login(r));
            current[0] = r.with(NodeKeys.IMMEDIATE_DATA, "No");
            g.loopback.cutAll();
            assertTrue(eventually(Duration.ofSeconds(5), () -> g.target.loginAttempts().size() == 2
                    && g.engine.session(s.sid()).map(i -> i.state() == SessionState.LOGGED_IN).orElse(false)));
            List<String> offers = new ArrayList<>();
            for (Object p : g.target.received()) {
                if (p instanceof LoginRequest l && l.data().hasRemaining()) {
                    offers.add(java.nio.charset.StandardCharsets.UTF_8.decode(l.data().duplicate()).toString());
                }
            }
            assertTrue(offers.stream().anyMatch(o -> o.contains("ImmediateData=Yes")), offers.toString());
            assertTrue(offers.get(offers.size() - 1).contains("ImmediateData=No") || offers.stream()
                    .skip(offers.size() / 2).anyMatch(o -> o.contains("ImmediateData=No")), "the re-login offers the changed key: " + offers);
        }
    }

    @Test
    void aTransportThatGoesAwayPutsSessionsInRecoveryAndTheyReturnWithIt() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.engine.removeTransport(f.loopback);
        assertTrue(eventually(Duration.ofSeconds(2), () -> state(s.sid()) == SessionState.RECOVERING), "recovering, not logged out");
        CompletableFuture<ScsiResult> held = x.execute(ScsiTask.noData(0, Cdbs.testUnitReady())).toCompletableFuture();
        Thread.sleep(1500);
        assertFalse(held.isDone(), "held while no transport of that name is there");
        f.engine.addTransport(f.loopback);
        assertTrue(held.get(5, TimeUnit.SECONDS).isGood());
        assertEquals(SessionState.LOGGED_IN, state(s.sid()));
    }

    @Test
    void aTransportBackAtOnceStillWaitsTime2WaitBeforeTheNewLogin() throws Exception {
        SessionInfo s = await(f.engine.login(f.record().with(NodeKeys.DEFAULT_TIME2WAIT, "1")));
        long gone = System.nanoTime();
        f.engine.removeTransport(f.loopback);
        f.engine.addTransport(f.loopback);
        assertTrue(eventually(Duration.ofSeconds(5), () -> f.target.loginAttempts().size() == 2
                && state(s.sid()) == SessionState.LOGGED_IN));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gone);
        assertTrue(ms >= 950, "DefaultTime2Wait (1 s) passed before the new login: " + ms + " ms");
    }

    @Test
    void aLogoutEndsARecovery() throws Exception {
        SessionInfo s = await(f.engine.login(f.record()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        f.loopback.refuse(true);
        f.loopback.cutAll();
        assertTrue(eventually(Duration.ofSeconds(2), () -> state(s.sid()) == SessionState.RECOVERING));
        CompletableFuture<ScsiResult> held = x.execute(ScsiTask.noData(0, Cdbs.testUnitReady())).toCompletableFuture();
        await(f.engine.logout(s.sid()));
        ExecutionException e = assertThrows(ExecutionException.class, () -> held.get(2, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("logged out"), e.getCause().getMessage());
        int attempts = f.target.loginAttempts().size();
        f.loopback.refuse(false);
        Thread.sleep(1500);
        assertEquals(attempts, f.target.loginAttempts().size(), "no more attempts after the logout");
        assertTrue(f.engine.session(s.sid()).isEmpty());
    }
}
