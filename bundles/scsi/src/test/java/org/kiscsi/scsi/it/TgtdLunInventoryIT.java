package org.kiscsi.scsi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.it.Initiator.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.Sense;
import org.kiscsi.api.scsi.UnitAttentionListener;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;

/**
 * The LUN inventory changing under a session: tgtd raises REPORTED LUNS DATA HAS CHANGED (3F/0E) on
 * the LUs of every I_T nexus when a LUN is added or deleted (target.c). The next command through the
 * block API still succeeds (the engine retries it), the engine raises
 * {@link SessionListener#rescanNeeded}, the LUN service passes it to the open device's
 * {@link UnitAttentionListener}s, and REPORT LUNS then shows the change.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TgtdLunInventoryIT {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger TARGETS = new AtomicInteger();
    private static Tgtd tgtd;
    private TgtTarget target;
    private Initiator kiscsi;
    private long sid;
    private final Events<String> sessionEvents = new Events<>();
    private final Events<String> deviceEvents = new Events<>();

    @BeforeAll
    static void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @BeforeEach
    void loginToANewTarget() {
        String iqn = "iqn.2026-11.org.kiscsi.it:inventory-" + TARGETS.incrementAndGet();
        target = tgtd.createTarget(iqn);
        target.addLun(1, LunBacking.file(8 << 20));
        target.addLun(2, LunBacking.file(8 << 20));
        target.allowAll();
        kiscsi = new Initiator();
        kiscsi.recordRescans(sessionEvents);
        sid = kiscsi.login(iqn, tgtd.portal());
    }

    @AfterEach
    void logoutAndDeleteTheTarget() {
        try {
            kiscsi.close();
        } finally {
            target.delete();
        }
    }

    private BlockDevice openWithListener(long lun) {
        BlockDevice d = kiscsi.open(sid, lun);
        d.addUnitAttentionListener(new UnitAttentionListener() {
            @Override
            public void unitAttention(long l, Sense sense) {
                deviceEvents.add("ua " + l + " " + code(sense));
            }

            @Override
            public void rescanNeeded(long l, Sense sense) {
                deviceEvents.add("rescan " + l + " " + code(sense));
            }
        });
        return d;
    }

    private static String code(Sense s) {
        return String.format("%02X/%02X", s.asc(), s.ascq());
    }

    private void nextCommandSucceedsAndTheRescanIsHeard(BlockDevice d) {
        await(d.testUnitReady()); // gets 3F/0E at tgtd; the engine sends it again
        sessionEvents.await((sid + " 1 REPORTED LUNS DATA HAS CHANGED")::equals, EVENT_WAIT, "SessionListener.rescanNeeded for LUN 1");
        deviceEvents.await("ua 1 3F/0E"::equals, EVENT_WAIT, "the device's UnitAttentionListener.unitAttention");
        deviceEvents.await("rescan 1 3F/0E"::equals, EVENT_WAIT, "the device's UnitAttentionListener.rescanNeeded");
        assertTrue(sessionEvents.all().stream().allMatch(e -> e.endsWith("REPORTED LUNS DATA HAS CHANGED")), "only 3F/0E: " + sessionEvents.all());
    }

    @Test
    void aLunAddedDuringTheSessionIsAnnouncedAndReported() {
        assertEquals(List.of(0L, 1L, 2L), await(kiscsi.luns.reportLuns(sid)).stream().sorted().toList());
        BlockDevice d = openWithListener(1);
        assertEquals(List.of(), sessionEvents.all(), "nothing to rescan before the change");
        target.addLun(3, LunBacking.file(4 << 20));
        nextCommandSucceedsAndTheRescanIsHeard(d);
        assertEquals(List.of(0L, 1L, 2L, 3L), await(kiscsi.luns.reportLuns(sid)).stream().sorted().toList());
        BlockDevice added = kiscsi.open(sid, 3);
        assertEquals(4 << 20, added.capacity().bytes(), "the new LUN opens with its size");
    }

    @Test
    void aLunDeletedDuringTheSessionIsAnnouncedAndNoLongerReported() {
        BlockDevice d = openWithListener(1);
        target.deleteLun(2);
        nextCommandSucceedsAndTheRescanIsHeard(d);
        assertEquals(List.of(0L, 1L), await(kiscsi.luns.reportLuns(sid)).stream().sorted().toList());
    }
}
