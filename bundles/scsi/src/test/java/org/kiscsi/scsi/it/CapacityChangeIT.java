package org.kiscsi.scsi.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kiscsi.scsi.it.Initiator.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.Sense;
import org.kiscsi.api.scsi.UnitAttentionListener;
import org.kiscsi.testkit.target.TestTarget;

/**
 * CAPACITY DATA HAS CHANGED (2A/09) through the block API, against the in-JVM test target (tgtd never
 * raises it): the LU grows, the next command still succeeds (the engine retries it), the engine raises
 * the rescan, and the LUN service has the device read its capacity again before telling its listeners.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CapacityChangeIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:grows";
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);
    private static final int BLOCKS = 2048;
    private TestTarget target;
    private Initiator kiscsi;
    private long sid;
    private final Events<String> sessionEvents = new Events<>();
    private final Events<String> deviceEvents = new Events<>();

    @BeforeEach
    void login() throws Exception {
        target = TestTarget.start(IQN, BLOCKS);
        kiscsi = new Initiator();
        kiscsi.recordRescans(sessionEvents);
        sid = kiscsi.login(IQN, target.portal());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            kiscsi.close();
        } finally {
            target.close();
        }
    }

    @Test
    void aGrownLuIsReadAgainAndAnnouncedWhileTheCommandThatMetTheUnitAttentionSucceeds() {
        BlockDevice d = kiscsi.open(sid, 0);
        assertEquals(BLOCKS, d.blockCount());
        d.addUnitAttentionListener(new UnitAttentionListener() {
            @Override
            public void unitAttention(long lun, Sense sense) {
                deviceEvents.add("ua " + lun + " " + String.format("%02X/%02X", sense.asc(), sense.ascq()));
            }

            @Override
            public void rescanNeeded(long lun, Sense sense) {
                deviceEvents.add("rescan " + lun + " " + String.format("%02X/%02X", sense.asc(), sense.ascq()) + " at "
                        + d.blockCount() + " blocks");
            }
        });
        byte[] first = new byte[512];
        first[0] = 42;
        await(d.write(0, ByteBuffer.wrap(first)));

        target.lun(0).resize(2 * BLOCKS);
        target.raiseUnitAttention(0x2A, 0x09);
        ByteBuffer in = ByteBuffer.allocate(512);
        await(d.read(0, in)); // met the unit attention; the engine sent it again
        assertArrayEquals(first, in.array());

        sessionEvents.await((sid + " 0 CAPACITY DATA HAS CHANGED")::equals, EVENT_WAIT, "SessionListener.rescanNeeded");
        deviceEvents.await("ua 0 2A/09"::equals, EVENT_WAIT, "the device's UnitAttentionListener.unitAttention");
        deviceEvents.await(("rescan 0 2A/09 at " + 2 * BLOCKS + " blocks")::equals, EVENT_WAIT,
                "the device's rescanNeeded, after it read the new capacity");
        assertEquals(2 * BLOCKS, d.capacity().blockCount());
        assertEquals(2 * BLOCKS, d.blockCount());
        assertEquals(2 * BLOCKS, await(d.readCapacity()).blockCount(), "READ CAPACITY agrees");

        byte[] last = new byte[512];
        last[511] = 7;
        await(d.write(2 * BLOCKS - 1, ByteBuffer.wrap(last)));
        ByteBuffer back = ByteBuffer.allocate(512);
        await(d.read(2 * BLOCKS - 1, back));
        assertArrayEquals(last, back.array(), "the new last block is usable");
    }
}
