package org.kiscsi.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
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
import java.util.function.Supplier;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.scsi.ScsiBlockDevice;
import org.kiscsi.api.Portal;
import org.kiscsi.testkit.peers.Tgtd;
import org.osgi.framework.Bundle;

/**
 * A live session outliving its transport bundle, for any transport: a session logged in to a target
 * of the test's own (a tgtd, or the iSER test target) over the transport a record names ({@code iface.transport_name}), then the
 * transport's bundle stopped and started, or updated under load. The session must recover (same
 * sid, same ISID, one I_T nexus), on that transport again, and no command may fail. Used inside the
 * container by {@link TransportRecoveryIT} (tcp), {@link ExampleTransportHotSwapIT} (nio) and
 * {@link IserTransportHotSwapIT} (iser).
 */
final class TransportHotSwap {
    /** The target a scenario logs in to: where it is, and its own list of I_T nexuses. */
    interface Target {
        Portal portal();

        /** The LUN the scenario reads and writes. */
        long lun();

        /** The initiator of each I_T nexus the target has now. */
        List<String> nexusInitiators();

        /** A tgtd of the test's own, LUN 1, its nexuses as tgtadm shows them. */
        static Target of(Tgtd tgtd, String iqn) {
            return new Target() {
                @Override
                public Portal portal() {
                    return tgtd.portal();
                }

                @Override
                public long lun() {
                    return 1;
                }

                @Override
                public List<String> nexusInitiators() {
                    return tgtd.show().stream().filter(t -> t.iqn().equals(iqn)).findFirst().orElseThrow().nexuses().stream()
                            .map(n -> n.initiator()).toList();
                }
            };
        }
    }


    /** Every wait on one command: longer than a recovery can take with replacement_timeout 60. */
    static final long COMMAND_WAIT_S = 90;

    private final SessionManager sessions;
    private final Target target;
    private final String iqn;
    private final String initiator;
    private final String transport;
    private final Supplier<Bundle> bundle;
    /** Where the numbers of a run go (the container's stdout is not the build's), or null. */
    private final String reportFile;
    Long sid;

    /**
     * @param transport the transport's name, as records and connections name it
     * @param bundle the transport's bundle, looked up again at each use
     */
    TransportHotSwap(SessionManager sessions, Tgtd tgtd, String iqn, String initiator, String transport,
            Supplier<Bundle> bundle, String reportFile) {
        this(sessions, Target.of(tgtd, iqn), iqn, initiator, transport, bundle, reportFile);
    }

    TransportHotSwap(SessionManager sessions, Target target, String iqn, String initiator, String transport,
            Supplier<Bundle> bundle, String reportFile) {
        this.sessions = sessions;
        this.target = target;
        this.iqn = iqn;
        this.initiator = initiator;
        this.transport = transport;
        this.bundle = bundle;
        this.reportFile = reportFile;
    }

    NodeRecord record() {
        return NodeRecord.create(new NodeKey(IscsiName.of(iqn), target.portal(), null), RecordValues.empty()
                .with(NodeKeys.TRANSPORT_NAME, transport)
                .with(NodeKeys.IFACE_INITIATORNAME, initiator).with(NodeKeys.LOGIN_TIMEOUT, "5").with(NodeKeys.LOGOUT_TIMEOUT, "5")
                .with(NodeKeys.REPLACEMENT_TIMEOUT, "60").with(NodeKeys.NOOP_OUT_INTERVAL, "0")
                .with(NodeKeys.SCSI_CMD_TIMEOUT, "60").with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0"));
    }

    SessionInfo login() throws Exception {
        assertTrue("the " + transport + " transport bundle is not active",
                KiscsiTestSupport.waitFor(() -> bundle.get().getState() == Bundle.ACTIVE, 30_000));
        SessionInfo s = sessions.login(record()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        sid = s.sid();
        assertEquals(SessionState.LOGGED_IN, s.state());
        assertOnTransport(s);
        return s;
    }

    /** A failed test must not leave the next one without its transport, nor a session behind. */
    void cleanUp() throws Exception {
        Bundle b = bundle.get();
        if (b != null && b.getState() != Bundle.ACTIVE) {
            b.start();
        }
        if (sid != null && sessions.session(sid).isPresent()) {
            sessions.logout(sid).toCompletableFuture().get(15, TimeUnit.SECONDS);
        }
    }

    private void assertOnTransport(SessionInfo s) {
        assertEquals("the session's connection runs on " + transport, transport, s.connections().get(0).transport());
    }

    BlockDevice open(long id) throws Exception {
        return ScsiBlockDevice.open(sessions.executor(id), target.lun()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    Optional<SessionState> state(long id) {
        return sessions.session(id).map(SessionInfo::state);
    }

    /** What {@code writer} writes in its {@code n}th round: recognisable per writer, round and byte. */
    static byte[] pattern(int writer, long n, int length) {
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

    static void writeAndCheck(BlockDevice disk, long lba, byte[] data) throws Exception {
        disk.write(lba, ByteBuffer.wrap(data), false).toCompletableFuture().get(COMMAND_WAIT_S, TimeUnit.SECONDS);
        ByteBuffer in = ByteBuffer.allocate(data.length);
        disk.read(lba, in).toCompletableFuture().get(COMMAND_WAIT_S, TimeUnit.SECONDS);
        assertArrayEquals("read back at LBA " + lba, data, in.array());
    }

    /** The target's own list of sessions: the judge of how many I_T nexuses there are. */
    List<String> nexuses() {
        return target.nexusInitiators();
    }

    /**
     * Stops the transport's bundle under an idle logged-in session: the session goes RECOVERING and stays
     * so (never closes) while no provider of the name is there, and comes back LOGGED_IN by itself once
     * the bundle is active again (started by Karaf's feature service, or by the test when it has not).
     */
    void stopAndStartUnderASession() throws Exception {
        SessionInfo before = login();
        BlockDevice disk = open(before.sid());
        writeAndCheck(disk, 8, pattern(0, 1, disk.blockSize() * 8));
        assertTrue(KiscsiTestSupport.waitFor(() -> nexuses().size() == 1, 10_000));
        assertEquals(initiator, nexuses().get(0));

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
        Bundle b = bundle.get();
        long t0 = System.nanoTime();
        long restartedMs;
        try {
            b.stop();
            assertTrue("the session did not go RECOVERING when its transport went away: " + sessions.session(before.sid()),
                    KiscsiTestSupport.waitFor(() -> !transitions.isEmpty(), 10_000));
            assertEquals("LOGGED_IN->RECOVERING", transitions.get(0));
            // While no provider of the name is there the session can only wait: it stays (RECOVERING), never closes.
            // Karaf's feature service starts a stopped feature bundle again by itself (within a second
            // here), so the test starts it only when Karaf has not.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (b.getState() != Bundle.ACTIVE && System.nanoTime() < until) {
                SessionInfo recovering = sessions.session(before.sid()).orElseThrow(() -> new AssertionError("session "
                        + before.sid() + " is gone while its transport is stopped"));
                assertEquals("session state while the transport bundle is " + b.getState(), SessionState.RECOVERING,
                        recovering.state());
                assertEquals(before.isid(), recovering.isid());
                Thread.sleep(20);
            }
            restartedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            if (b.getState() != Bundle.ACTIVE) {
                b.start();
            }
            assertTrue("the session did not come back by itself once the transport was back: " + sessions.session(before.sid())
                    + " " + transitions, KiscsiTestSupport.waitFor(
                            () -> state(before.sid()).equals(Optional.of(SessionState.LOGGED_IN)), 30_000));
        } finally {
            sessions.removeListener(listener);
        }
        long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // listeners hear of state changes on the engine's timer thread, a moment after the state itself
        KiscsiTestSupport.waitFor(() -> transitions.size() >= 2, 5_000);
        assertEquals("the session went through recovery and back, never closed", List.of("LOGGED_IN->RECOVERING",
                "RECOVERING->LOGGED_IN"), transitions);
        SessionInfo after = sessions.session(before.sid()).orElseThrow();
        assertEquals(before.sid(), after.sid());
        assertEquals("recovery logs in again with the same ISID", before.isid(), after.isid());
        assertOnTransport(after);
        assertEquals("one session for the record, no second one", 1,
                sessions.sessions().stream().filter(x -> x.node().equals(before.node())).count());

        writeAndCheck(disk, 8, pattern(0, 2, disk.blockSize() * 8));
        writeAndCheck(disk, 4096, pattern(0, 3, disk.blockSize()));
        assertTrue("the target lists " + nexuses() + " after recovery; want exactly one I_T nexus",
                KiscsiTestSupport.waitFor(() -> nexuses().size() == 1, 10_000));
        report(transport + " stop/start: session " + before.sid() + " RECOVERING while the transport bundle was down ("
                + restartedMs + " ms until it was active again), back LOGGED_IN " + recoveredMs + " ms after the stop");
    }

    /**
     * Six writers write and read back 4 KiB blocks for four seconds; a third of the way in the
     * transport's bundle is updated. No command may fail (those in flight are sent again after
     * recovery), every block reads back what its writer wrote last, and the session is back on the
     * same transport.
     */
    void updateUnderLoad() throws Exception {
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
            Bundle b = bundle.get();
            long beforeUpdate = commands.get();
            long updateAt = System.nanoTime();
            b.update();
            long updatedAt = System.nanoTime();
            assertTrue("the updated transport bundle is not active", KiscsiTestSupport.waitFor(() -> b.getState() == Bundle.ACTIVE, 10_000));
            for (Future<?> f : done) {
                f.get(COMMAND_WAIT_S * 2 + 30, TimeUnit.SECONDS);
            }
            long loadEnd = System.nanoTime();
            report(transport + " update under load: " + writers + " writers, " + commands.get()
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
        KiscsiTestSupport.waitFor(() -> marks.containsKey("back"), 5_000); // listeners hear of the return a moment after it
        assertTrue("the update did not put the session through recovery: " + transitions, marks.containsKey("recovering"));
        assertTrue("the session is not back LOGGED_IN: " + transitions, marks.containsKey("back"));
        assertEquals(SessionState.LOGGED_IN, state(id).orElseThrow());
        assertEquals(s.isid(), sessions.session(id).orElseThrow().isid());
        assertOnTransport(sessions.session(id).orElseThrow());

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
        assertTrue("the target lists " + nexuses() + " after recovery; want exactly one I_T nexus",
                KiscsiTestSupport.waitFor(() -> nexuses().size() == 1, 10_000));
    }

    private void report(String line) {
        System.out.println(line);
        if (reportFile != null) {
            try {
                Files.writeString(Path.of(reportFile), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                System.out.println("cannot write " + reportFile + ": " + e);
            }
        }
    }

    private static String recoveryMillis(Map<String, Long> marks) {
        Long from = marks.get("recovering");
        Long to = marks.get("back");
        return from == null || to == null ? "?" : Long.toString(TimeUnit.NANOSECONDS.toMillis(to - from));
    }
}
