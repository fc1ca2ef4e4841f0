package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.Hex.bytes;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.Capacity;

class CapacityParserTest {
    @Test
    void readCapacity16OfTgtdThinDisk() {
        // what iscsi-readcapacity16 printed: LBA 131071 x 512, LBPPBE 3, LBPME 1, LBPRZ 1
        Capacity c = CapacityParser.parse16(TgtdReplies.READ_CAPACITY_16_DISK);
        assertEquals(131072, c.blockCount());
        assertEquals(512, c.blockSize());
        assertEquals(67108864, c.bytes());
        assertEquals(3, c.physicalBlockExponent());
        assertEquals(4096, c.physicalBlockSize());
        assertTrue(c.provisioningEnabled());
        assertTrue(c.readsZeros());
        assertEquals(0, c.lowestAlignedLba());
        assertEquals(0, c.protectionType());
    }

    @Test
    void readCapacity16OfTgtdNullDisk() {
        Capacity c = CapacityParser.parse16(TgtdReplies.READ_CAPACITY_16_NULL);
        assertEquals(1099511627776L, c.bytes());
        assertFalse(c.provisioningEnabled());
    }

    @Test
    void readCapacity16FieldsFromTheStandardsLayout() {
        // 0..7 last LBA | 8..11 block length | 12 P_TYPE(3-1)=1 PROT_EN(0)=1 | 13 P_I_EXPONENT(7-4) LBPPBE(3-0)=2 |
        // 14 LBPME(7)=1 LBPRZ(6)=0 lowest aligned LBA(5-0) | 15 lowest aligned LBA
        Capacity c = CapacityParser.parse16(bytes("00000001ffffffff 00001000 03 12 812a" + "00".repeat(16)));
        assertEquals(0x2_0000_0000L, c.blockCount());
        assertEquals(4096, c.blockSize());
        assertEquals(2, c.protectionType());
        assertEquals(2, c.physicalBlockExponent());
        assertTrue(c.provisioningEnabled());
        assertFalse(c.readsZeros());
        assertEquals(0x12a, c.lowestAlignedLba());
    }

    @Test
    void readCapacity16OfTwelveBytesLeavesTheRestUnreported() {
        Capacity c = CapacityParser.parse16(bytes("00000000000003ff 00000200"));
        assertEquals(Capacity.of(1024, 512), c);
        assertThrows(IllegalArgumentException.class, () -> CapacityParser.parse16(bytes("0000000000000003ff")));
    }

    @Test
    void readCapacity10() {
        assertEquals(Capacity.of(131072, 512), CapacityParser.parse10(TgtdReplies.READ_CAPACITY_10_DISK));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CapacityParser.parse10(bytes("ffffffff 00000200")));
        assertTrue(e.getMessage().contains("READ CAPACITY(16)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CapacityParser.parse10(bytes("00000010 00000000")));
    }
}
