package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.Hex.bytes;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.StandardInquiry;

class InquiryParserTest {
    @Test
    void tgtdDiskAsIscsiInqPrintsIt() {
        // iscsi-inq: IET / VIRTUAL-DISK / 0001, SPC-3, CmdQue 1
        StandardInquiry i = InquiryParser.parse(TgtdReplies.INQUIRY_DISK);
        assertEquals(0, i.peripheralQualifier());
        assertEquals(StandardInquiry.TYPE_DIRECT_ACCESS, i.deviceType());
        assertEquals("IET", i.vendor());
        assertEquals("VIRTUAL-DISK", i.product());
        assertEquals("0001", i.revision());
        assertEquals(5, i.version());
        assertEquals("SPC-3", i.versionName());
        assertEquals(2, i.responseDataFormat());
        assertTrue(i.hierarchicalSupport());
        assertTrue(i.commandQueuing());
        assertFalse(i.removable());
        assertEquals(List.of(0x04c0, 0x0960, 0x0300), i.versionDescriptors());
    }

    @Test
    void tgtdControllerLun() {
        StandardInquiry i = InquiryParser.parse(TgtdReplies.INQUIRY_CONTROLLER);
        assertEquals(StandardInquiry.TYPE_STORAGE_ARRAY_CONTROLLER, i.deviceType());
        assertEquals("storage array controller", i.deviceTypeName());
        assertEquals("Controller", i.product());
    }

    @Test
    void everyFlagFromTheStandardsLayout() {
        // 0 qualifier 1, type 05h | 1 RMB | 2 version 6 | 3 NORMACA(5) HISUP(4) format 2 | 4 additional length 31 |
        // 5 SCCS(7) TPGS(5-4)=3 3PC(3) PROTECT(0) | 6 ENCSERV(6) MULTIP(4) | 7 CMDQUE(1) | 8..35 ids
        byte[] d = bytes("25 80 06 32 1f b9 50 02" + "4b495343534920204d454d4f52592d4449534b202020202020202030303031");
        StandardInquiry i = InquiryParser.parse(d);
        assertEquals(1, i.peripheralQualifier());
        assertEquals(5, i.deviceType());
        assertTrue(i.removable());
        assertEquals("SPC-4", i.versionName());
        assertTrue(i.normalAca());
        assertTrue(i.sccs());
        assertEquals(3, i.tpgs());
        assertTrue(i.thirdPartyCopy());
        assertTrue(i.protect());
        assertTrue(i.enclosureServices());
        assertTrue(i.multiPort());
        assertTrue(i.commandQueuing());
        assertEquals("KISCSI", i.vendor());
        assertEquals("MEMORY-DISK", i.product());
        assertEquals(List.of(), i.versionDescriptors());
        assertThrows(IllegalArgumentException.class, () -> InquiryParser.parse(bytes("0000051200")));
    }
}
