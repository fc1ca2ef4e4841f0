package org.kiscsi.scsi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.kiscsi.api.scsi.PersistentReservation;
import org.kiscsi.api.scsi.PrKeys;
import org.kiscsi.api.scsi.PrType;

/** Parses PERSISTENT RESERVE IN parameter data (SPC-4). */
public final class PersistentReserveParser {
    /** First allocation length for READ KEYS (125 keys); a longer list is asked for again at its length. */
    public static final int READ_KEYS_ALLOCATION_LENGTH = 1008;
    /** READ RESERVATION data is at most 24 bytes. */
    public static final int READ_RESERVATION_ALLOCATION_LENGTH = 24;

    private PersistentReserveParser() {
    }

    /** The whole data's length as the header says: 8 + ADDITIONAL LENGTH (bytes 4-7). */
    public static long totalLength(byte[] data) {
        Bytes.require(data, 8, "PERSISTENT RESERVE IN data");
        return 8 + Bytes.u32(data, 4);
    }

    /** READ KEYS: PRGENERATION bytes 0-3, ADDITIONAL LENGTH bytes 4-7, 8-byte keys from byte 8. */
    public static PrKeys readKeys(byte[] data) {
        long end = Math.min(totalLength(data), data.length);
        List<Long> keys = new ArrayList<>();
        for (int at = 8; at + 8 <= end; at += 8) {
            keys.add(Bytes.u64(data, at));
        }
        return new PrKeys(Bytes.u32(data, 0), keys);
    }

    /**
     * READ RESERVATION: PRGENERATION bytes 0-3, ADDITIONAL LENGTH bytes 4-7 (0 when no reservation, else
     * 0x10), RESERVATION KEY bytes 8-15, SCOPE byte 21 bits 7-4, TYPE byte 21 bits 3-0.
     */
    public static Optional<PersistentReservation> readReservation(byte[] data) {
        long additional = totalLength(data) - 8;
        if (additional == 0) {
            return Optional.empty();
        }
        Bytes.require(data, 22, "READ RESERVATION data with a reservation");
        int b21 = Bytes.u8(data, 21);
        return Optional.of(new PersistentReservation(Bytes.u32(data, 0), Bytes.u64(data, 8), PrType.of(b21 & 0x0F),
                b21 >> 4));
    }
}
