package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.session.DiscoverySession;
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
 * The engine against a {@link HostileTarget} sending control PDUs a target may send at any time,
 * spoiled: SendTargets answers (recorded from tgtd) that continue for ever, play with the target
 * transfer tag or carry garbled text; and, built from RFC 7143 (tgtd sends none of them unasked),
 * asynchronous messages with odd codes, parameters and sense data, NOP-Ins with odd tags, Rejects
 * with bogus headers, logout answers with odd responses and waits, task management answers that
 * are not. Each case ends within the record's timeouts and leaves no session, task, connection,
 * PDU buffer, thread or file descriptor behind.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class HostileControlPdusIT {
    private static final long OPERATION_BOUND_S = 30;
    private static final SeedConversation PLAIN = SeedConversation.resource(HostileControlPdusIT.class, HostileScript.PLAIN);
    private static final SeedConversation SEND_TARGETS = SeedConversation.resource(HostileControlPdusIT.class, HostileScript.SEND_TARGETS);
    /** The last login response of the recorded I/O session: what is injected after it arrives in the full feature phase. */
    private static final int LAST_LOGIN_PDU = 1;
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

    private static NodeRecord node(HostileTarget t) {
        return NodeRecord.create(new NodeKey(IscsiName.of(HostileScript.TARGET), t.portal(1), null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "2").with(NodeKeys.SCSI_CMD_TIMEOUT, "3")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.NOOP_OUT_INTERVAL, "1").with(NodeKeys.NOOP_OUT_TIMEOUT, "2")
                .with(NodeKeys.REPLACEMENT_TIMEOUT, "4").with(NodeKeys.ABORT_TIMEOUT, "2").with(NodeKeys.LU_RESET_TIMEOUT, "2")
                .with(NodeKeys.TGT_RESET_TIMEOUT, "2").with(NodeKeys.DEFAULT_TIME2WAIT, "0"));
    }

    private static DiscoveryRecord discovery(HostileTarget t) {
        return new DiscoveryRecord(DiscoveryType.SENDTARGETS, t.portal(1), RecordValues.empty()
                .with("discovery.sendtargets.timeo.login_timeout", "3").with("discovery.sendtargets.timeo.active_timeout", "2")
                .with("node.conn[0].timeo.logout_timeout", "1"));
    }

    // ------------------------------------------------------------------ SendTargets

    @Test
    void theUnspoiledSendTargetsReplayAnswersTgtdsTargets() throws Exception {
        try (HostileTarget t = HostileTarget.start(SEND_TARGETS)) {
            List<String> answer = sendTargets(t);
            assertTrue(answer.stream().anyMatch(a -> a.startsWith("TargetName=")), answer.toString());
        }
        assertEquals(List.of(), leftBehind());
    }

    /** Before the bound on empty continuations, each empty answer restarted the wait: the exchange went on for ever. */
    @Test
    void anAnswerThatContinuesForEverWithNothingEnds() throws Exception {
        try (HostileTarget t = HostileTarget.start(SEND_TARGETS)) {
            t.edit(0x24, (h, d) -> {
                h[1] = 0x40; // C=1, F=0
                ByteBuffer.wrap(h).putInt(20, 0x1234);
                return new Forged(h, new byte[0]);
            });
            ExecutionException e = expectFailure(() -> sendTargets(t));
            assertTrue(e.getCause().getMessage().contains("empty Text Responses in a row"), e.getCause().getMessage());
        }
        assertEquals(List.of(), leftBehind());
    }

    @Test
    void spoiledSendTargetsAnswersEndWithinTheTimeouts() throws Exception {
        Map<String, Forged.Edit> edits = new LinkedHashMap<>();
        edits.put("C bit, reserved TTT", (h, d) -> {
            h[1] = (byte) 0xC0;
            ByteBuffer.wrap(h).putInt(20, 0xFFFF_FFFF);
            return new Forged(h, d);
        });
        edits.put("F=0, a new TTT every time, data each time", (h, d) -> {
            h[1] = 0x00;
            ByteBuffer.wrap(h).putInt(20, new Random().nextInt(0x7fff_ffff));
            return new Forged(h, d);
        });
        edits.put("1 MiB without a delimiter", (h, d) -> new Forged(h, "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII)));
        edits.put("no '=' and not UTF-8", (h, d) -> new Forged(h, new byte[] {'T', 'a', (byte) 0xff, (byte) 0xfe, 0, 'x', 0}));
        edits.put("TargetAddress garbage", (h, d) -> new Forged(h, "TargetName=iqn.2026-11.x:y\0TargetAddress=[::1:3260,zz\0"
                .getBytes(StandardCharsets.US_ASCII)));
        edits.put("ITT of no request", (h, d) -> {
            ByteBuffer.wrap(h).putInt(16, 0x7777);
            return new Forged(h, d);
        });
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Forged.Edit> e : edits.entrySet()) {
            runCase("SendTargets " + e.getKey(), failures, t -> t.edit(0x24, e.getValue()), HostileControlPdusIT::sendTargetsMayFail,
                    SEND_TARGETS);
        }
        int textAnswer = HostileScript.spoilableIndexOf(SEND_TARGETS, 0x24);
        for (Mutation.Kind k : Mutation.Kind.values()) {
            if (k != Mutation.Kind.HEADER_DIGEST && k != Mutation.Kind.DATA_DIGEST) {
                runCase("SendTargets " + k, failures, t -> t.arm(new Mutation(k, textAnswer, k.ordinal())),
                        HostileControlPdusIT::sendTargetsMayFail, SEND_TARGETS);
            }
        }
        assertNoFailures(failures);
    }

    private static List<String> sendTargets(HostileTarget t) throws Exception {
        try (DiscoverySession d = bounded(engine.openDiscoverySession(discovery(t)))) {
            return bounded(d.text(List.of("SendTargets=All")));
        }
    }

    private static void sendTargetsMayFail(HostileTarget t) throws Exception {
        try {
            sendTargets(t);
        } catch (ExecutionException e) {
            // refused: how is the case's business, that it ended is checked
        }
    }

    // ------------------------------------------------------------------ NOP-In, async messages, Rejects, logout

    /** Before the fix a NOP-In with a command's tag completed that command with no result (null). */
    @Test
    void aNopInCarryingACommandsTagIsAProtocolErrorNotTheCommandsEnd() throws Exception {
        try (HostileTarget t = HostileTarget.start(PLAIN).overrideLoginKey("DefaultTime2Wait", "0")) {
            t.edit(0x21, (h, d) -> new Forged(Forged.bhs(0x20, ByteBuffer.wrap(h).getInt(16), 0xFFFF_FFFF,
                    ByteBuffer.wrap(h).getInt(24), ByteBuffer.wrap(h).getInt(28), ByteBuffer.wrap(h).getInt(32), 0), null));
            SessionInfo s = bounded(engine.login(node(t)));
            var command = engine.executor(s.sid()).execute(HostileScript.tasks().get(0)).toCompletableFuture();
            try {
                ScsiResult r = command.get(8, TimeUnit.SECONDS);
                assertTrue(r != null, "the command completed without a result");
            } catch (ExecutionException | TimeoutException e) {
                // failed, or sent again on each new connection (each answered the same way): the logout ends it
            }
            assertTrue(t.connectionsAccepted() >= 2, "the initiator went on on the connection that carried the NOP-In");
            try {
                bounded(engine.logout(s.sid()));
            } catch (ExecutionException e) {
                // recovering: logout ends it anyway
            }
        }
        assertEquals(List.of(), leftBehind());
    }

    @Test
    void forgedControlPdusAfterLoginEndWithinTheTimeouts() throws Exception {
        Map<String, Forged.Forge> forged = new LinkedHashMap<>();
        Random r = new Random(23);
        for (int code : new int[] {0, 1, 2, 3, 4, 5, 6, 0xf7, 0xff}) {
            for (int param : new int[] {0, 1, 0xffff}) {
                forged.put("async event " + code + " parameters " + param, live -> async(live, code, param, new byte[0]));
            }
        }
        forged.put("async SCSI event, sense length 0xffff", live -> async(live, 0, 0, new byte[] {(byte) 0xff, (byte) 0xff, 0x70, 0, 6}));
        forged.put("async SCSI event, sense garbage", live -> {
            byte[] sense = new byte[300];
            r.nextBytes(sense);
            sense[0] = 1;
            sense[1] = 0x20;
            return async(live, 0, 0, sense);
        });
        forged.put("async SCSI event, LUN unaddressable", live -> {
            Forged f = async(live, 0, 0, new byte[] {0, 18, 0x70, 0, 6, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3f, 0x0e, 0, 0, 0, 0});
            f.header()[8] = (byte) 0xff;
            return f;
        });
        for (int ttt : new int[] {0, 0x1234, 0xFFFF_FFFF}) {
            forged.put("NOP-In ping TTT " + Integer.toHexString(ttt) + " with data", live ->
                    new Forged(Forged.bhs(0x20, 0xFFFF_FFFF, ttt, live.statSn(), live.expCmdSn(), live.expCmdSn() + 31, 5), new byte[5]));
        }
        forged.put("NOP-In for the login's tag", live ->
                new Forged(Forged.bhs(0x20, live.itt(), 0xFFFF_FFFF, live.statSn(), live.expCmdSn(), live.expCmdSn() + 31, 0), null));
        for (int len : new int[] {0, 10, 48, 200}) {
            forged.put("Reject with a rejected header of " + len + " bytes", live -> {
                byte[] rejected = new byte[len];
                r.nextBytes(rejected);
                byte[] h = Forged.bhs(0x3f, 0xFFFF_FFFF, 0, live.statSn(), live.expCmdSn(), live.expCmdSn() + 31, len);
                h[2] = (byte) r.nextInt(256);
                return new Forged(h, rejected);
            });
        }
        forged.put("Reject of the login request", live -> {
            byte[] h = Forged.bhs(0x3f, 0xFFFF_FFFF, 0, live.statSn(), live.expCmdSn(), live.expCmdSn() + 31, 48);
            h[2] = 4;
            return new Forged(h, live.request());
        });
        forged.put("Logout Response nobody asked for", live ->
                new Forged(Forged.bhs(0x26, live.itt(), 0, live.statSn(), live.expCmdSn(), live.expCmdSn() + 31, 0), null));
        forged.put("Task Management Response nobody asked for", live ->
                new Forged(Forged.bhs(0x22, 0x55, 0, live.statSn(), live.expCmdSn(), live.expCmdSn() + 31, 0), null));
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Forged.Forge> e : forged.entrySet()) {
            runCase(e.getKey(), failures, t -> t.inject(LAST_LOGIN_PDU, e.getValue()), HostileControlPdusIT::ioAndLogout, PLAIN);
        }
        Map<String, Forged.Edit> logout = new LinkedHashMap<>();
        for (int response : new int[] {1, 2, 3, 0xff}) {
            logout.put("Logout Response " + response, (h, d) -> {
                h[2] = (byte) response;
                return new Forged(h, d);
            });
        }
        logout.put("Logout Response Time2Wait 65535, Time2Retain 65535", (h, d) -> {
            ByteBuffer.wrap(h).putShort(40, (short) 0xffff).putShort(42, (short) 0xffff);
            return new Forged(h, d);
        });
        logout.put("Logout Response with data", (h, d) -> new Forged(h, new byte[4096]));
        logout.put("no Logout Response", (h, d) -> null);
        for (Map.Entry<String, Forged.Edit> e : logout.entrySet()) {
            runCase(e.getKey(), failures, t -> t.edit(0x26, e.getValue()), HostileControlPdusIT::ioAndLogout, PLAIN);
        }
        assertNoFailures(failures);
    }

    private static Forged async(Forged.Live live, int code, int param, byte[] data) {
        byte[] h = Forged.bhs(0x32, 0xFFFF_FFFF, 0xFFFF_FFFF, live.statSn(), live.expCmdSn(), live.expCmdSn() + 31, data.length);
        ByteBuffer b = ByteBuffer.wrap(h);
        b.put(8 + 1, (byte) 1); // LUN 1
        b.put(36, (byte) code).putShort(38, (short) param).putShort(40, (short) param).putShort(42, (short) param);
        return new Forged(h, data);
    }

    /** Logs in, runs the script's first commands, logs out; failures are the case's business, that it ends is checked. */
    private static void ioAndLogout(HostileTarget t) throws Exception {
        long sid;
        try {
            sid = bounded(engine.login(node(t))).sid();
        } catch (ExecutionException e) {
            return;
        }
        for (ScsiTask task : HostileScript.tasks().subList(0, 3)) {
            try {
                ScsiResult r = bounded(engine.executor(sid).execute(task));
                if (r == null) {
                    throw new AssertionError("a command completed without a result");
                }
            } catch (ExecutionException e) {
                // refused or failed: fine
            }
        }
        try {
            bounded(engine.logout(sid));
        } catch (ExecutionException e) {
            // ends the session anyway
        }
    }

    // ------------------------------------------------------------------ the harness

    private interface Script {
        void run(HostileTarget t) throws Exception;
    }

    private static void runCase(String what, List<String> failures, Consumer<HostileTarget> setUp, Script script, SeedConversation seeds) {
        try (HostileTarget t = HostileTarget.start(seeds).overrideLoginKey("DefaultTime2Wait", "0")) {
            setUp.accept(t);
            script.run(t);
        } catch (AssertionError | Exception e) {
            failures.add(what + ": " + e);
        }
        try {
            List<String> left = leftBehind();
            if (!left.isEmpty()) {
                failures.add(what + ": left behind " + left);
                for (SessionInfo s : engine.sessions()) {
                    engine.logout(s.sid()); // not to spoil the next cases
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertNoFailures(List<String> failures) throws InterruptedException {
        Map<String, LongSupplier> transport = new LinkedHashMap<>();
        transport.put("TCP transport threads over its bound", () -> Math.max(0, LeakCounts.threads("kiscsi-tcp-") - 5));
        List<String> left = LeakCounts.left(transport, Duration.ofSeconds(10));
        if (!left.isEmpty()) {
            failures.add(left.toString());
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " case(s) failed:\n" + String.join("\n", failures));
        }
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static ExecutionException expectFailure(Call<?> c) throws Exception {
        try {
            Object o = c.call();
            throw new AssertionError("succeeded: " + o);
        } catch (ExecutionException e) {
            return e;
        }
    }

    private static <T> T bounded(CompletionStage<T> s) throws Exception {
        return check.bounded(s);
    }

    private static List<String> leftBehind() throws InterruptedException {
        return check.leftBehind();
    }

    static {
        assertFalse(HostileScript.tasks().isEmpty());
    }
}
