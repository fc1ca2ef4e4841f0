package org.kiscsi.scsi.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.it.Initiator.await;
import static org.kiscsi.scsi.it.Initiator.failure;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.CheckConditionException;
import org.kiscsi.api.scsi.SenseKey;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.testkit.target.TestTarget;

/**
 * COMPARE AND WRITE through the block API. tgtd 1.0.85 refuses the command (its opcode table has
 * 0x89 as an illegal operation, though its Block Limits page announces a length), so the command
 * itself is checked against the in-JVM test target; against tgtd only that the refusal reaches the
 * caller as a CheckConditionException that names the command.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompareAndWriteIT {
    private static final int BLOCK = 512;
    private Initiator kiscsi;
    private TestTarget testTarget;
    private Tgtd tgtd;

    @AfterEach
    void stop() throws Exception {
        Initiator.closeInOrder(kiscsi, testTarget, tgtd);
    }

    private BlockDevice openTestTarget() throws Exception {
        String iqn = "iqn.2026-11.org.kiscsi.it:caw";
        testTarget = TestTarget.start(iqn, 1024);
        kiscsi = new Initiator();
        return kiscsi.open(kiscsi.login(iqn, testTarget.portal()), 0);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void equalBlocksAreReplacedAtomically() throws Exception {
        BlockDevice d = openTestTarget();
        byte[] old = random(2 * BLOCK, 1);
        byte[] replacement = random(2 * BLOCK, 2);
        await(d.write(10, ByteBuffer.wrap(old)));
        await(d.compareAndWrite(10, ByteBuffer.wrap(old), ByteBuffer.wrap(replacement)));
        ByteBuffer in = ByteBuffer.allocate(2 * BLOCK);
        await(d.read(10, in));
        assertArrayEquals(replacement, in.array());
        assertArrayEquals(replacement, Arrays.copyOfRange(testTarget.lun(0).contents(), 10 * BLOCK, 12 * BLOCK), "what the LU holds");
    }

    @Test
    void aMiscompareFailsWithTheOffsetOfTheFirstDifferenceAndWritesNothing() throws Exception {
        BlockDevice d = openTestTarget();
        byte[] current = random(2 * BLOCK, 3);
        await(d.write(20, ByteBuffer.wrap(current)));
        byte[] stale = current.clone();
        stale[700] ^= 0x5A; // differs from the LU first at byte 700 (block 1, byte 188)
        stale[900] ^= 0x01;
        CheckConditionException e = failure(CheckConditionException.class,
                d.compareAndWrite(20, ByteBuffer.wrap(stale), ByteBuffer.wrap(random(2 * BLOCK, 4))));
        assertEquals(SenseKey.MISCOMPARE, e.sense().key(), e.getMessage());
        assertTrue(e.sense().is(0x1D, 0x00), "MISCOMPARE DURING VERIFY OPERATION: " + e.getMessage());
        assertEquals(700, e.sense().information().orElseThrow(), "INFORMATION: offset of the first differing byte");
        assertEquals(0x89, e.opcode());
        assertTrue(e.getMessage().contains("COMPARE AND WRITE LBA 0x14, 2 blocks"), e.getMessage());
        assertArrayEquals(current, Arrays.copyOfRange(testTarget.lun(0).contents(), 20 * BLOCK, 22 * BLOCK), "nothing written");
    }

    @Test
    void buffersOfDifferentLengthsAreRefusedBeforeAnythingIsSent() throws Exception {
        BlockDevice d = openTestTarget();
        int before = testTarget.received().size();
        IscsiException e = failure(IscsiException.class, d.compareAndWrite(0, ByteBuffer.allocate(BLOCK), ByteBuffer.allocate(2 * BLOCK)));
        assertEquals(IscsiError.INVAL, e.error());
        assertEquals(before, testTarget.received().size(), "no PDU sent");
    }

    @Test
    void tgtdsRefusalIsACheckConditionNamingTheCommand() {
        String iqn = "iqn.2026-11.org.kiscsi.it:caw-tgtd";
        tgtd = Tgtd.start(Loopback.IPV4);
        TgtTarget target = tgtd.createTarget(iqn);
        target.addLun(1, LunBacking.file(4 << 20));
        target.allowAll();
        kiscsi = new Initiator();
        BlockDevice d = kiscsi.open(kiscsi.login(iqn, tgtd.portal()), 1);
        byte[] data = random(BLOCK, 5);
        await(d.write(3, ByteBuffer.wrap(data)));
        CheckConditionException e = failure(CheckConditionException.class,
                d.compareAndWrite(3, ByteBuffer.wrap(data), ByteBuffer.wrap(random(BLOCK, 6))));
        assertEquals(SenseKey.ILLEGAL_REQUEST, e.sense().key(), e.getMessage());
        assertTrue(e.sense().is(0x20, 0x00), "INVALID COMMAND OPERATION CODE: " + e.getMessage());
        assertEquals(0x89, e.opcode());
        assertEquals(1, e.lun());
        assertEquals(IscsiError.INVAL, e.error());
        assertTrue(e.getMessage().contains("LUN 1: COMPARE AND WRITE LBA 0x3, 1 block: CHECK CONDITION, ILLEGAL REQUEST: "
                + "INVALID COMMAND OPERATION CODE"), e.getMessage());
        ByteBuffer in = ByteBuffer.allocate(BLOCK);
        await(d.read(3, in));
        assertArrayEquals(data, in.array(), "nothing written");
    }
}
