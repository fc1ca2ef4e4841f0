package org.kiscsi.itests;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.Tgtd;

/**
 * What the end-to-end daemon tests share: one unpacked distribution and one loopback tgtd per class,
 * an empty node database before each test and no daemon left running after it. A subclass calls
 * {@link #startPeers} from its own {@code @BeforeClass}.
 */
abstract class DaemonAgainstTgtd {
    protected static UnpackedDistribution dist;
    protected static InstallRecords records;
    protected static Tgtd tgtd;

    /** Unpacks the distribution and starts tgtd with one 16 MiB LUN 1 behind each of {@code targets}. */
    protected static void startPeers(String... targets) throws Exception {
        dist = UnpackedDistribution.unpack();
        records = new InstallRecords(dist.home());
        tgtd = Tgtd.start(Loopback.IPV4);
        for (String iqn : targets) {
            tgtd.createTarget(iqn).allowAll().addLun(1, LunBacking.file(16 << 20));
        }
    }

    @AfterClass
    public static void stopPeers() throws Exception {
        try {
            if (tgtd != null) {
                tgtd.close();
            }
        } finally {
            if (dist != null) {
                dist.close();
            }
        }
    }

    @Before
    public void emptyDatabase() throws Exception {
        records.clear();
    }

    @After
    public void stopDaemons() throws Exception {
        dist.stopDaemons();
    }

    /** The portal as iscsiadm's -p takes it. */
    protected static String portal() {
        return tgtd.host() + ":" + tgtd.port();
    }
}
