package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kiscsi.scsi.Hex.bytes;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.PersistentReservation;
import org.kiscsi.api.scsi.PrKeys;
import org.kiscsi.api.scsi.PrType;

class PersistentReserveParserTest {
    @Test
    void readKeysOfTgtd() {
        assertEquals(new PrKeys(4, List.of()), PersistentReserveParser.readKeys(TgtdReplies.PR_KEYS_NONE));
    }

    @Test
    void readKeysFromTheStandardsLayout() {
        // 0..3 PRGENERATION | 4..7 additional length | 8-byte keys
        byte[] d = bytes("fffffffe 00000010 0000000000000001 8000000000000002");
        assertEquals(new PrKeys(0xFFFF_FFFEL, List.of(1L, 0x8000000000000002L)), PersistentReserveParser.readKeys(d));
        assertEquals(24, PersistentReserveParser.totalLength(d));
        // a list longer than what came: the keys that came
        assertEquals(List.of(1L), PersistentReserveParser.readKeys(bytes("00000001 00000010 0000000000000001")).keys());
    }

    @Test
    void readReservationOfTgtd() {
        assertEquals(Optional.of(new PersistentReservation(2, 0x7836d81eL, PrType.WRITE_EXCLUSIVE, 0)),
                PersistentReserveParser.readReservation(TgtdReplies.PR_RESERVATION));
    }

    @Test
    void readReservationWithoutReservationOrWithUnknownType() {
        assertEquals(Optional.empty(), PersistentReserveParser.readReservation(bytes("00000003 00000000")));
        // 21: scope(7-4) type(3-0) = 0x06: exclusive access, registrants only
        assertEquals(PrType.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY, PersistentReserveParser.readReservation(
                bytes("00000001 00000010 0000000000000009 00000000 00 06 0000")).orElseThrow().type());
        assertThrows(IllegalArgumentException.class, () -> PersistentReserveParser.readReservation(
                bytes("00000001 00000010 0000000000000009 00000000 00 02 0000")));
    }
}
