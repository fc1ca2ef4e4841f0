package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.testkit.hostile.Forged;
import org.kiscsi.testkit.hostile.HostileTarget;
import org.kiscsi.testkit.hostile.LeakCheck;
import org.kiscsi.testkit.hostile.LeakCounts;
import org.kiscsi.testkit.hostile.Mutation;
import org.kiscsi.testkit.hostile.SeedConversation;
import org.kiscsi.transport.tcp.TcpOptions;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * Task management against a {@link HostileTarget}: the target holds back the answer to the first
 * TEST UNIT READY (tgtd's unit attention), the command passes its 2 s node.session.scsi.cmd_timeout,
 * the engine sends ABORT TASK (then LOGICAL UNIT RESET, TARGET WARM RESET, session recovery), and the
 * target answers that as each case says: never, late, with the wrong tag, twice, with every response
 * code, rejected, spoiled as the replay's PDUs are, before or after the command's own answer. A LUN
 * reset asked through the API meets the same. Each case ends within the record's timeouts with the
 * function's defined outcome or a protocol error naming what and where (the command's failure carries
 * it), and leaves no session, task, connection, PDU buffer, thread or file descriptor.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class HostileTaskManagementIT {
    private static final long OPERATION_BOUND_S = 30;
    private static final SeedConversation PLAIN = SeedConversation.resource(HostileTaskManagementIT.class, HostileScript.PLAIN);
    private static final int TM_RESPONSE = 0x22;
    private static final String TUR = "TEST UNIT READY to LUN 1";
    private static TcpTransport tcp;
    private static IscsiEngine engine;
    private static LeakCheck check;

    @BeforeAll
    static void start() {
        tcp = new TcpTransport(TcpOptions.DEFAULTS.withIoThreads(2));
        LeakCounts.Watching watching = new LeakCounts.Watching(tcp);
        engine = IscsiEngine.builder().initiatorName(EngineFixture.INITIATOR).transport(watching).build();
        check = new LeakCheck(watching, () -> engine.sessions().size(), engine::tasksHeld, Duration.ofSeconds(OPERATION_BOUND_S));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
            tcp.close();
        }
    }

    private static NodeRecord node(HostileTarget t, boolean pings, String abortTimeout) {
        return NodeRecord.create(new NodeKey(IscsiName.of(HostileScript.TARGET), t.portal(1), null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "2").with(NodeKeys.SCSI_CMD_TIMEOUT, "2")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.NOOP_OUT_INTERVAL, pings ? "1" : "0")
                .with(NodeKeys.NOOP_OUT_TIMEOUT, "2").with(NodeKeys.REPLACEMENT_TIMEOUT, "4").with(NodeKeys.ABORT_TIMEOUT, abortTimeout)
                .with(NodeKeys.LU_RESET_TIMEOUT, "2").with(NodeKeys.TGT_RESET_TIMEOUT, "2").with(NodeKeys.DEFAULT_TIME2WAIT, "0"));
    }

    // ------------------------------------------------------------------ what the target answers

    /** The target's answer to a task management request; {@code held} is the command's own answer it held back. */
    private interface TmAnswer {
        List<Forged> make(Forged.Live live, Forged held, int nth);
    }

    private static Forged response(Forged.Live live, int itt, int response, int statSnAhead) {
        byte[] h = Forged.bhs(TM_RESPONSE, itt, 0, live.statSn() + statSnAhead, live.expCmdSn(), live.expCmdSn() + 31, 0);
        h[2] = (byte) response;
        return new Forged(h, null);
    }

    private static TmAnswer answering(int response) {
        return (live, held, n) -> List.of(response(live, live.itt(), response, 0));
    }

    /** The held answer to the command, carried to the live StatSN ({@code ahead} places after it). */
    private static Forged released(Forged.Live live, Forged held, int ahead) {
        byte[] h = held.header().clone();
        ByteBuffer.wrap(h).putInt(24, live.statSn() + ahead).putInt(28, live.expCmdSn()).putInt(32, live.expCmdSn() + 31);
        return new Forged(h, held.data());
    }

    private static Forged reject(Forged.Live live) {
        byte[] h = Forged.bhs(0x3f, 0xFFFF_FFFF, 0, live.statSn(), live.expCmdSn(), live.expCmdSn() + 31, 48);
        h[2] = 0x09; // invalid PDU field
        return new Forged(h, live.request());
    }

    // ------------------------------------------------------------------ cases

    /** What happened to the command and the connection. */
    private record Outcome(ScsiResult result, IscsiException error, int connections, int tmRequests, HostileTarget target) {
        String message() {
            return error == null ? "completed, status " + (result == null ? "none" : result.status()) : error.getMessage();
        }
    }

    private interface Expect {
        /** Why the outcome is wrong; null when right. */
        String wrong(Outcome o);
    }

    private static Expect fails(String... fragments) {
        return o -> {
            if (o.error == null) {
                return "expected a failure, " + o.message();
            }
            if (!o.error.getMessage().startsWith(HostileScript.TARGET + " at 127.0.0.1:")) {
                return "the failure does not name the session first: " + o.message();
            }
            for (String f : fragments) {
                if (!o.error.getMessage().contains(f)) {
                    return "the failure does not say '" + f + "': " + o.message();
                }
            }
            return null;
        };
    }

    private static Expect dropped(Expect e) {
        return o -> o.connections < 2 ? "the connection was kept (" + o.message() + ")" : e.wrong(o);
    }

    private static Expect kept(Expect e) {
        return o -> o.connections != 1 ? "the connection was replaced: " + o.connections + " (" + o.message() + ")" : e.wrong(o);
    }

    private static final Expect GOOD = o -> o.result != null && o.result.isGood() ? null : "expected GOOD, " + o.message();
    private static final Expect ANY = o -> null;

    private record Case(String name, TmAnswer answer, Mutation spoil, boolean pings, String abortTimeout, Expect expect) {
        Case(String name, TmAnswer answer, Expect expect) {
            this(name, answer, null, true, "2", expect);
        }
    }

    private static List<Case> abortCases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("function complete", answering(0), kept(fails(TUR, "aborted (ABORT TASK)"))));
        cases.add(new Case("task does not exist", answering(1), kept(fails(TUR, "aborted (ABORT TASK)"))));
        for (int code : new int[] {2, 3, 4, 5, 6, 7, 0x80, 0xfe, 0xff}) {
            // not done: LOGICAL UNIT RESET, TARGET WARM RESET, both answered the same, then session recovery
            cases.add(new Case("response " + code + " to every function", answering(code),
                    dropped(fails(TUR, "its task ended with the connection", "task management did not end " + TUR))));
        }
        cases.add(new Case("no answer ever", (live, held, n) -> List.of(),
                dropped(fails(TUR, "task management did not end " + TUR))));
        cases.add(new Case("answer after abort_timeout (LUN RESET answered at once)", (live, held, n) -> {
            if (n == 0) {
                sleep(2500);
            }
            return List.of(response(live, live.itt(), 0, 0));
        }, null, false, "1", kept(fails(TUR, "was ended by LOGICAL UNIT RESET"))));
        cases.add(new Case("Reject of the ABORT TASK (LUN RESET answered)", (live, held, n) ->
                List.of(n == 0 ? reject(live) : response(live, live.itt(), 0, 0)), kept(fails(TUR, "was ended by LOGICAL UNIT RESET"))));
        cases.add(new Case("ITT of no request", (live, held, n) -> List.of(response(live, live.itt() ^ 0x0ff0_0000, 0, 0)),
                dropped(fails(TUR, "Task Management Response for ITT", "which is unknown"))));
        cases.add(new Case("the aborted command's ITT", (live, held, n) ->
                List.of(response(live, ByteBuffer.wrap(live.request()).getInt(20), 0, 0)),
                dropped(fails(TUR, "which is " + TUR + ", not a task management request"))));
        cases.add(new Case("the reserved ITT", (live, held, n) -> List.of(response(live, 0xFFFF_FFFF, 0, 0)),
                dropped(fails(TUR, "Task Management Response for ITT 0xffffffff"))));
        cases.add(new Case("answered twice", (live, held, n) -> List.of(response(live, live.itt(), 0, 0), response(live, live.itt(), 0, 1)),
                fails(TUR, "aborted (ABORT TASK)")));
        cases.add(new Case("a data segment of 8 bytes", (live, held, n) -> {
            Forged f = response(live, live.itt(), 0, 0);
            return List.of(new Forged(f.header(), new byte[8]));
        }, dropped(fails(TUR, "with a data segment of 8 bytes"))));
        cases.add(new Case("the immediate bit in the opcode", (live, held, n) -> {
            Forged f = response(live, live.itt(), 0, 0);
            f.header()[0] |= 0x40;
            return List.of(f);
        }, kept(fails(TUR, "aborted (ABORT TASK)")))); // a bit a target PDU leaves reserved, which RFC 7143 has receivers ignore
        cases.add(new Case("the command's own answer, then function complete", (live, held, n) ->
                List.of(released(live, held, 0), response(live, live.itt(), 0, 1)), kept(GOOD)));
        cases.add(new Case("the command's own answer, then task does not exist", (live, held, n) ->
                List.of(released(live, held, 0), response(live, live.itt(), 1, 1)), kept(GOOD)));
        cases.add(new Case("task does not exist, then the command's own answer", (live, held, n) ->
                List.of(response(live, live.itt(), 1, 0), released(live, held, 1)),
                dropped(fails(TUR, "aborted (ABORT TASK)"))));
        cases.add(new Case("function complete, then the command's own answer", (live, held, n) ->
                List.of(response(live, live.itt(), 0, 0), released(live, held, 1)),
                dropped(fails(TUR, "aborted (ABORT TASK)"))));
        for (Mutation.Kind k : Mutation.Kind.values()) {
            if (k != Mutation.Kind.HEADER_DIGEST && k != Mutation.Kind.DATA_DIGEST) {
                cases.add(new Case("spoiled: " + k, null, new Mutation(k, 0, 17L * k.ordinal()), true, "2",
                        k.alwaysFatal() ? dropped(fails(TUR)) : ANY));
            }
        }
        return cases;
    }

    @Test
    void everyMutatedAnswerToAnAbortTaskEndsWithItsOutcomeOrAProtocolError() throws Exception {
        runCase(new Case("warm-up", answering(0), ANY)); // classes loaded, I/O threads started
        LeakCheck.Baseline before = LeakCheck.baseline("kiscsi-tcp-", 5);
        List<String> failures = new ArrayList<>();
        List<Case> cases = abortCases();
        for (Case c : cases) {
            try {
                Outcome o = runCase(c);
                String wrong = c.expect.wrong(o);
                if (wrong != null) {
                    failures.add(c.name + ": " + wrong);
                }
                if (c.spoil != null && c.spoil.kind().alwaysFatal() && c.spoil.kind() != Mutation.Kind.TRUNCATE_CLOSE
                        && !o.target.initiatorClosedSpoiledConnection()) {
                    failures.add(c.name + ": the initiator kept the connection that carried the spoiled answer");
                }
                System.out.println(c.name + ": " + o.message() + " (" + o.connections + " connection(s), "
                        + o.tmRequests + " task management request(s))");
            } catch (AssertionError | Exception e) {
                failures.add(c.name + ": " + e);
            }
            List<String> left = check.leftBehind();
            if (!left.isEmpty()) {
                failures.add(c.name + ": left behind " + left);
                for (SessionInfo s : engine.sessions()) {
                    engine.logout(s.sid());
                }
            }
        }
        failures.addAll(before.grown());
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures));
        }
    }

    /** Runs TEST UNIT READY into a timeout against a target answering task management as the case says, then logs out. */
    private static Outcome runCase(Case c) throws Exception {
        try (HostileTarget t = HostileTarget.start(PLAIN).overrideLoginKey("DefaultTime2Wait", "0")) {
            AtomicReference<Forged> held = new AtomicReference<>();
            t.edit(0x21, (h, d) -> held.compareAndSet(null, new Forged(h, d)) ? null : new Forged(h, d));
            AtomicInteger nth = new AtomicInteger();
            if (c.answer != null) {
                t.answerTaskManagement(live -> c.answer.make(live, held.get(), nth.getAndIncrement()));
            }
            if (c.spoil != null) {
                t.spoilTaskManagement(c.spoil);
            }
            SessionInfo s = check.bounded(engine.login(node(t, c.pings, c.abortTimeout)));
            ScsiResult r = null;
            IscsiException e = null;
            try {
                r = check.bounded(engine.executor(s.sid()).execute(HostileScript.tasks().get(0)));
            } catch (ExecutionException x) {
                e = x.getCause() instanceof IscsiException i ? i : new IscsiException(IscsiError.TRANS, String.valueOf(x.getCause()));
            }
            // a protocol error after the command's end drops the connection a moment later; INQUIRY rides on whatever is there
            eventually(() -> t.connectionsAccepted() >= 2, Duration.ofSeconds(1));
            try {
                check.bounded(engine.executor(s.sid()).execute(HostileScript.tasks().get(1)));
            } catch (ExecutionException x) {
                // recovering or refused: the case's business
            }
            int connections = t.connectionsAccepted();
            try {
                check.bounded(engine.logout(s.sid()));
            } catch (ExecutionException x) {
                // ends the session anyway
            }
            return new Outcome(r, e, connections, t.taskManagementRequests(), t);
        }
    }

    /** A LOGICAL UNIT RESET asked through the API: answered, refused, never answered, rejected, spoiled. */
    @Test
    void aLunResetAskedForEndsWithItsAnswerOrItsTimeout() throws Exception {
        List<String> failures = new ArrayList<>();
        record Reset(String name, TmAnswer answer, IscsiError error, String says) {
        }
        List<Reset> resets = List.of(
                new Reset("function complete", answering(0), null, null),
                new Reset("function not supported", answering(5), IscsiError.OP_NOT_SUPP, "answered task management function not supported"),
                new Reset("function rejected", answering(255), IscsiError.TRANS, "answered function rejected"),
                new Reset("reserved response 9", answering(9), IscsiError.TRANS, "answered reserved response 9"),
                new Reset("never answered", (live, held, n) -> List.of(), IscsiError.REQ_TIMEDOUT, "not answered within 2 s"),
                new Reset("Reject", (live, held, n) -> List.of(reject(live)), IscsiError.TRANS, "rejected by the target"));
        for (Reset c : resets) {
            try (HostileTarget t = HostileTarget.start(PLAIN).overrideLoginKey("DefaultTime2Wait", "0")) {
                AtomicInteger nth = new AtomicInteger();
                t.answerTaskManagement(live -> c.answer.make(live, null, nth.getAndIncrement()));
                SessionInfo s = check.bounded(engine.login(node(t, true, "2")));
                try {
                    check.bounded(engine.executor(s.sid()).resetLogicalUnit(1));
                    if (c.error != null) {
                        failures.add(c.name + ": the reset succeeded");
                    }
                } catch (ExecutionException x) {
                    IscsiException e = (IscsiException) x.getCause();
                    if (c.error == null || e.error() != c.error || !e.getMessage().contains(c.says)
                            || !e.getMessage().contains("LOGICAL UNIT RESET of LUN 1")) {
                        failures.add(c.name + ": " + e.error() + " " + e.getMessage());
                    }
                }
                // the LUN is usable after the reset's end, whatever it was (no reset left marked as under way)
                ScsiResult inquiry = check.bounded(engine.executor(s.sid()).execute(HostileScript.tasks().get(1)));
                assertTrue(inquiry.isGood(), c.name + ": INQUIRY after the reset: status " + inquiry.status());
                assertEquals(1, t.connectionsAccepted(), c.name + ": the reset's answer cost the connection");
                check.bounded(engine.logout(s.sid()));
            } catch (AssertionError | Exception e) {
                failures.add(c.name + ": " + e);
            }
            List<String> left = check.leftBehind();
            if (!left.isEmpty()) {
                failures.add(c.name + ": left behind " + left);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + resets.size() + " cases failed:\n" + String.join("\n", failures));
        }
    }

    private static void eventually(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() - end < 0) {
            Thread.sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
