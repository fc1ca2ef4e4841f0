package org.kiscsi.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.session.NodeRecordSource;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.scsi.ScsiBlockDevice;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.TgtShow;
import org.kiscsi.testkit.peers.Tgtd;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * A live session outlives its transport: the TCP transport bundle is stopped, or updated, under a
 * session logged in to a tgtd of the test's own (started and stopped inside the container, one per
 * test). The session recovers (same sid, same ISID) once a {@code tcp} transport is back, and no
 * command in flight fails.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TransportRecoveryIT extends KiscsiTestSupport {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:transport-recovery";
    /** The record's own: Pax Exam's Karaf runs no bin/iscsid, so there is no initiatorname file. */
    private static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:transport-recovery-initiator";
    private static final String TCP_BSN = "org.kiscsi.transport.tcp";
    private static final int LUN_BYTES = 16 << 20;
    /** Every wait on one command: longer than a recovery can take with replacement_timeout 60. */
    private static final long COMMAND_WAIT_S = 90;
    /** Where the numbers of a run go (the container's stdout is not the build's). */
    private static final String REPORT_PROPERTY = "kiscsi.it.transport-recovery.report";

    @Inject
    SessionManager sessions;

    private Tgtd tgtd;
    private Long sid;

    @Configuration
    public Option[] config() {
        List<Option> o = new ArrayList<>(Arrays.asList(baseConfiguration()));
        o.add(CoreOptions.bundle(PeersBundle.build().toUri().toString()));
        o.add(CoreOptions.systemProperty(REPORT_PROPERTY).value(Path.of("target", "transport-recovery.txt").toAbsolutePath().toString()));
        return o.toArray(new Option[0]);
    }

    @Before
    public void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
        tgtd.createTarget(IQN).allowAll().addLun(1, LunBacking.file(LUN_BYTES));
    }

    @After
    public void logOutAndStopTgtd() throws Exception {
        try {
            Bundle tcp = bundle(TCP_BSN);
            if (tcp != null && tcp.getState() != Bundle.ACTIVE) {
                tcp.start(); // a failed test must not leave the next one without a transport
            }
            if (sid != null && sessions.session(sid).isPresent()) {
                sessions.logout(sid).toCompletableFuture().get(15, TimeUnit.SECONDS);
            }
        } finally {
            if (tgtd != null) {
                tgtd.close();
            }
        }
    }

    private NodeRecord record() {
        return NodeRecord.create(new NodeKey(IscsiName.of(IQN), tgtd.portal(), null), RecordValues.empty()
                .with(NodeKeys.IFACE_INITIATORNAME, INITIATOR).with(NodeKeys.LOGIN_TIMEOUT, "5").with(NodeKeys.LOGOUT_TIMEOUT, "5")
                .with(NodeKeys.REPLACEMENT_TIMEOUT, "60").with(NodeKeys.NOOP_OUT_INTERVAL, "0")
                .with(NodeKeys.SCSI_CMD_TIMEOUT, "60").with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0"));
    }

    private SessionInfo login() throws Exception {
        assertTrue("the TCP transport bundle is not active", waitFor(() -> bundle(TCP_BSN).getState() == Bundle.ACTIVE, 30_000));
        SessionInfo s = sessions.login(record()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        sid = s.sid();
        assertEquals(SessionState.LOGGED_IN, s.state());
        return s;
    }

    private BlockDevice open(long sid) throws Exception {
        return ScsiBlockDevice.open(sessions.executor(sid), 1).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Optional<SessionState> state(long sid) {
        return sessions.session(sid).map(SessionInfo::state);
    }

    /** What {@code writer} writes in its {@code n}th round: recognisable per writer, round and byte. */
    private static byte[] pattern(int writer, long n, int length) {
        byte[] b = new byte[length];
        long x = (writer + 1) * 0x9E3779B97F4A7C15L ^ n * 0xC2B2AE3D27D4EB4FL;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
        return b;
    }

    private static void writeAndCheck(BlockDevice disk, long lba, byte[] data) throws Exception {
        disk.write(lba, ByteBuffer.wrap(data), false).toCompletableFuture().get(COMMAND_WAIT_S, TimeUnit.SECONDS);
        ByteBuffer in = ByteBuffer.allocate(data.length);
        disk.read(lba, in).toCompletableFuture().get(COMMAND_WAIT_S, TimeUnit.SECONDS);
        assertArrayEquals("read back at LBA " + lba, data, in.array());
    }

    /** tgtd's own list of sessions for the target: the judge of how many I_T nexuses there are. */
    private List<TgtShow.Nexus> nexuses() {
        return tgtd.show().stream().filter(t -> t.iqn().equals(IQN)).findFirst().orElseThrow().nexuses();
    }

    @Test
    public void aSessionRecoversWhenTheTcpTransportBundleIsStoppedAndStartedAgain() throws Exception {
        assertNotNull("the daemon offers its node store as the engine's record source",
                bundleContext.getServiceReference(NodeRecordSource.class));
        SessionInfo before = login();
        BlockDevice disk = open(before.sid());
        writeAndCheck(disk, 8, pattern(0, 1, disk.blockSize() * 8));
        assertTrue(waitFor(() -> nexuses().size() == 1, 10_000));
        assertEquals(INITIATOR, nexuses().get(0).initiator());

        List<String> transitions = new CopyOnWriteArrayList<>();
        SessionListener listener = new SessionListener() {
            @Override
            public void stateChanged(SessionInfo session, SessionState previous) {
                if (session.sid() == before.sid()) {
                    transitions.add(previous + "->" + session.state());
                }
            }
        };
        sessions.addListener(listener);
        Bundle tcp = bundle(TCP_BSN);
        long t0 = System.nanoTime();
        long restartedMs;
        try {
            tcp.stop();
            assertTrue("the session did not go RECOVERING when its transport went away: " + sessions.session(before.sid()),
                    waitFor(() -> !transitions.isEmpty(), 10_000));
            assertEquals("LOGGED_IN->RECOVERING", transitions.get(0));
            // While no tcp transport is there the session can only wait: it stays (RECOVERING), never closes.
            // Karaf's feature service starts a stopped feature bundle again by itself (within a second
            // here), so the test starts it only when Karaf has not.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (tcp.getState() != Bundle.ACTIVE && System.nanoTime() < until) {
                SessionInfo recovering = sessions.session(before.sid()).orElseThrow(() -> new AssertionError("session "
                        + before.sid() + " is gone while its transport is stopped"));
                assertEquals("session state while the transport bundle is " + tcp.getState(), SessionState.RECOVERING,
                        recovering.state());
                assertEquals(before.isid(), recovering.isid());
                Thread.sleep(20);
            }
            restartedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            if (tcp.getState() != Bundle.ACTIVE) {
                tcp.start();
            }
            assertTrue("the session did not come back by itself once the transport was back: " + sessions.session(before.sid())
                    + " " + transitions, waitFor(() -> state(before.sid()).equals(Optional.of(SessionState.LOGGED_IN)), 30_000));
        } finally {
            sessions.removeListener(listener);
        }
        long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // listeners hear of state changes on the engine's timer thread, a moment after the state itself
        waitFor(() -> transitions.size() >= 2, 5_000);
        assertEquals("the session went through recovery and back, never closed", List.of("LOGGED_IN->RECOVERING",
                "RECOVERING->LOGGED_IN"), transitions);
        SessionInfo after = sessions.session(before.sid()).orElseThrow();
        assertEquals(before.sid(), after.sid());
        assertEquals("recovery logs in again with the same ISID", before.isid(), after.isid());
        assertEquals("one session for the record, no second one", 1,
                sessions.sessions().stream().filter(x -> x.node().equals(before.node())).count());

        writeAndCheck(disk, 8, pattern(0, 2, disk.blockSize() * 8));
        writeAndCheck(disk, 4096, pattern(0, 3, disk.blockSize()));
        assertTrue("tgtd lists " + nexuses() + " after recovery; want exactly one I_T nexus",
                waitFor(() -> nexuses().size() == 1, 10_000));
        report("TransportRecoveryIT stop/start: session " + before.sid() + " RECOVERING while the transport bundle was down ("
                + restartedMs + " ms until it was active again), back LOGGED_IN " + recoveredMs + " ms after the stop");
    }

    @Test
    public void noCommandFailsWhenTheTcpTransportBundleIsUpdatedUnderLoad() throws Exception {
        SessionInfo s = login();
        long id = s.sid();
        BlockDevice disk = open(id);
        int block = disk.blockSize();
        int writers = 6;
        int blocksPerIo = 8; // 4 KiB with tgtd's 512-byte blocks
        int slotsPerWriter = 64;
        long loadMillis = 4000;
        long maxRoundsPerWriter = 50_000;

        // time in recovery, as the engine reports it
        Map<String, Long> marks = new ConcurrentHashMap<>();
        List<String> transitions = new CopyOnWriteArrayList<>();
        SessionListener listener = new SessionListener() {
            @Override
            public void stateChanged(SessionInfo session, SessionState previous) {
                if (session.sid() != id) {
                    return;
                }
                transitions.add(previous + "->" + session.state());
                if (session.state() == SessionState.RECOVERING) {
                    marks.putIfAbsent("recovering", System.nanoTime());
                } else if (session.state() == SessionState.LOGGED_IN && previous == SessionState.RECOVERING) {
                    marks.put("back", System.nanoTime());
                }
            }
        };
        sessions.addListener(listener);

        AtomicLong commands = new AtomicLong();
        List<String> failures = new CopyOnWriteArrayList<>();
        long[][] lastRound = new long[writers][slotsPerWriter];
        for (long[] r : lastRound) {
            Arrays.fill(r, -1);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(loadMillis);
        long updateAt;
        long updatedAt;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (long n = 0; n < maxRoundsPerWriter && System.nanoTime() < end; n++) {
                        int slot = (int) (n % slotsPerWriter);
                        long lba = (long) (writer * slotsPerWriter + slot) * blocksPerIo;
                        byte[] data = pattern(writer, n, block * blocksPerIo);
                        try {
                            commands.incrementAndGet();
                            disk.write(lba, ByteBuffer.wrap(data), false).toCompletableFuture().get(COMMAND_WAIT_S, TimeUnit.SECONDS);
                            lastRound[writer][slot] = n;
                            ByteBuffer in = ByteBuffer.allocate(data.length);
                            commands.incrementAndGet();
                            disk.read(lba, in).toCompletableFuture().get(COMMAND_WAIT_S, TimeUnit.SECONDS);
                            if (!Arrays.equals(data, in.array())) {
                                failures.add("writer " + writer + " round " + n + ": LBA " + lba + " read back other data");
                            }
                        } catch (Exception e) {
                            failures.add("writer " + writer + " round " + n + " LBA " + lba + ": " + e);
                            if (failures.size() > 50) {
                                return;
                            }
                        }
                    }
                }));
            }
            Thread.sleep(loadMillis / 3);
            Bundle tcp = bundle(TCP_BSN);
            long beforeUpdate = commands.get();
            updateAt = System.nanoTime();
            tcp.update();
            updatedAt = System.nanoTime();
            assertTrue("the updated transport bundle is not active", waitFor(() -> tcp.getState() == Bundle.ACTIVE, 10_000));
            for (Future<?> f : done) {
                f.get(COMMAND_WAIT_S * 2 + 30, TimeUnit.SECONDS);
            }
            long loadEnd = System.nanoTime();
            report("TransportRecoveryIT update under load: " + writers + " writers, " + commands.get()
                    + " commands in " + TimeUnit.NANOSECONDS.toMillis(loadEnd - start) + " ms (" + beforeUpdate
                    + " before bundle.update(), which took " + TimeUnit.NANOSECONDS.toMillis(updatedAt - updateAt) + " ms); "
                    + "session in recovery " + recoveryMillis(marks) + " ms; transitions " + transitions + "; failures "
                    + failures.size());
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            sessions.removeListener(listener);
        }

        assertTrue("failed commands: " + failures, failures.isEmpty());
        waitFor(() -> marks.containsKey("back"), 5_000); // listeners hear of the return a moment after it
        assertTrue("the update did not put the session through recovery: " + transitions, marks.containsKey("recovering"));
        assertTrue("the session is not back LOGGED_IN: " + transitions, marks.containsKey("back"));
        assertEquals(SessionState.LOGGED_IN, state(id).orElseThrow());
        assertEquals(s.isid(), sessions.session(id).orElseThrow().isid());

        // every slot reads back what its writer wrote last
        int checked = 0;
        for (int w = 0; w < writers; w++) {
            for (int slot = 0; slot < slotsPerWriter; slot++) {
                long n = lastRound[w][slot];
                if (n < 0) {
                    continue;
                }
                long lba = (long) (w * slotsPerWriter + slot) * blocksPerIo;
                ByteBuffer in = ByteBuffer.allocate(block * blocksPerIo);
                disk.read(lba, in).toCompletableFuture().get(COMMAND_WAIT_S, TimeUnit.SECONDS);
                assertArrayEquals("writer " + w + " slot " + slot + " (LBA " + lba + ", round " + n + ")",
                        pattern(w, n, block * blocksPerIo), in.array());
                checked++;
            }
        }
        assertTrue("only " + checked + " blocks were written", checked > writers);
        assertTrue("tgtd lists " + nexuses() + " after recovery; want exactly one I_T nexus",
                waitFor(() -> nexuses().size() == 1, 10_000));
    }

    private static void report(String line) {
        System.out.println(line);
        String file = System.getProperty(REPORT_PROPERTY);
        if (file != null) {
            try {
                Files.writeString(Path.of(file), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                System.out.println("cannot write " + file + ": " + e);
            }
        }
    }

    private static String recoveryMillis(Map<String, Long> marks) {
        Long from = marks.get("recovering");
        Long to = marks.get("back");
        return from == null || to == null ? "?" : Long.toString(TimeUnit.NANOSECONDS.toMillis(to - from));
    }
}
