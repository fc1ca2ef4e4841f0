package org.kiscsi.api.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;

/** Sense text and the SCSI exceptions: what a person reads when a command fails. */
class ScsiErrorsTest {
    private static Sense sense(SenseKey key, int asc, int ascq, String text) {
        return new Sense(0x70, key, asc, ascq, text, OptionalLong.empty(), OptionalInt.empty());
    }

    @Test
    void senseKeysByCode() {
        assertEquals(SenseKey.UNIT_ATTENTION, SenseKey.of(6));
        assertEquals(SenseKey.MISCOMPARE, SenseKey.of(0xE));
        assertEquals(SenseKey.ILLEGAL_REQUEST, SenseKey.of(0xF5), "only the low four bits count");
        assertEquals("ABORTED COMMAND", SenseKey.ABORTED_COMMAND.text());
    }

    @Test
    void senseTextNamesKeyAndCodesAndOmitsRepeatedCodes() {
        assertEquals("NOT READY: LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE (ASC 0x04 ASCQ 0x00)",
                sense(SenseKey.NOT_READY, 4, 0, "LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE").text());
        assertEquals("ABORTED COMMAND: ASC 0x47 ASCQ 0x7E", sense(SenseKey.ABORTED_COMMAND, 0x47, 0x7E, "ASC 0x47 ASCQ 0x7E").text());
        Sense withSks = new Sense(0x72, SenseKey.ILLEGAL_REQUEST, 0x24, 0, "INVALID FIELD IN CDB", OptionalLong.of(9),
                OptionalInt.of(0xC00002));
        assertEquals("ILLEGAL REQUEST: INVALID FIELD IN CDB (ASC 0x24 ASCQ 0x00), CDB byte 2, information 0x9", withSks.text());
        assertTrue(withSks.descriptorFormat());
        assertTrue(withSks.current());
        assertTrue(withSks.toString().contains("INVALID FIELD IN CDB"));
    }

    @Test
    void checkConditionMessageCarriesTheSenseAndItsErrorFollowsTheKey() {
        CheckConditionException e = new CheckConditionException("session 2 LUN 1: WRITE(10) LBA 0x0, 1 block",
                sense(SenseKey.DATA_PROTECT, 0x27, 0, "WRITE PROTECTED"), 0x2A, 1);
        assertEquals("session 2 LUN 1: WRITE(10) LBA 0x0, 1 block: CHECK CONDITION, DATA PROTECT: WRITE PROTECTED"
                + " (ASC 0x27 ASCQ 0x00)", e.getMessage());
        assertEquals(IscsiError.ACCESS, e.error());
        assertEquals(ScsiResult.CHECK_CONDITION, e.status());
        assertEquals(0x2A, e.opcode());
        assertEquals(1, e.lun());
        assertEquals(IscsiError.INVAL, new CheckConditionException("x", sense(SenseKey.ILLEGAL_REQUEST, 0x24, 0, "t"), 0, 0).error());
        assertEquals(IscsiError.AGAIN, new CheckConditionException("x", sense(SenseKey.UNIT_ATTENTION, 0x29, 0, "t"), 0, 0).error());
        assertEquals(IscsiError.GENERIC, new CheckConditionException("x", sense(SenseKey.MEDIUM_ERROR, 0x11, 0, "t"), 0, 0).error());
    }

    @Test
    void otherStatusesAreNamedAndClassified() {
        ScsiStatusException busy = new ScsiStatusException("LUN 1: READ(10) LBA 0x0, 8 blocks", ScsiResult.BUSY, 0x28, 1);
        assertEquals("LUN 1: READ(10) LBA 0x0, 8 blocks: BUSY", busy.getMessage());
        assertEquals(IscsiError.BUSY, busy.error());
        assertEquals(IscsiError.ACCESS, new ScsiStatusException("c", ScsiResult.RESERVATION_CONFLICT, 0x2A, 1).error());
        assertEquals(IscsiError.BUSY, new ScsiStatusException("c", ScsiResult.TASK_SET_FULL, 0x2A, 1).error());
        assertEquals("status 0x22", ScsiStatusException.statusName(0x22));
        assertEquals("TASK ABORTED", ScsiStatusException.statusName(0x40));
    }

    @Test
    void valueTypesCheckTheirFields() {
        assertEquals(4096L * 8, Capacity.of(4096, 8).bytes() * 1L);
        assertEquals(-1, Capacity.of(0, 512).lastLba());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Capacity.of(1, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new UnmapRange(0, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new UnmapRange(-1, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> PrType.of(2));
        assertEquals(PrType.EXCLUSIVE_ACCESS, PrType.of(3));
        assertEquals("PrOut[PREEMPT key 0x1 sa-key 0x2 WRITE_EXCLUSIVE]", PrOut.preempt(1, 2, PrType.WRITE_EXCLUSIVE).toString());
        DeviceIdentifier a = new DeviceIdentifier(0, 1, false, 0, DeviceIdentifier.TYPE_EUI64, new byte[] {1, 2});
        assertEquals(new DeviceIdentifier(0, 1, false, 0, 2, new byte[] {1, 2}), a);
        assertEquals("eui.0102", a.text());
        assertFalse(a.equals(new DeviceIdentifier(0, 1, false, 0, 2, new byte[] {1, 3})));
        ModePage p = new ModePage(8, 0, false, new byte[] {4});
        assertEquals(new ModePage(8, 0, false, new byte[] {4}), p);
        assertEquals(0, p.parameter(5));
        assertEquals("SPC-4", new StandardInquiry(0, 0, false, 6, 2, false, false, false, 0, false, false, false, false,
                true, "V", "P", "R", java.util.List.of()).versionName());
    }
}
