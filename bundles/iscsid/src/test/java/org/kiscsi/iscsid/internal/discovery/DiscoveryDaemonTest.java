package org.kiscsi.iscsid.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.kiscsi.store.memory.MemoryNodeStore;

class DiscoveryDaemonTest {
    static final IscsiName ME = IscsiName.of("iqn.2016-04.com.open-iscsi:0123456789ab");
    static final IscsiName T1 = IscsiName.of("iqn.2001-04.com.example:t1");
    static final IscsiName T2 = IscsiName.of("iqn.2001-04.com.example:t2");

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final MemoryNodeStore store = new MemoryNodeStore("test store");
    private Instant now = Instant.parse("2026-11-29T12:00:00Z");
    private Optional<IscsiName> initiator = Optional.of(ME);
    private Optional<DiscoveryProvider> provider;
    private final List<String> asked = new ArrayList<>();
    private final List<String> sessionOps = new java.util.concurrent.CopyOnWriteArrayList<>();
    private List<DiscoveredTarget> answer = List.of(
            new DiscoveredTarget(T1, List.of(Portal.parse("127.0.0.1:3260,1"), Portal.parse("[::1]:3260,1"))),
            new DiscoveredTarget(T2, List.of(Portal.parse("127.0.0.1:3260,1"))));

    /** Records the logins and logouts discoveryd asks for. */
    private final DiscoveryDaemon.PortalSessions sessions = new DiscoveryDaemon.PortalSessions() {
        @Override
        public CompletionStage<List<org.kiscsi.api.manage.Outcome<NodeKey>>> login(IscsiName target, Portal portal) {
            sessionOps.add("login " + portal + " " + target);
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<List<org.kiscsi.api.manage.Outcome<NodeKey>>> logout(IscsiName target, Portal portal) {
            sessionOps.add("logout " + portal + " " + target);
            return CompletableFuture.completedFuture(List.of());
        }
    };

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    /** A SendTargets method that always finds T1 on two portals and T2 on one. */
    private final DiscoveryProvider sendTargets = new DiscoveryProvider() {
        @Override
        public DiscoveryType type() {
            return DiscoveryType.SENDTARGETS;
        }

        @Override
        public CompletionStage<List<DiscoveredTarget>> discover(DiscoveryRecord r, DiscoveryContext ctx) {
            asked.add(r.address().hostPort() + " as " + ctx.initiatorName());
            return CompletableFuture.completedFuture(answer);
        }
    };

    private DiscoveryDaemon daemon() {
        provider = Optional.of(sendTargets);
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now; }
        };
        return new DiscoveryDaemon(new DiscoveryDaemon.Sources(() -> Optional.of(store), t -> provider, () -> initiator,
                Optional::empty, () -> RecordValues.empty().with(NodeKeys.STARTUP, "manual").with(NodeKeys.CMDS_MAX, "128"),
                () -> Optional.of(sessions)),
                timers, clock, Duration.ofSeconds(5));
    }

    /** A poll; its result is handled on the daemon's timer thread: wait for what was queued there. */
    private void tick(DiscoveryDaemon d) {
        d.tick();
        assertDoesNotThrow(() -> timers.submit(() -> { }).get(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    private void record(String portal, String use, String every) {
        store.putDiscovery(new DiscoveryRecord(DiscoveryType.SENDTARGETS, Portal.parse(portal), RecordValues.empty()
                .with("discovery.sendtargets.use_discoveryd", use).with("discovery.sendtargets.discoveryd_poll_inval", every)));
    }

    @Test
    void newTargetsBecomeRecordsWithIscsidConfDefaultsAndExistingOnesAreNeverTouched() {
        record("127.0.0.31:3260", "Yes", "30");
        NodeKey mine = new NodeKey(T1, Portal.parse("127.0.0.1:3260,1"), null);
        store.putNode(NodeRecord.create(mine, RecordValues.empty()).with(NodeKeys.CMDS_MAX, "16"));

        DiscoveryDaemon d = daemon();
        tick(d);

        assertEquals(List.of("127.0.0.31:3260 as " + ME), asked);
        assertEquals(3, store.nodes().size());
        assertEquals(Optional.of("16"), store.node(mine).orElseThrow().values().get(NodeKeys.CMDS_MAX), "user's setting kept");
        NodeRecord found = store.node(new NodeKey(T2, Portal.parse("127.0.0.1:3260,1"), null)).orElseThrow();
        assertEquals(Optional.of("128"), found.values().get(NodeKeys.CMDS_MAX));
        assertEquals(Optional.of("127.0.0.31"), found.values().get(NodeKeys.DISCOVERY_ADDRESS));
        assertEquals(Optional.of("3260"), found.values().get(NodeKeys.DISCOVERY_PORT));
        assertEquals(Optional.of("send_targets"), found.values().get(NodeKeys.DISCOVERY_TYPE));
    }

    @Test
    void eachRecordIsPolledAtItsOwnInterval() {
        record("127.0.0.31:3260", "Yes", "30");
        DiscoveryDaemon d = daemon();
        tick(d);
        now = now.plusSeconds(29);
        tick(d);
        assertEquals(1, asked.size(), "not due yet");
        now = now.plusSeconds(1);
        tick(d);
        assertEquals(2, asked.size());
    }

    @Test
    void recordsNotForDiscoverydOrWithoutAMethodOrNameAreLeftAlone() {
        record("127.0.0.31:3260", "No", "30");
        record("127.0.0.32:3260", "Yes", "0");
        record("127.0.0.33:3260", "Yes", "-1");
        DiscoveryDaemon d = daemon();
        tick(d);
        assertTrue(asked.isEmpty(), asked.toString());

        record("127.0.0.34:3260", "Yes", "30");
        provider = Optional.empty();
        tick(d);
        assertTrue(asked.isEmpty(), "no discovery method installed");

        provider = Optional.of(sendTargets);
        initiator = Optional.empty();
        tick(d);
        assertTrue(asked.isEmpty(), "no initiator name");

        initiator = Optional.of(ME);
        tick(d);
        assertEquals(List.of("127.0.0.34:3260 as " + ME), asked);
    }

    @Test
    void logsInToWhatIsFoundAndOutOfWhatIsNoLongerReturned() {
        record("127.0.0.31:3260", "Yes", "30");
        DiscoveryDaemon d = daemon();
        tick(d);
        assertEquals(3, sessionOps.size(), sessionOps.toString());
        assertTrue(sessionOps.contains("login 127.0.0.1:3260,1 " + T2), sessionOps.toString());

        sessionOps.clear();
        answer = List.of(new DiscoveredTarget(T1, List.of(Portal.parse("127.0.0.1:3260,1"))));
        now = now.plusSeconds(30);
        tick(d);
        assertEquals(java.util.Set.of("logout [::1]:3260,1 " + T1, "logout 127.0.0.1:3260,1 " + T2),
                java.util.Set.copyOf(sessionOps), "only what is gone; nothing logged in again");
    }

    /** A method that can watch: the test reports through the listener it was given. */
    private final class Watching implements DiscoveryProvider {
        org.kiscsi.spi.discovery.DiscoveryListener listener;
        int opened;
        int closed;

        @Override
        public DiscoveryType type() {
            return DiscoveryType.ISNS;
        }

        @Override
        public boolean canWatch() {
            return true;
        }

        @Override
        public CompletionStage<List<DiscoveredTarget>> discover(DiscoveryRecord r, DiscoveryContext ctx) {
            asked.add("isns " + r.address().hostPort());
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public org.kiscsi.spi.discovery.DiscoveryWatch watch(DiscoveryRecord r, DiscoveryContext ctx,
                org.kiscsi.spi.discovery.DiscoveryListener l) {
            listener = l;
            opened++;
            return new org.kiscsi.spi.discovery.DiscoveryWatch() {
                @Override
                public List<DiscoveredTarget> current() {
                    return List.of();
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }
    }

    @Test
    void isnsRecordsAreFollowedBySubscriptionNotPolledByDefault() throws Exception {
        Watching isns = new Watching();
        DiscoveryDaemon d = daemon();
        provider = Optional.of(isns);
        store.putDiscovery(new DiscoveryRecord(DiscoveryType.ISNS, Portal.parse("127.0.0.41:3205"), RecordValues.empty()
                .with("discovery.isns.use_discoveryd", "Yes")));
        tick(d);
        tick(d);
        assertEquals(1, isns.opened, "one subscription");
        assertTrue(asked.isEmpty(), "discoveryd_poll_inval = -1 by default for iSNS: not polled");

        DiscoveredTarget t1 = new DiscoveredTarget(T1, List.of(Portal.parse("127.0.0.1:3260,1")));
        isns.listener.changed(List.of(t1), List.of(), List.of(t1));
        tick(d);
        assertEquals(List.of("login 127.0.0.1:3260,1 " + T1), sessionOps);
        assertTrue(store.node(new NodeKey(T1, Portal.parse("127.0.0.1:3260,1"), null)).isPresent(), "a record for it");
        isns.listener.changed(List.of(), List.of(t1), List.of());
        tick(d);
        assertEquals("logout 127.0.0.1:3260,1 " + T1, sessionOps.get(1));

        store.putDiscovery(new DiscoveryRecord(DiscoveryType.ISNS, Portal.parse("127.0.0.41:3205"), RecordValues.empty()
                .with("discovery.isns.use_discoveryd", "No")));
        tick(d);
        for (int i = 0; i < 100 && isns.closed == 0; i++) {
            Thread.sleep(20); // closed off the timer thread
        }
        assertEquals(1, isns.closed, "no longer asked for: the subscription is closed");
    }

    /**
     * The store is never held while the network is waited on: the discovery method is asked outside
     * every store call, and while its answer is pending (a server that does not answer yet) the store
     * takes writes at once; the answer is written after it came.
     */
    @Test
    @org.junit.jupiter.api.Timeout(30)
    void theStoreIsNotHeldWhileADiscoveryWaitsOnTheNetwork() throws Exception {
        java.util.concurrent.atomic.AtomicInteger inStore = new java.util.concurrent.atomic.AtomicInteger();
        org.kiscsi.spi.store.NodeStore watched = (org.kiscsi.spi.store.NodeStore) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.kiscsi.spi.store.NodeStore.class}, (proxy, m, args) -> {
                    inStore.incrementAndGet();
                    try {
                        return m.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        inStore.decrementAndGet();
                    }
                });
        CompletableFuture<List<DiscoveredTarget>> pending = new CompletableFuture<>();
        List<String> askedInsideTheStore = new java.util.concurrent.CopyOnWriteArrayList<>();
        DiscoveryProvider slow = new DiscoveryProvider() {
            @Override
            public DiscoveryType type() {
                return DiscoveryType.SENDTARGETS;
            }

            @Override
            public CompletionStage<List<DiscoveredTarget>> discover(DiscoveryRecord r, DiscoveryContext ctx) {
                if (inStore.get() != 0) {
                    askedInsideTheStore.add(r.address().hostPort());
                }
                return pending; // the server has not answered yet
            }
        };
        record("127.0.0.31:3260", "Yes", "30");
        DiscoveryDaemon d = new DiscoveryDaemon(new DiscoveryDaemon.Sources(() -> Optional.of(watched), t -> Optional.of(slow),
                () -> initiator, Optional::empty, RecordValues::empty, () -> Optional.of(sessions)), timers, Clock.systemUTC(),
                Duration.ofSeconds(5));
        tick(d);
        assertEquals(List.of(), askedInsideTheStore, "the method is asked outside every store call");
        assertEquals(0, inStore.get(), "no store call left open while the answer is awaited");
        // meanwhile the store is free: a write from elsewhere goes through at once
        NodeKey other = new NodeKey(T2, Portal.parse("127.0.0.2:3260,1"), null);
        CompletableFuture.runAsync(() -> watched.putNode(NodeRecord.create(other, RecordValues.empty())))
                .get(2, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, store.nodes().size());

        pending.complete(answer);
        assertDoesNotThrow(() -> timers.submit(() -> { }).get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(4, store.nodes().size(), "the answer written once it came");
    }
}
