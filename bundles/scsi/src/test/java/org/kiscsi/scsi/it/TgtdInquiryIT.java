package org.kiscsi.scsi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.it.Initiator.await;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.BlockLimits;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.DeviceIdentifier;
import org.kiscsi.api.scsi.LogicalBlockProvisioning;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.scsi.ScsiBlockDevice;
import org.kiscsi.testkit.peers.LibiscsiTools;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtShow;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.testkit.peers.Tool;

/**
 * What the block API reads from tgtd equals, field by field, what libiscsi's tools print for the same
 * LUN at test time: REPORT LUNS (against tgtd's own list), standard INQUIRY, VPD pages 0x00, 0x80,
 * 0x83, 0xB0, 0xB2 and READ CAPACITY (16). LUN 1 is a thin 512-byte file LU, LUN 2 a 4096-byte file
 * LU, LUN 3 tgtd's null store; LUN 0 is tgtd's controller.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TgtdInquiryIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:inquiry";
    /** libiscsi 1.19's names (scsi_devqualifier_to_str, scsi_devtype_to_str) by code. */
    private static final Map<String, Integer> QUALIFIERS = Map.of("CONNECTED", 0, "DISCONNECTED", 1, "NOT_SUPPORTED", 3);
    private static final Map<String, Integer> DEVICE_TYPES = Map.ofEntries(Map.entry("DIRECT_ACCESS", 0x00),
            Map.entry("SEQUENTIAL_ACCESS", 0x01), Map.entry("PRINTER", 0x02), Map.entry("PROCESSOR", 0x03),
            Map.entry("WRITE_ONCE", 0x04), Map.entry("MMC", 0x05), Map.entry("SCANNER", 0x06), Map.entry("OPTICAL_MEMORY", 0x07),
            Map.entry("MEDIA_CHANGER", 0x08), Map.entry("COMMUNICATIONS", 0x09), Map.entry("STORAGE_ARRAY_CONTROLLER", 0x0C),
            Map.entry("ENCLOSURE_SERVICES", 0x0D), Map.entry("SIMPLIFIED_DIRECT_ACCESS", 0x0E), Map.entry("OPTICAL_CARD_READER", 0x0F),
            Map.entry("BRIDGE_CONTROLLER", 0x10), Map.entry("OSD", 0x11), Map.entry("AUTOMATION", 0x12),
            Map.entry("SEQURITY_MANAGER", 0x13), Map.entry("WELL_KNOWN_LUN", 0x1E));
    private static Tgtd tgtd;
    private static TgtTarget target;
    private static Initiator kiscsi;
    private static long sid;
    private static LibiscsiTools tools;

    @BeforeAll
    static void start() {
        tools = LibiscsiTools.create();
        tgtd = Tgtd.start(Loopback.IPV4);
        target = tgtd.createTarget(IQN);
        target.addLun(1, LunBacking.file(16 << 20).thinProvisioned());
        target.addLun(2, LunBacking.file(32 << 20).blockSize(4096));
        target.addLun(3, LunBacking.nullDevice());
        target.allowAll();
        kiscsi = new Initiator();
        sid = kiscsi.login(IQN, tgtd.portal());
    }

    @AfterAll
    static void stop() throws Exception {
        Initiator.closeInOrder(kiscsi, tgtd);
    }

    private static LibiscsiText inq(int lun, String... args) {
        return LibiscsiText.of(tools.run(Tool.ISCSI_INQ, target.url(lun), args).requireSuccess("iscsi-inq " + String.join(" ", args)
                + " on LUN " + lun + " of " + target).stdout());
    }

    private static LibiscsiText vpd(int lun, int page) {
        return inq(lun, "-e", "1", "-c", Integer.toString(page));
    }

    @Test
    void reportLunsListsTheControllerAndEveryLunTgtdHas() {
        List<Long> ours = await(kiscsi.luns.reportLuns(sid));
        TgtShow.Target shown = target.show();
        List<Long> tgtds = shown.luns().stream().map(l -> (long) l.lun()).sorted().toList();
        assertEquals(List.of(0L, 1L, 2L, 3L), tgtds, "tgtd's own list (LUN 0 is its controller): " + shown);
        assertEquals(tgtds, ours.stream().sorted().toList());
        assertEquals(ours.size(), ours.stream().distinct().count(), "no LUN twice: " + ours);
    }

    @ParameterizedTest(name = "LUN {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void standardInquiryEqualsIscsiInq(int lun) {
        LibiscsiText t = inq(lun);
        StandardInquiry i = await(kiscsi.luns.inquiry(sid, lun));
        assertEquals(QUALIFIERS.get(t.get("Peripheral Qualifier").strip()), i.peripheralQualifier(), "peripheral qualifier");
        assertEquals(DEVICE_TYPES.get(t.get("Peripheral Device Type").strip()), i.deviceType(), "peripheral device type");
        assertEquals(t.flag("Removable"), i.removable(), "RMB");
        assertEquals(t.leadingNumber("Version"), i.version(), "VERSION");
        assertEquals(t.flag("NormACA"), i.normalAca(), "NORMACA");
        assertEquals(t.flag("HiSup"), i.hierarchicalSupport(), "HISUP");
        assertEquals(t.number("ReponseDataFormat"), i.responseDataFormat(), "RESPONSE DATA FORMAT");
        assertEquals(t.flag("SCCS"), i.sccs(), "SCCS");
        assertEquals(t.number("TPGS"), i.tpgs(), "TPGS");
        assertEquals(t.flag("3PC"), i.thirdPartyCopy(), "3PC");
        assertEquals(t.flag("Protect"), i.protect(), "PROTECT");
        assertEquals(t.flag("EncServ"), i.enclosureServices(), "ENCSERV");
        assertEquals(t.flag("MultiP"), i.multiPort(), "MULTIP");
        assertEquals(t.flag("CmdQue"), i.commandQueuing(), "CMDQUE");
        assertEquals(t.get("Vendor").stripTrailing(), i.vendor(), "T10 VENDOR IDENTIFICATION");
        assertEquals(t.get("Product").stripTrailing(), i.product(), "PRODUCT IDENTIFICATION");
        assertEquals(t.get("Revision").stripTrailing(), i.revision(), "PRODUCT REVISION LEVEL");
        List<Integer> descriptors = t.all("Version Descriptor").stream()
                .map(v -> Integer.parseInt(v.strip().split("\\s+")[0], 16)).toList();
        assertTrue(!descriptors.isEmpty(), "iscsi-inq printed no version descriptor:\n" + t);
        assertEquals(descriptors, i.versionDescriptors(), "VERSION DESCRIPTORs");
        if (lun > 0) {
            BlockDevice d = kiscsi.open(sid, lun);
            assertEquals(i, await(d.inquiry()), "the device's INQUIRY and the LUN service's agree");
        }
    }

    @ParameterizedTest(name = "LUN {0}")
    @ValueSource(ints = {1, 2, 3})
    void supportedVpdPagesEqualIscsiInq(int lun) {
        List<Integer> theirs = vpd(lun, 0x00).all("Page").stream()
                .map(v -> Integer.decode(v.strip().split("\\s+")[0])).toList();
        assertTrue(theirs.containsAll(List.of(0x00, 0x80, 0x83, 0xB0)), "tgtd lists the pages this test reads: " + theirs);
        assertEquals(theirs, await(kiscsi.open(sid, lun).supportedVpdPages()));
    }

    @ParameterizedTest(name = "LUN {0}")
    @ValueSource(ints = {1, 2, 3})
    void unitSerialNumberEqualsIscsiInq(int lun) {
        String theirs = vpd(lun, 0x80).get("Unit Serial Number");
        assertTrue(theirs.startsWith("[") && theirs.endsWith("]"), theirs);
        String raw = theirs.substring(1, theirs.length() - 1);
        BlockDevice d = kiscsi.open(sid, lun);
        byte[] page = await(d.vpdPage(0x80));
        assertEquals(0x80, page[1] & 0xFF, "page code");
        assertEquals(raw, cString(Arrays.copyOfRange(page, 4, 4 + (page[3] & 0xFF))), "PRODUCT SERIAL NUMBER as printed");
        assertEquals(raw.strip(), await(d.unitSerialNumber()));
        assertTrue(!raw.isBlank(), "tgtd gives every LU a serial number");
    }

    @ParameterizedTest(name = "LUN {0}")
    @ValueSource(ints = {1, 2, 3})
    void deviceIdentifiersEqualIscsiInq(int lun) {
        List<LibiscsiText.Designator> theirs = new ArrayList<>(vpd(lun, 0x83).designators());
        // libiscsi 1.19 links each designator at the head of its list (scsi_inquiry_unmarshall_device_identification),
        // so iscsi-inq prints them last first
        Collections.reverse(theirs);
        List<DeviceIdentifier> ours = await(kiscsi.open(sid, lun).deviceIdentifiers());
        assertEquals(theirs.size(), ours.size(), "designators: ours " + ours + ", iscsi-inq " + theirs);
        assertTrue(ours.size() >= 2, "tgtd gives a T10 vendor ID and NAA designators: " + ours);
        for (int n = 0; n < ours.size(); n++) {
            DeviceIdentifier o = ours.get(n);
            LibiscsiText.Designator t = theirs.get(n);
            String at = "designator " + n + " " + o;
            assertEquals(t.codeSet(), o.codeSet(), at + ": code set");
            assertEquals(t.piv() == 1, o.piv(), at + ": PIV");
            assertEquals(t.association(), o.association(), at + ": association");
            assertEquals(t.type(), o.designatorType(), at + ": designator type");
            assertEquals(t.designator(), cString(o.designator()), at + ": designator bytes as iscsi-inq prints them");
        }
    }

    @ParameterizedTest(name = "LUN {0}")
    @ValueSource(ints = {1, 2, 3})
    void blockLimitsEqualIscsiInq(int lun) {
        LibiscsiText t = vpd(lun, 0xB0);
        BlockDevice d = kiscsi.open(sid, lun);
        BlockLimits l = await(d.blockLimits());
        assertEquals(t.flag("wsnz"), l.writeSameNonZero(), "WSNZ");
        assertEquals(t.number("maximum compare and write length"), l.maxCompareAndWriteLength(), "MAXIMUM COMPARE AND WRITE LENGTH");
        assertEquals(t.number("optimal transfer length granularity"), l.optimalTransferLengthGranularity(), "OPTIMAL TRANSFER LENGTH GRANULARITY");
        assertEquals(t.longNumber("maximum transfer length"), l.maxTransferLength(), "MAXIMUM TRANSFER LENGTH");
        assertEquals(t.longNumber("optimal transfer length"), l.optimalTransferLength(), "OPTIMAL TRANSFER LENGTH");
        assertEquals(t.longNumber("maximum prefetch xdread xdwrite transfer length"), l.maxPrefetchLength(), "MAXIMUM PREFETCH LENGTH");
        assertEquals(t.longNumber("maximum unmap lba count"), l.maxUnmapLbaCount(), "MAXIMUM UNMAP LBA COUNT");
        assertEquals(t.longNumber("maximum unmap block descriptor count"), l.maxUnmapDescriptorCount(), "MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT");
        assertEquals(t.longNumber("optimal unmap granularity"), l.optimalUnmapGranularity(), "OPTIMAL UNMAP GRANULARITY");
        assertEquals(t.flag("ugavalid"), l.unmapGranularityAlignmentValid(), "UGAVALID");
        assertEquals(t.longNumber("unmap granularity alignment"), l.unmapGranularityAlignment(), "UNMAP GRANULARITY ALIGNMENT");
        assertEquals(t.longNumber("maximum write same length"), l.maxWriteSameLength(), "MAXIMUM WRITE SAME LENGTH");
        assertEquals(l, ((ScsiBlockDevice) d).limits(), "the limits the device read at open");
    }

    @Test
    void logicalBlockProvisioningOfTheThinLunEqualsIscsiInq() {
        LibiscsiText t = vpd(1, 0xB2);
        LogicalBlockProvisioning p = await(kiscsi.open(sid, 1).logicalBlockProvisioning());
        assertEquals(t.number("Threshold Exponent"), p.thresholdExponent(), "THRESHOLD EXPONENT");
        assertEquals(t.flag("lbpu"), p.unmapSupported(), "LBPU");
        assertEquals(t.flag("lbpws"), p.writeSame16UnmapSupported(), "LBPWS");
        assertEquals(t.flag("lbpws10"), p.writeSame10UnmapSupported(), "LBPWS10");
        // libiscsi 1.19 reads the low bit of the LBPRZ field (byte 5 bit 2) only
        assertEquals(t.flag("lbprz"), p.readsZeros(), "LBPRZ");
        assertEquals(t.flag("anc_sup"), p.anchorSupported(), "ANC_SUP");
        assertEquals(t.flag("dp"), p.descriptorPresent(), "DP");
        assertEquals(t.number("provisioning type"), p.provisioningType(), "PROVISIONING TYPE");
        assertTrue(p.unmapSupported() && p.writeSame16UnmapSupported() && p.thinProvisioned(),
                "thin_provisioning=1 makes tgtd report LBPU, LBPWS and thin provisioning: " + p);
    }

    @ParameterizedTest(name = "LUN {0}")
    @ValueSource(ints = {1, 2, 3})
    void readCapacityEqualsIscsiReadcapacity16(int lun) {
        Map<String, String> t = LibiscsiText.of(tools.run(Tool.ISCSI_READCAPACITY16, target.url(lun))
                .requireSuccess("iscsi-readcapacity16 on LUN " + lun).stdout()).pairs();
        BlockDevice d = kiscsi.open(sid, lun);
        Capacity c = await(d.readCapacity());
        assertEquals(Long.parseLong(t.get("RETURNED LOGICAL BLOCK ADDRESS")), c.lastLba(), "RETURNED LOGICAL BLOCK ADDRESS " + t);
        assertEquals(Integer.parseInt(t.get("LOGICAL BLOCK LENGTH IN BYTES")), c.blockSize(), "LOGICAL BLOCK LENGTH IN BYTES");
        int protection = "1".equals(t.get("PROT_EN")) ? Integer.parseInt(t.get("P_TYPE")) + 1 : 0;
        assertEquals(protection, c.protectionType(), "PROT_EN / P_TYPE");
        assertEquals(Integer.parseInt(t.get("LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT")), c.physicalBlockExponent(), "LBPPBE");
        assertEquals("1".equals(t.get("LBPME")), c.provisioningEnabled(), "LBPME");
        assertEquals("1".equals(t.get("LBPRZ")), c.readsZeros(), "LBPRZ");
        assertEquals(Integer.parseInt(t.get("LOWEST ALIGNED LOGICAL BLOCK ADDRESS")), c.lowestAlignedLba(), "LOWEST ALIGNED LBA");
        assertEquals(Long.parseLong(t.get("Total size")), c.bytes(), "total size");
        assertEquals(c, d.capacity(), "the capacity read at open");
        assertEquals(c.blockCount(), d.blockCount());
    }

    /** What C's printf("%s") prints of {@code b}: the bytes up to the first NUL, decoded as the tool's output is. */
    private static String cString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}
