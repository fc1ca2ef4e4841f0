package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.LoopbackFixture.await;
import static org.kiscsi.engine.LoopbackFixture.eventually;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.protocol.pdu.ScsiCommand;

/**
 * A connection that keeps dropping must not keep a command alive for ever: each attempt has its own
 * command timeout, so without a bound a command cut off before its timeout went again on every new
 * connection. At most 5 retries, and at most 6 x cmd_timeout from its first sending.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResendBoundTest extends LoopbackSessionTest {
    /** Far longer than the test takes without the bound: a command never failed is what it catches. */
    private static final Duration GIVE_UP = Duration.ofSeconds(25);

    @Test
    void aCommandCutOffOnEveryConnectionFailsAfterFiveRetries() throws Exception {
        NodeRecord r = f.record().with(NodeKeys.SCSI_CMD_TIMEOUT, "30");
        SessionInfo s = await(f.engine.login(r));
        f.target.ignoreCommands(true);
        CompletableFuture<ScsiResult> read = read(s);
        long end = System.nanoTime() + GIVE_UP.toNanos();
        int cut = 0;
        while (!read.isDone() && System.nanoTime() < end) {
            int seen = cut + 1;
            if (eventually(Duration.ofSeconds(5), () -> commandsSeen() >= seen || read.isDone()) && !read.isDone()) {
                f.loopback.cutAll();
                cut++;
            }
        }
        IscsiException e = failure(read);
        assertEquals(IscsiError.REQ_TIMEDOUT, e.error(), e.getMessage());
        assertEquals(6, commandsSeen(), "sent once and retried five times: " + e.getMessage());
        assertTrue(e.getMessage().contains("READ(10) to LUN 0 failed: sent 6 time(s) over"), e.getMessage());
        assertTrue(e.getMessage().contains("its 5 retries are spent"), e.getMessage());
        assertTrue(e.getMessage().startsWith(LoopbackFixture.IQN), "names the session: " + e.getMessage());
        assertTrue(eventually(Duration.ofSeconds(10), () -> state(s.sid()) == SessionState.LOGGED_IN), "the session itself goes on");
        assertEquals(0, f.engine.tasksHeld());
    }

    @Test
    void aCommandHeldThroughLongRecoveriesFailsOnceSixCommandTimeoutsPassed() throws Exception {
        NodeRecord r = f.record().with(NodeKeys.SCSI_CMD_TIMEOUT, "1");
        SessionInfo s = await(f.engine.login(r));
        f.target.ignoreCommands(true);
        long started = System.nanoTime();
        CompletableFuture<ScsiResult> read = read(s);
        long end = System.nanoTime() + GIVE_UP.toNanos();
        int cut = 0;
        while (!read.isDone() && System.nanoTime() < end) {
            int seen = cut + 1;
            if (eventually(Duration.ofSeconds(5), () -> commandsSeen() >= seen || read.isDone()) && !read.isDone()) {
                // cut off well within the command's own timeout, then no connection for longer than it
                f.loopback.refuse(true);
                f.loopback.cutAll();
                cut++;
                Thread.sleep(1500);
                f.loopback.refuse(false);
            }
        }
        IscsiException e = failure(read);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(IscsiError.REQ_TIMEDOUT, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains("(5 + 1) x 1 s (node.session.scsi.cmd_timeout) = 6 s have passed since it was first sent"),
                e.getMessage());
        assertTrue(commandsSeen() < 6, "the time bound, not the retries, ended it: " + e.getMessage());
        assertTrue(tookMs >= 6000, "failed after " + tookMs + " ms, before 6 x cmd_timeout");
        assertTrue(e.getMessage().contains("the last attempt ended with:"), e.getMessage());
    }

    private CompletableFuture<ScsiResult> read(SessionInfo s) {
        return f.engine.executor(s.sid()).execute(ScsiTask.read(0, Cdbs.read10(0, 1), ByteBuffer.allocate(512))).toCompletableFuture();
    }

    private long commandsSeen() {
        return f.target.received().stream().filter(p -> p instanceof ScsiCommand).count();
    }

    private static IscsiException failure(CompletableFuture<ScsiResult> f) throws Exception {
        try {
            ScsiResult r = f.get(1, TimeUnit.SECONDS);
            throw new AssertionError("completed: status " + r.status());
        } catch (TimeoutException e) {
            throw new AssertionError("still not failed after " + GIVE_UP.toSeconds() + " s of dropped connections");
        } catch (ExecutionException e) {
            return assertInstanceOf(IscsiException.class, e.getCause());
        }
    }
}
