package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.testkit.hostile.HostileTarget;
import org.kiscsi.testkit.hostile.LeakCheck;
import org.kiscsi.testkit.hostile.LeakCounts;
import org.kiscsi.testkit.hostile.Mutation;
import org.kiscsi.testkit.hostile.SeedConversation;
import org.kiscsi.transport.tcp.TcpOptions;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * The engine against a {@link HostileTarget} replaying tgtd's recorded answers with one PDU spoiled
 * per case: every case ends (no operation waits past the record's timeouts), a spoiled PDU an
 * initiator cannot read on from ends its connection, and afterwards no task, PDU buffer, thread or
 * file descriptor is left. One engine and one TCP transport serve all cases, as in the daemon, so
 * leaks add up where they would.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class HostileTargetIT {
    /** An operation waits at most this long: login 3 s, command 5 s, recovery 4 s and the task management after it, with room. */
    private static final long OPERATION_BOUND_S = 30;
    /** PDUs the target sends for the script (NOP-In answers not counted): 2 login, 9 I/O, 1 logout. */
    private static final int SPOILABLE_PDUS = 12;
    /** Positions tried per kind of damage, per seed file; -Dkiscsi.hostile.perKind=14 tries them all (slow). */
    private static final int PER_KIND = Integer.getInteger("kiscsi.hostile.perKind", 3);
    private static final SeedConversation PLAIN = SeedConversation.resource(HostileTargetIT.class, HostileScript.PLAIN);
    private static final SeedConversation DIGESTS = SeedConversation.resource(HostileTargetIT.class, HostileScript.DIGESTS);
    private static final int IO_THREADS = 2;
    /** The TCP transport's threads at most: its I/O processors, MINA's connector, the connect timer, a name lookup. */
    private static final int TCP_THREADS_MAX = IO_THREADS + 3;
    private static TcpTransport tcp;
    private static IscsiEngine engine;
    private static LeakCheck check;

    @BeforeAll
    static void start() {
        tcp = new TcpTransport(TcpOptions.DEFAULTS.withIoThreads(IO_THREADS));
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

    private static NodeRecord node(HostileTarget t, boolean digests) {
        RecordValues v = RecordValues.empty().with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "2")
                .with(NodeKeys.SCSI_CMD_TIMEOUT, "5").with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0")
                .with(NodeKeys.NOOP_OUT_INTERVAL, "1").with(NodeKeys.NOOP_OUT_TIMEOUT, "2")
                .with(NodeKeys.REPLACEMENT_TIMEOUT, "4").with(NodeKeys.ABORT_TIMEOUT, "2")
                .with(NodeKeys.LU_RESET_TIMEOUT, "2").with(NodeKeys.TGT_RESET_TIMEOUT, "2")
                .with(NodeKeys.DEFAULT_TIME2WAIT, "0");
        if (digests) {
            v = v.with(NodeKeys.HEADER_DIGEST, "CRC32C").with(NodeKeys.DATA_DIGEST, "CRC32C");
        }
        return NodeRecord.create(new NodeKey(IscsiName.of(HostileScript.TARGET), t.portal(1), null), v);
    }

    private static HostileTarget target(SeedConversation seeds) throws Exception {
        // tgtd says DefaultTime2Wait=2: each recovery would wait 2 s (the record offers 0)
        return HostileTarget.start(seeds).overrideLoginKey("DefaultTime2Wait", "0");
    }

    @Test
    void theUnspoiledReplayIsAWholeSessionWithTgtdsData() throws Exception {
        for (boolean digests : new boolean[] {false, true}) {
            try (HostileTarget t = target(digests ? DIGESTS : PLAIN)) {
                SessionInfo s = EngineFixture.await(engine.login(node(t, digests)));
                List<ScsiTask> tasks = HostileScript.tasks();
                for (ScsiTask task : tasks) {
                    ScsiResult r = EngineFixture.await(engine.executor(s.sid()).execute(task));
                    assertTrue(r.isGood(), "CDB " + task.cdb()[0] + ": status " + r.status());
                }
                assertArrayEquals(HostileScript.pattern(0, 8), tasks.get(5).dataIn().array(), "first read");
                assertArrayEquals(HostileScript.pattern(8, 64), tasks.get(6).dataIn().array(), "second read");
                EngineFixture.await(engine.logout(s.sid()));
                assertEquals(List.of(), t.unmatched(), "requests the recording did not answer");
                assertEquals(1, t.connectionsAccepted());
            }
        }
    }

    @Test
    void everySpoiledPduEndsWithinTheTimeoutsAndLeavesNothingBehind() throws Exception {
        theUnspoiledReplayIsAWholeSessionWithTgtdsData(); // warms up: classes loaded, I/O threads started
        LeakCheck.Baseline before = LeakCheck.baseline("kiscsi-tcp-", TCP_THREADS_MAX);
        List<String> failures = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        int cases = 0;
        for (boolean digests : new boolean[] {false, true}) {
            for (Mutation m : Mutation.catalogue(SPOILABLE_PDUS, PER_KIND, digests ? 23 : 7)) {
                if (!digests && m.kind() == Mutation.Kind.HEADER_DIGEST) {
                    continue; // no digest to spoil
                }
                cases++;
                String what = (digests ? "crc32c " : "plain ") + m;
                try {
                    outcomes.add(what + ": " + runCase(digests ? DIGESTS : PLAIN, digests, m));
                } catch (AssertionError | Exception e) {
                    failures.add(what + ": " + e);
                }
            }
        }
        // the transport's pool starts and ends threads as it needs them, within its bound; every other thread is counted exactly
        failures.addAll(before.grown());
        outcomes.forEach(System.out::println);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases + " cases failed:\n" + String.join("\n", failures));
        }
    }

    /**
     * RFC 7143 section 11.8.4: a target never puts the reserved tag 0xffffffff in an R2T. Answered,
     * its Data-Out would carry the tag that marks unsolicited data, and the target would take the
     * requested burst for unsolicited data: the initiator ends the connection instead.
     */
    @Test
    void anR2tWithTheReservedTransferTagEndsTheConnection() throws Exception {
        int r2t = HostileScript.spoilableIndexOf(PLAIN, 0x31);
        String how = runCase(PLAIN, false, new Mutation(Mutation.Kind.RESERVED_TTT, r2t, 1));
        assertTrue(how.contains("2 connection(s)"), "the session went on over a new connection: " + how);
    }

    /** Runs the script against a target spoiling one PDU; returns how it ended. */
    private static String runCase(SeedConversation seeds, boolean digests, Mutation m) throws Exception {
        StringBuilder how = new StringBuilder();
        try (HostileTarget t = target(seeds)) {
            t.arm(m);
            long sid = -1;
            try {
                sid = check.bounded(engine.login(node(t, digests))).sid();
                how.append("logged in");
            } catch (ExecutionException e) {
                how.append("login failed (").append(e.getCause().getClass().getSimpleName()).append(")");
            }
            if (sid >= 0) {
                int failed = 0;
                for (ScsiTask task : HostileScript.tasks()) {
                    try {
                        check.bounded(engine.executor(sid).execute(task));
                    } catch (ExecutionException e) {
                        failed++;
                    }
                }
                how.append(", ").append(failed).append(" command(s) failed");
                try {
                    check.bounded(engine.logout(sid));
                } catch (ExecutionException e) {
                    how.append(", logout failed");
                }
            }
            how.append(", ").append(t.connectionsAccepted()).append(" connection(s)");
            assertTrue(t.spoiled(), "the script ended before PDU " + m.pduIndex() + " (" + how + ")");
            if (t.spoiled() && (m.kind().alwaysFatal() || reservedTagInR2t(seeds, m)) && m.kind() != Mutation.Kind.TRUNCATE_CLOSE) {
                assertTrue(waitFor(() -> t.initiatorClosedSpoiledConnection() ? 0 : 1),
                        "the initiator kept the connection open after the spoiled PDU (" + how + ")");
            }
        }
        List<String> left = check.leftBehind();
        assertTrue(left.isEmpty(), "left behind " + left + " (" + how + ")");
        return how.toString();
    }

    private static boolean reservedTagInR2t(SeedConversation seeds, Mutation m) {
        return m.kind() == Mutation.Kind.RESERVED_TTT && m.pduIndex() == HostileScript.spoilableIndexOf(seeds, 0x31);
    }

    /** Polls until {@code count} is 0, at most 10 s. */
    private static boolean waitFor(LongSupplier count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count.getAsLong() != 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
