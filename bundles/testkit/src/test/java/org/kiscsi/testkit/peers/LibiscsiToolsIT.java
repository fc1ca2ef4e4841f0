package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link LibiscsiTools} parts not covered by {@link TgtdIT}: iscsi-perf and VPD pages. */
class LibiscsiToolsIT {
    private static Tgtd tgtd;
    private static TgtTarget target;
    private static final LibiscsiTools TOOLS = LibiscsiTools.create();

    @BeforeAll
    static void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
        target = tgtd.createTarget("iqn.2026-11.org.kiscsi.testkit:libiscsi-it");
        target.addLun(1, LunBacking.nullDevice());
        target.allowAll();
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @Test
    void perfRunsForOneSecondAndParses() {
        long start = System.nanoTime();
        PerfResult r = TOOLS.perf(target.url(1), 1, 8, 8, true);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5000, "bounded run took " + millis + " ms");
        assertTrue(r.iops() > 100, "iops " + r.iops());
        // 8 blocks of 512 bytes per request: MiB/s = iops * 4096 / 2^20, truncated by iscsi-perf
        assertEquals(r.iops() * 4096 / (1024 * 1024), r.mibPerSecond(), 1.0 + r.mibPerSecond() * 0.02, r.toString());
        assertEquals(new PerfResult(r.iops(), r.mibPerSecond(), 1, 8, 8, true), r);
    }

    @Test
    void unitSerialNumberComesFromVpdPage80() {
        String serial = TOOLS.unitSerialNumber(target.url(1));
        assertTrue(serial.startsWith("beaf"), "tgtd's serials start with beaf: " + serial);
        assertEquals(target.show().lun(1).orElseThrow().serial(), serial, "iscsi-inq and tgtadm agree");
    }
}
