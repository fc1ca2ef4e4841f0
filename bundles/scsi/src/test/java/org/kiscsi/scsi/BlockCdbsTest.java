package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.Hex.bytes;

import org.junit.jupiter.api.Test;

/**
 * Every SBC-3 CDB byte for byte. Expected bytes are written from the standard's field tables (byte,
 * bit) — not from the builder — and, where noted, are the CDBs libiscsi 1.19 sent to tgtd.
 */
class BlockCdbsTest {
    @Test
    void read10PutsLbaInBytes2To5AndLengthInBytes7To8() {
        // SBC-3: 0 opcode 28h | 1 RDPROTECT DPO FUA RARC | 2..5 LBA | 6 group | 7..8 length | 9 control
        assertArrayEquals(bytes("28 00 12345678 00 0102 00"), BlockCdbs.read10(0x12345678L, 0x0102, false));
        assertArrayEquals(bytes("28 08 00000000 00 0001 00"), BlockCdbs.read10(0, 1, true));
        // libiscsi's READ(10) of LBA 1, 1 block to tgtd
        assertArrayEquals(bytes("28000000000100000100"), BlockCdbs.read10(1, 1, false));
    }

    @Test
    void write10SetsFuaInByte1Bit3() {
        // SBC-3: 0 opcode 2Ah | 1 WRPROTECT DPO FUA (bit 3) | 2..5 LBA | 7..8 length
        assertArrayEquals(bytes("2A 08 FFFFFFFF 00 FFFF 00"), BlockCdbs.write10(0xFFFF_FFFFL, 0xFFFF, true));
        assertArrayEquals(bytes("2A 00 00000010 00 0008 00"), BlockCdbs.write10(16, 8, false));
    }

    @Test
    void read16AndWrite16PutLbaInBytes2To9AndLengthInBytes10To13() {
        // SBC-3: 0 opcode | 1 flags | 2..9 LBA | 10..13 length | 14 group | 15 control
        assertArrayEquals(bytes("88 00 0000000000020000 00000001 00 00"), BlockCdbs.read16(0x20000, 1, false)); // libiscsi's
        assertArrayEquals(bytes("8A 08 0123456789ABCDEF 00010000 00 00"), BlockCdbs.write16(0x0123456789ABCDEFL, 0x10000, true));
        assertArrayEquals(bytes("88 08 0000000100000000 FFFFFFFF 00 00"), BlockCdbs.read16(1L << 32, 0xFFFF_FFFFL, true));
    }

    @Test
    void tenByteFormIsUsedUpToLba2Pow32Minus1And65535Blocks() {
        assertTrue(BlockCdbs.fits10(0xFFFF_FFFFL, 65535));
        assertFalse(BlockCdbs.fits10(0x1_0000_0000L, 1));
        assertFalse(BlockCdbs.fits10(0, 65536));
        assertEquals(10, BlockCdbs.read(0xFFFF_FFFFL, 1, false).length);
        assertEquals(0x28, BlockCdbs.read(0xFFFF_FFFFL, 65535, false)[0] & 0xFF);
        assertEquals(0x88, BlockCdbs.read(0x1_0000_0000L, 1, false)[0] & 0xFF);
        assertEquals(0x88, BlockCdbs.read(0, 65536, false)[0] & 0xFF);
        assertEquals(0x2A, BlockCdbs.write(0xFFFF_FFFFL, 65535, true)[0] & 0xFF);
        assertEquals(0x8A, BlockCdbs.write(0x1_0000_0000L, 65535, true)[0] & 0xFF);
        assertEquals(0x8A, BlockCdbs.write(0, 65536, false)[0] & 0xFF);
        assertArrayEquals(bytes("8A 08 0000000000000000 00010000 00 00"), BlockCdbs.write(0, 65536, true));
    }

    @Test
    void outOfRangeFieldsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BlockCdbs.read10(0x1_0000_0000L, 1, false));
        assertThrows(IllegalArgumentException.class, () -> BlockCdbs.read10(0, 0x10000, false));
        assertThrows(IllegalArgumentException.class, () -> BlockCdbs.read10(0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> BlockCdbs.read16(-1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> BlockCdbs.write16(0, 0x1_0000_0000L, false));
        assertThrows(IllegalArgumentException.class, () -> BlockCdbs.writeSame16(0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> BlockCdbs.compareAndWrite(0, 256, false));
    }

    @Test
    void readCapacity10IsTenBytesWithOnlyTheOpcode() {
        // SBC-3: 0 opcode 25h | 2..5 obsolete LBA | 8 PMI (obsolete) | 9 control
        assertArrayEquals(bytes("25 00 00000000 0000 00 00"), BlockCdbs.readCapacity10());
    }

    @Test
    void readCapacity16IsServiceActionInWithAllocationLengthInBytes10To13() {
        // SBC-3: 0 opcode 9Eh | 1 service action 10h | 2..9 obsolete | 10..13 allocation length | 14 PMI
        assertArrayEquals(bytes("9E 10 0000000000000000 00000020 00 00"), BlockCdbs.readCapacity16(32)); // libiscsi's
    }

    @Test
    void synchronizeCacheChoosesTenOrSixteenAndSetsImmedInByte1Bit1() {
        // SBC-3: 0 35h | 1 SYNC_NV IMMED(bit 1) | 2..5 LBA | 6 group | 7..8 blocks | 9 control
        assertArrayEquals(bytes("35 00 00000000 00 0000 00"), BlockCdbs.synchronizeCache10(0, 0, false));
        assertArrayEquals(bytes("35 02 00001000 00 0010 00"), BlockCdbs.synchronizeCache10(0x1000, 16, true));
        // SBC-3: 0 91h | 1 IMMED(bit 1) | 2..9 LBA | 10..13 blocks | 14 group | 15 control
        assertArrayEquals(bytes("91 02 0000000200000000 00000001 00 00"), BlockCdbs.synchronizeCache16(1L << 33, 1, true));
        assertEquals(0x35, BlockCdbs.synchronizeCache(0xFFFF_FFFFL, 0xFFFF)[0] & 0xFF);
        assertArrayEquals(bytes("91 00 0000000100000000 00000000 00 00"), BlockCdbs.synchronizeCache(1L << 32, 0));
    }

    @Test
    void unmapHasAnchorInByte1AndParameterListLengthInBytes7To8() {
        // SBC-3: 0 42h | 1 ANCHOR(bit 0) | 6 group | 7..8 parameter list length | 9 control
        assertArrayEquals(bytes("42 00 00000000 00 0018 00"), BlockCdbs.unmap(24, false)); // libiscsi's
        assertArrayEquals(bytes("42 01 00000000 00 FFFF 00"), BlockCdbs.unmap(0xFFFF, true));
    }

    @Test
    void writeSame16HasUnmapInByte1Bit3() {
        // SBC-3: 0 93h | 1 WRPROTECT ANCHOR(4) UNMAP(3) obsolete NDOB(0) | 2..9 LBA | 10..13 blocks
        assertArrayEquals(bytes("93 00 0000000000000400 00000800 00 00"), BlockCdbs.writeSame16(0x400, 0x800, false));
        assertArrayEquals(bytes("93 08 0000000000000000 FFFFFFFF 00 00"), BlockCdbs.writeSame16(0, 0xFFFF_FFFFL, true));
    }

    @Test
    void compareAndWriteHasNumberOfBlocksInByte13() {
        // SBC-3: 0 89h | 1 WRPROTECT DPO FUA(3) FUA_NV | 2..9 LBA | 10..12 reserved | 13 blocks | 14 group
        assertArrayEquals(bytes("89 00 0000000000000000 000000 01 00 00"), BlockCdbs.compareAndWrite(0, 1, false)); // libiscsi's
        assertArrayEquals(bytes("89 08 00000000DEADBEEF 000000 FF 00 00"), BlockCdbs.compareAndWrite(0xDEADBEEFL, 255, true));
    }

    @Test
    void unmapParameterListHasHeaderAndSixteenByteDescriptors() {
        // SBC-3: 0..1 data length (n-1) | 2..3 descriptor data length (n-7) | 4..7 reserved;
        // descriptor: 0..7 LBA | 8..11 blocks | 12..15 reserved
        assertArrayEquals(bytes("0016 0010 00000000 0000000000000000 00000001 00000000"), // libiscsi's UNMAP of LBA 0
                UnmapParameters.of(java.util.List.of(new org.kiscsi.api.scsi.UnmapRange(0, 1))));
        assertArrayEquals(bytes("0026 0020 00000000 0000000000000010 00000008 00000000 0000000100000000 FFFFFFFF 00000000"),
                UnmapParameters.of(java.util.List.of(new org.kiscsi.api.scsi.UnmapRange(16, 8),
                        new org.kiscsi.api.scsi.UnmapRange(1L << 32, 0xFFFF_FFFFL))));
        assertThrows(IllegalArgumentException.class, () -> UnmapParameters.of(java.util.List.of()));
    }
}
