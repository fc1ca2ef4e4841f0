package org.kiscsi.scsi.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.it.Initiator.await;
import static org.kiscsi.scsi.it.Initiator.failure;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.PersistentReservation;
import org.kiscsi.api.scsi.PrKeys;
import org.kiscsi.api.scsi.PrOut;
import org.kiscsi.api.scsi.PrType;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiStatusException;
import org.kiscsi.scsi.BlockDeviceOptions;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;

/**
 * PERSISTENT RESERVE through the block API between two kiscsi initiators with different names (two
 * I_T nexuses) on one tgtd LU: registration, a WRITE EXCLUSIVE reservation that makes the other
 * initiator's WRITE end in RESERVATION CONFLICT while its READ works, READ KEYS and READ RESERVATION
 * as both see them, release, preempt and clear.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TgtdPersistentReservationIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:reservations";
    private static final long KEY_A = 0xA11CE00000000001L;
    private static final long KEY_B = 0x00000000B0B00002L;
    private static final int BLOCK = 512;
    private static Tgtd tgtd;
    private Initiator initiatorA;
    private Initiator initiatorB;
    private BlockDevice a;
    private BlockDevice b;

    @BeforeAll
    static void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
        TgtTarget target = tgtd.createTarget(IQN);
        target.addLun(1, LunBacking.file(8 << 20));
        target.allowAll();
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @BeforeEach
    void twoInitiatorsRegister() {
        initiatorA = new Initiator("iqn.2026-11.org.kiscsi.it:host-a", BlockDeviceOptions.DEFAULTS);
        initiatorB = new Initiator("iqn.2026-11.org.kiscsi.it:host-b", BlockDeviceOptions.DEFAULTS);
        a = initiatorA.open(initiatorA.login(IQN, tgtd.portal()), 1);
        b = initiatorB.open(initiatorB.login(IQN, tgtd.portal()), 1);
        assertEquals(List.of(), await(a.readReservationKeys()).keys(), "no registrations left from before");
        await(a.persistentReserveOut(PrOut.register(0, KEY_A)));
        await(b.persistentReserveOut(PrOut.register(0, KEY_B)));
    }

    /** CLEAR by whichever initiator is still registered, so the next test starts from none. */
    @AfterEach
    void clearAndLogOut() {
        try {
            Set<Long> keys = Set.copyOf(await(a.readReservationKeys()).keys());
            if (keys.contains(KEY_A)) {
                await(a.persistentReserveOut(PrOut.clear(KEY_A)));
            } else if (keys.contains(KEY_B)) {
                await(b.persistentReserveOut(PrOut.clear(KEY_B)));
            }
            assertEquals(List.of(), await(b.readReservationKeys()).keys(), "CLEAR removed every registration");
            assertEquals(Optional.empty(), await(b.readReservation()), "CLEAR released the reservation");
        } finally {
            initiatorA.close();
            initiatorB.close();
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] d = new byte[n];
        new Random(seed).nextBytes(d);
        return d;
    }

    private static ScsiStatusException reservationConflict(BlockDevice d, long lba) {
        ScsiStatusException e = failure(ScsiStatusException.class, d.write(lba, ByteBuffer.wrap(random(BLOCK, lba))));
        assertSame(ScsiStatusException.class, e.getClass(), "a status without sense, not a CHECK CONDITION: " + e);
        assertEquals(ScsiResult.RESERVATION_CONFLICT, e.status(), e.getMessage());
        assertEquals(0x2A, e.opcode(), "WRITE(10)");
        assertEquals(IscsiError.ACCESS, e.error());
        assertTrue(e.getMessage().contains("WRITE(10) LBA 0x" + Long.toHexString(lba)) && e.getMessage().endsWith("RESERVATION CONFLICT"),
                e.getMessage());
        return e;
    }

    @Test
    void aWriteExclusiveReservationStopsTheOtherInitiatorsWritesButNotItsReads() {
        byte[] data = random(8 * BLOCK, 1);
        await(a.write(100, ByteBuffer.wrap(data)));
        await(a.persistentReserveOut(PrOut.reserve(KEY_A, PrType.WRITE_EXCLUSIVE)));

        PrKeys keysA = await(a.readReservationKeys());
        PrKeys keysB = await(b.readReservationKeys());
        assertEquals(Set.of(KEY_A, KEY_B), Set.copyOf(keysA.keys()), "READ KEYS: both registrations");
        assertEquals(2, keysA.keys().size());
        assertEquals(keysA, keysB, "both initiators read the same keys and generation");
        PersistentReservation held = await(b.readReservation()).orElseThrow(() -> new AssertionError("no reservation held"));
        assertEquals(KEY_A, held.key(), "the holder: " + held);
        assertEquals(PrType.WRITE_EXCLUSIVE, held.type());
        assertEquals(0, held.scope(), "LU_SCOPE");
        assertEquals(Optional.of(held), await(a.readReservation()));

        reservationConflict(b, 100);
        ByteBuffer in = ByteBuffer.allocate(data.length);
        await(b.read(100, in));
        assertArrayEquals(data, in.array(), "the other initiator still reads (WRITE EXCLUSIVE)");
        byte[] again = random(BLOCK, 2);
        await(a.write(100, ByteBuffer.wrap(again)));

        await(a.persistentReserveOut(PrOut.release(KEY_A, PrType.WRITE_EXCLUSIVE)));
        assertEquals(Optional.empty(), await(b.readReservation()), "released");
        await(b.write(101, ByteBuffer.wrap(again)));
        assertEquals(Set.of(KEY_A, KEY_B), Set.copyOf(await(b.readReservationKeys()).keys()), "RELEASE keeps the registrations");
    }

    @Test
    void preemptTakesTheReservationAndTheRegistrationAway() {
        await(a.persistentReserveOut(PrOut.reserve(KEY_A, PrType.WRITE_EXCLUSIVE)));
        reservationConflict(b, 7);
        long generation = await(b.readReservationKeys()).generation();
        await(b.persistentReserveOut(PrOut.preempt(KEY_B, KEY_A, PrType.WRITE_EXCLUSIVE)));
        PrKeys keys = await(b.readReservationKeys());
        assertEquals(List.of(KEY_B), keys.keys(), "A's registration is gone");
        assertTrue(keys.generation() > generation, "PRGENERATION moved on: " + generation + " -> " + keys.generation());
        PersistentReservation held = await(a.readReservation()).orElseThrow(() -> new AssertionError("no reservation after PREEMPT"));
        assertEquals(KEY_B, held.key());
        assertEquals(PrType.WRITE_EXCLUSIVE, held.type());
        reservationConflict(a, 8);
        await(b.write(8, ByteBuffer.wrap(random(BLOCK, 3))));
    }
}
