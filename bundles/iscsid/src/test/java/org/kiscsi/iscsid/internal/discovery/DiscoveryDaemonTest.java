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
            return CompletableFuture.completedFuture(List.of(
                    new DiscoveredTarget(T1, List.of(Portal.parse("127.0.0.1:3260,1"), Portal.parse("[::1]:3260,1"))),
                    new DiscoveredTarget(T2, List.of(Portal.parse("127.0.0.1:3260,1")))));
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
                Optional::empty, () -> RecordValues.empty().with(NodeKeys.STARTUP, "manual").with(NodeKeys.CMDS_MAX, "128")),
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
}
