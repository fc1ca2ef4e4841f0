package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kiscsi.scsi.Hex.bytes;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.PrOut;
import org.kiscsi.api.scsi.PrType;

/** Every SPC-4 CDB and parameter list byte for byte, from the standard's field tables and libiscsi's CDBs to tgtd. */
class PrimaryCdbsTest {
    @Test
    void testUnitReadyIsSixZeros() {
        assertArrayEquals(bytes("00 00 00 00 00 00"), PrimaryCdbs.testUnitReady());
    }

    @Test
    void inquiryHasEvpdInByte1PageInByte2AndAllocationLengthInBytes3To4() {
        // SPC-4: 0 12h | 1 EVPD(bit 0) | 2 page code | 3..4 allocation length | 5 control
        assertArrayEquals(bytes("12 00 00 0040 00"), PrimaryCdbs.inquiry(64)); // libiscsi's
        assertArrayEquals(bytes("12 01 83 004C 00"), PrimaryCdbs.inquiryVpd(0x83, 0x4C)); // libiscsi's second try
        assertArrayEquals(bytes("12 01 B0 FFFF 00"), PrimaryCdbs.inquiryVpd(0xB0, 0xFFFF));
        assertThrows(IllegalArgumentException.class, () -> PrimaryCdbs.inquiry(0x10000));
        assertThrows(IllegalArgumentException.class, () -> PrimaryCdbs.inquiryVpd(0x100, 255));
    }

    @Test
    void reportLunsHasSelectReportInByte2AndAllocationLengthInBytes6To9() {
        // SPC-4: 0 A0h | 2 select report | 6..9 allocation length | 11 control
        assertArrayEquals(bytes("A0 00 00 000000 00001000 00 00"), PrimaryCdbs.reportLuns(0, 4096)); // libiscsi's
        assertArrayEquals(bytes("A0 00 02 000000 00100000 00 00"), PrimaryCdbs.reportLuns(2, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> PrimaryCdbs.reportLuns(0, 15));
    }

    @Test
    void modeSense6HasDbdPcPageSubpageAndOneByteAllocationLength() {
        // SPC-4: 0 1Ah | 1 DBD(bit 3) | 2 PC(7-6) page code(5-0) | 3 subpage | 4 allocation length | 5 control
        assertArrayEquals(bytes("1A 00 3F 00 FF 00"), PrimaryCdbs.modeSense6(false, 0, 0x3F, 0, 255)); // libiscsi's
        assertArrayEquals(bytes("1A 08 48 01 10 00"), PrimaryCdbs.modeSense6(true, 1, 0x08, 1, 16));
        assertThrows(IllegalArgumentException.class, () -> PrimaryCdbs.modeSense6(false, 4, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> PrimaryCdbs.modeSense6(false, 0, 0x40, 0, 1));
    }

    @Test
    void modeSense10HasLlbaaDbdAndTwoByteAllocationLengthInBytes7To8() {
        // SPC-4: 0 5Ah | 1 LLBAA(bit 4) DBD(bit 3) | 2 PC/page | 3 subpage | 4..6 reserved | 7..8 alloc | 9 control
        assertArrayEquals(bytes("5A 00 0A 00 000000 0400 00"), PrimaryCdbs.modeSense10(false, false, 0, 0x0A, 0, 1024));
        assertArrayEquals(bytes("5A 18 FF FF 000000 FFFF 00"), PrimaryCdbs.modeSense10(true, true, 3, 0x3F, 0xFF, 0xFFFF));
    }

    @Test
    void persistentReserveInHasServiceActionInByte1AndAllocationLengthInBytes7To8() {
        // SPC-4: 0 5Eh | 1 service action(4-0) | 7..8 allocation length | 9 control
        assertArrayEquals(bytes("5E 00 0000000000 0040 00"), PrimaryCdbs.persistentReserveIn(0, 64)); // libiscsi's READ KEYS
        assertArrayEquals(bytes("5E 01 0000000000 0040 00"), PrimaryCdbs.persistentReserveIn(1, 64)); // READ RESERVATION
    }

    @Test
    void persistentReserveOutHasActionScopeTypeAndParameterListLengthInBytes5To8() {
        // SPC-4: 0 5Fh | 1 service action(4-0) | 2 scope(7-4) type(3-0) | 5..8 parameter list length | 9 control
        assertArrayEquals(bytes("5F 06 00 0000 00000018 00"), PrimaryCdbs.persistentReserveOut(
                PrOut.registerAndIgnoreExistingKey(0x7836d81eL))); // libiscsi's
        assertArrayEquals(bytes("5F 01 01 0000 00000018 00"), PrimaryCdbs.persistentReserveOut(
                PrOut.reserve(0x7836d81eL, PrType.WRITE_EXCLUSIVE))); // libiscsi's
        assertArrayEquals(bytes("5F 02 01 0000 00000018 00"), PrimaryCdbs.persistentReserveOut(
                PrOut.release(0x7836d81eL, PrType.WRITE_EXCLUSIVE))); // libiscsi's
        assertArrayEquals(bytes("5F 00 00 0000 00000018 00"), PrimaryCdbs.persistentReserveOut(PrOut.register(1, 0))); // libiscsi's
        assertArrayEquals(bytes("5F 03 00 0000 00000018 00"), PrimaryCdbs.persistentReserveOut(PrOut.clear(1)));
        assertArrayEquals(bytes("5F 04 08 0000 00000018 00"), PrimaryCdbs.persistentReserveOut(
                PrOut.preempt(1, 2, PrType.EXCLUSIVE_ACCESS_ALL_REGISTRANTS)));
        assertArrayEquals(bytes("5F 05 06 0000 00000018 00"), PrimaryCdbs.persistentReserveOut(
                PrOut.preemptAndAbort(1, 2, PrType.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY)));
    }

    @Test
    void persistentReserveOutParametersCarryBothKeysAndAptpl() {
        // SPC-4: 0..7 reservation key | 8..15 service action reservation key | 16..19 obsolete |
        // 20 SPEC_I_PT(3) ALL_TG_PT(2) APTPL(0) | 21 reserved | 22..23 obsolete
        assertArrayEquals(bytes("0000000000000000 000000007836d81e 00000000 00 00 0000"), // libiscsi's REGISTER AND IGNORE
                PrimaryCdbs.persistentReserveOutParameters(PrOut.registerAndIgnoreExistingKey(0x7836d81eL)));
        assertArrayEquals(bytes("000000007836d81e 0000000000000000 00000000 00 00 0000"), // libiscsi's RESERVE
                PrimaryCdbs.persistentReserveOutParameters(PrOut.reserve(0x7836d81eL, PrType.WRITE_EXCLUSIVE)));
        assertArrayEquals(bytes("0102030405060708 1112131415161718 00000000 01 00 0000"),
                PrimaryCdbs.persistentReserveOutParameters(new PrOut(PrOut.Action.REGISTER, 0x0102030405060708L,
                        0x1112131415161718L, null, true)));
    }

    @Test
    void reservingWithoutTypeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PrOut(PrOut.Action.RESERVE, 1, 0, null, false));
    }
}
