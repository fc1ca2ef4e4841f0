package org.kiscsi.api.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class SenseDecodeTest {
    // Real sense of tgtd (tgt 1.0.85) to libiscsi 1.19's tools, from a loopback capture, without the 2-byte length prefix.
    private static final byte[] TGTD_POWER_ON_RESET = bytes("700006000000000a00000000290000000000");
    private static final byte[] TGTD_LBA_OUT_OF_RANGE = bytes("700005000000000a00000000210000000000");
    /** Answer to COMPARE AND WRITE, which tgtd does not implement. */
    private static final byte[] TGTD_INVALID_OPCODE = bytes("700005000000000a00000000200000000000");

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static Sense decode(byte[] b) {
        return Sense.decode(b).orElseThrow();
    }

    @Test
    void tgtdUnitAttentionAfterLogin() {
        Sense s = decode(TGTD_POWER_ON_RESET);
        assertEquals(SenseKey.UNIT_ATTENTION, s.key());
        assertTrue(s.isUnitAttention());
        assertTrue(s.is(0x29, 0x00));
        assertTrue(s.current());
        assertFalse(s.descriptorFormat());
        assertEquals(OptionalLong.empty(), s.information());
        assertEquals("UNIT ATTENTION: POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (ASC 0x29 ASCQ 0x00)", s.text());
    }

    @Test
    void tgtdReadBeyondTheEnd() {
        assertEquals("ILLEGAL REQUEST: LOGICAL BLOCK ADDRESS OUT OF RANGE (ASC 0x21 ASCQ 0x00)",
                decode(TGTD_LBA_OUT_OF_RANGE).text());
        assertEquals("ILLEGAL REQUEST: INVALID COMMAND OPERATION CODE (ASC 0x20 ASCQ 0x00)",
                decode(TGTD_INVALID_OPCODE).text());
    }

    @Test
    void fixedFormatWithInformationAndFieldPointer() {
        // 0 VALID(7) 70h | 2 key 5 | 3..6 information | 7 additional length 10 | 12 ASC 24h | 13 ASCQ 0 |
        // 15 SKSV(7) C/D(6) BPV(3) bit pointer(2-0)=3 | 16..17 field pointer 1
        Sense s = decode(bytes("f0 00 05 00001234 0a 00000000 24 00 00 cb 0001"));
        assertEquals(OptionalLong.of(0x1234), s.information());
        assertEquals(OptionalInt.of(0xcb0001), s.senseKeySpecific());
        assertEquals("ILLEGAL REQUEST: INVALID FIELD IN CDB (ASC 0x24 ASCQ 0x00), CDB byte 1 bit 3, information 0x1234",
                s.text());
        // C/D = 0: in the parameter list, no bit pointer
        assertTrue(decode(bytes("70 00 05 00000000 0a 00000000 26 00 00 80 0010")).text()
                .endsWith("INVALID FIELD IN PARAMETER LIST (ASC 0x26 ASCQ 0x00), parameter data byte 16"));
    }

    @Test
    void deferredErrorAndProgressIndication() {
        Sense s = decode(bytes("71 00 03 00000000 0a 00000000 11 00 00 00 0000"));
        assertFalse(s.current());
        assertEquals("MEDIUM ERROR: UNRECOVERED READ ERROR (ASC 0x11 ASCQ 0x00), deferred", s.text());
        assertEquals("NOT READY: LOGICAL UNIT NOT READY, FORMAT IN PROGRESS (ASC 0x04 ASCQ 0x04), progress 50%",
                decode(bytes("70 00 02 00000000 0a 00000000 04 04 00 80 8000")).text());
    }

    @Test
    void fieldsBeyondTheAdditionalLengthAreIgnored() {
        // additional length 4: ASC/ASCQ (bytes 12-13) are not there even though bytes came
        Sense s = decode(bytes("70 00 06 00000000 04 00000000 2a 09 00 00 0000"));
        assertEquals(SenseKey.UNIT_ATTENTION, s.key());
        assertTrue(s.is(0, 0));
        assertEquals(SenseKey.NOT_READY, decode(bytes("70 00 02")).key());
    }

    @Test
    void descriptorFormatWithInformationAndSenseKeySpecificDescriptors() {
        // 0 72h | 1 key 0Eh | 2 ASC 1Dh | 3 ASCQ 0 | 7 additional length 20 |
        // information descriptor: 0 type 00h | 1 length 0Ah | 2 VALID(7) | 4..11 information;
        // sense key specific descriptor: 0 type 02h | 1 length 06h | 4 SKSV(7) | 4..6 bytes
        Sense s = decode(bytes("72 0e 1d 00 000000 14 00 0a 80 00 0000000000000200 02 06 0000 c00002 00"));
        assertTrue(s.descriptorFormat());
        assertEquals(SenseKey.MISCOMPARE, s.key());
        assertEquals(OptionalLong.of(0x200), s.information());
        assertEquals(OptionalInt.of(0xc00002), s.senseKeySpecific());
        assertEquals("MISCOMPARE: MISCOMPARE DURING VERIFY OPERATION (ASC 0x1D ASCQ 0x00), information 0x200", s.text());
    }

    @Test
    void descriptorFormatUnitAttentionsAndTruncatedDescriptors() {
        Sense s = decode(bytes("72 06 2a 09 000000 00"));
        assertTrue(s.is(0x2A, 0x09));
        assertEquals("UNIT ATTENTION: CAPACITY DATA HAS CHANGED (ASC 0x2A ASCQ 0x09)", s.text());
        assertEquals("UNIT ATTENTION: REPORTED LUNS DATA HAS CHANGED (ASC 0x3F ASCQ 0x0E), deferred",
                decode(bytes("73 06 3f 0e 000000 00")).text());
        // an information descriptor cut off by the additional length, and one whose VALID bit is clear
        assertEquals(OptionalLong.empty(), decode(bytes("72 03 11 00 000000 06 00 0a 80 00 00000000")).information());
        assertEquals(OptionalLong.empty(), decode(bytes("72 03 11 00 000000 0c 00 0a 00 00 0000000000000001")).information());
    }

    @Test
    void unknownCodesAndUndecodableSense() {
        assertEquals("HARDWARE ERROR: ASC 0x5D ASCQ 0x7F", decode(bytes("72 04 5d 7f 000000 00")).text());
        assertEquals("HARDWARE ERROR: DIAGNOSTIC FAILURE ON COMPONENT 0x12 (ASC 0x40 ASCQ 0x12)",
                decode(bytes("72 04 40 12 000000 00")).text());
        assertEquals(Optional.empty(), Sense.decode(bytes("7f 00 05")));
        assertEquals(Optional.empty(), Sense.decode(new byte[0]));
        assertEquals(Optional.empty(), Sense.decode(bytes("70 00")));
        assertEquals(Optional.empty(), Sense.decode(null));
    }

    @Test
    void ascTableHasTheCodesInitiatorsActOn() {
        assertEquals("POWER ON, RESET, OR BUS DEVICE RESET OCCURRED", AscTable.describe(0x29, 0x00));
        assertEquals("CAPACITY DATA HAS CHANGED", AscTable.describe(0x2A, 0x09));
        assertEquals("REPORTED LUNS DATA HAS CHANGED", AscTable.describe(0x3F, 0x0E));
        assertEquals("RESERVATIONS PREEMPTED", AscTable.describe(0x2A, 0x03));
        assertEquals("LOGICAL BLOCK ADDRESS OUT OF RANGE", AscTable.describe(0x21, 0x00));
        assertEquals("INVALID FIELD IN CDB", AscTable.describe(0x24, 0x00));
        assertEquals("INVALID COMMAND OPERATION CODE", AscTable.describe(0x20, 0x00));
        assertEquals("UNRECOVERED READ ERROR", AscTable.describe(0x11, 0x00));
        assertEquals("WRITE ERROR", AscTable.describe(0x0C, 0x00));
        assertEquals("WRITE PROTECTED", AscTable.describe(0x27, 0x00));
        assertEquals("MISCOMPARE DURING VERIFY OPERATION", AscTable.describe(0x1D, 0x00));
        assertEquals("LOGICAL UNIT IS IN PROCESS OF BECOMING READY", AscTable.describe(0x04, 0x01));
        assertEquals("LOGICAL UNIT NOT SUPPORTED", AscTable.describe(0x25, 0x00));
        assertEquals("THIN PROVISIONING SOFT THRESHOLD REACHED", AscTable.describe(0x38, 0x07));
        assertEquals("SPACE ALLOCATION FAILED WRITE PROTECT", AscTable.describe(0x27, 0x07));
        assertEquals("ASC 0x04 ASCQ 0xFE", AscTable.describe(0x04, 0xFE));
        assertTrue(AscTable.knows(0x2A, 0x09));
        assertFalse(AscTable.knows(0x2A, 0x7F));
    }

    @Test
    void rescanReasonsReadBackAsCodes() {
        assertEquals(OptionalInt.of(0x3F0E), Sense.ascAscqOf("REPORTED LUNS DATA HAS CHANGED"));
        assertEquals(OptionalInt.of(0x2A09), Sense.ascAscqOf("CAPACITY DATA HAS CHANGED"));
        assertEquals(OptionalInt.empty(), Sense.ascAscqOf("SOMETHING CHANGED"));
        assertFalse(decode(TGTD_LBA_OUT_OF_RANGE).isUnitAttention());
    }
}
