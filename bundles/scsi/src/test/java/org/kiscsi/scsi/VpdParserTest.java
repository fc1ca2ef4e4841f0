package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.Hex.bytes;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.BlockLimits;
import org.kiscsi.api.scsi.DeviceIdentifier;
import org.kiscsi.api.scsi.LogicalBlockProvisioning;

class VpdParserTest {
    @Test
    void supportedPagesOfTgtd() {
        assertEquals(List.of(0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2), VpdParser.supportedPages(TgtdReplies.VPD_SUPPORTED));
        assertEquals(10, VpdParser.totalLength(TgtdReplies.VPD_SUPPORTED));
    }

    @Test
    void unitSerialNumberOfTgtdIsTrimmed() {
        assertEquals("beaf11", VpdParser.unitSerialNumber(TgtdReplies.VPD_SERIAL));
    }

    @Test
    void deviceIdentificationOfTgtd() {
        List<DeviceIdentifier> ids = VpdParser.deviceIdentifiers(TgtdReplies.VPD_DEVICE_ID);
        assertEquals(3, ids.size());
        DeviceIdentifier t10 = ids.get(0);
        assertEquals(DeviceIdentifier.TYPE_T10_VENDOR_ID, t10.designatorType());
        assertEquals(DeviceIdentifier.CODE_SET_ASCII, t10.codeSet());
        assertEquals(DeviceIdentifier.ASSOCIATION_LOGICAL_UNIT, t10.association());
        assertEquals("IET     00010001", t10.text());
        assertEquals(36, t10.designator().length);
        assertEquals("naa.3000000100000001", ids.get(1).text());
        assertEquals(DeviceIdentifier.TYPE_NAA, ids.get(1).designatorType());
        assertEquals("naa.60000000000000000e00000000010001", ids.get(2).text());
        assertFalse(ids.get(2).isText());
    }

    @Test
    void deviceIdentificationFieldsFromTheStandardsLayout() {
        // descriptor: 0 protocol id(7-4)=5 iSCSI, code set(3-0)=3 UTF-8 | 1 PIV(7) association(5-4)=1 type(3-0)=8 |
        // 2 reserved | 3 length | designator; then a relative target port (type 4, binary) of port 2,
        // then a descriptor cut off by the page end
        byte[] page = bytes("00 83 0020 53 98 00 08 69716e2e78797a00 01 14 00 04 00000002 01 03 00 10 6000");
        List<DeviceIdentifier> ids = VpdParser.deviceIdentifiers(page);
        assertEquals(2, ids.size());
        DeviceIdentifier name = ids.get(0);
        assertEquals(5, name.protocolIdentifier());
        assertTrue(name.piv());
        assertEquals(DeviceIdentifier.ASSOCIATION_TARGET_PORT, name.association());
        assertEquals("SCSI name string", name.typeName());
        assertEquals("iqn.xyz", name.text());
        assertEquals("2", ids.get(1).text());
        assertEquals("relative target port", ids.get(1).typeName());
    }

    @Test
    void blockLimitsOfTgtdThinDisk() {
        BlockLimits l = VpdParser.blockLimits(TgtdReplies.VPD_BLOCK_LIMITS);
        assertEquals(0x80, l.maxCompareAndWriteLength());
        assertEquals(0, l.maxTransferLength());
        assertEquals(0xFFFF_FFFFL, l.maxUnmapLbaCount());
        assertEquals(0xFFFF_FFFFL, l.maxUnmapDescriptorCount());
        assertEquals(0, l.maxWriteSameLength());
    }

    @Test
    void blockLimitsFieldsFromTheStandardsLayout() {
        // 4 WSNZ(0) | 5 max C&W | 6..7 OTLG | 8..11 MTL | 12..15 OTL | 16..19 prefetch | 20..23 unmap LBAs |
        // 24..27 unmap descriptors | 28..31 unmap granularity | 32..35 UGAVALID(31) alignment | 36..43 max write same
        byte[] page = bytes("00b0003c 01 10 0008 00000800 00000100 00000200 00100000 00000040 00000008 80000003"
                + "0000000000010000" + "00".repeat(20));
        assertEquals(new BlockLimits(true, 16, 8, 0x800, 0x100, 0x200, 0x100000, 0x40, 8, true, 3, 0x10000),
                VpdParser.blockLimits(page));
    }

    @Test
    void shortSbc2BlockLimitsPageReadsMissingFieldsAsZero() {
        BlockLimits l = VpdParser.blockLimits(bytes("00b00010 0000 0001 00000400 00000080 00000000"));
        assertEquals(0x400, l.maxTransferLength());
        assertEquals(0, l.maxUnmapLbaCount());
        assertEquals(0, l.maxWriteSameLength());
        // bytes past PAGE LENGTH are not fields even when they came
        assertEquals(0, VpdParser.blockLimits(bytes("00b00008 0000 0001 00000400 ffffffff")).optimalTransferLength());
    }

    @Test
    void provisioningOfTgtdThinDisk() {
        // byte 5 = E4h: LBPU, LBPWS, LBPWS10, LBPRZ; byte 6 = 2: thin
        LogicalBlockProvisioning p = VpdParser.logicalBlockProvisioning(TgtdReplies.VPD_PROVISIONING);
        assertTrue(p.unmapSupported());
        assertTrue(p.writeSame16UnmapSupported());
        assertTrue(p.writeSame10UnmapSupported());
        assertTrue(p.readsZeros());
        assertFalse(p.anchorSupported());
        assertFalse(p.descriptorPresent());
        assertTrue(p.thinProvisioned());
        assertEquals(new LogicalBlockProvisioning(7, false, true, false, 0, true, true, 1),
                VpdParser.logicalBlockProvisioning(bytes("00b20004 07 43 01 00")));
    }

    @Test
    void wrongPageCodeOrShortHeaderIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VpdParser.blockLimits(TgtdReplies.VPD_PROVISIONING));
        assertTrue(e.getMessage().contains("0xB0") && e.getMessage().contains("0xB2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VpdParser.supportedPages(bytes("0000")));
    }
}
