package org.kiscsi.tools.lun;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.kiscsi.api.scsi.BlockLimits;
import org.kiscsi.api.scsi.DeviceIdentifier;
import org.kiscsi.api.scsi.LogicalBlockProvisioning;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.scsi.VpdParser;

/**
 * INQUIRY as {@code kiscsi-inq} prints it: the standard data and VPD pages in libiscsi {@code iscsi-inq}'s
 * {@code Key:value} lines (same keys, so scripts and eyes used to it read it the same), plus
 * {@link #all} for every page the LU lists. Works over any session's executor ({@link LunInquirer}): a
 * standalone tool's or the daemon's (shell). Blocking, each wait bounded: an edge helper.
 */
public final class InquiryReport {
    private final LunInquirer lu;

    public InquiryReport(LunInquirer lu) {
        this.lu = lu;
    }

    /** Standard INQUIRY data. */
    public void standard(PrintStream out) {
        StandardInquiry q = lu.standard();
        out.println("Peripheral Qualifier:" + qualifierName(q.peripheralQualifier()));
        out.println("Peripheral Device Type:" + ScsiNames.deviceType(q.deviceType()));
        out.println("Removable:" + bit(q.removable()));
        out.println("Version:" + q.version() + " " + q.versionName());
        out.println("NormACA:" + bit(q.normalAca()));
        out.println("HiSup:" + bit(q.hierarchicalSupport()));
        out.println("ReponseDataFormat:" + q.responseDataFormat());
        out.println("SCCS:" + bit(q.sccs()));
        out.println("TPGS:" + q.tpgs());
        out.println("3PC:" + bit(q.thirdPartyCopy()));
        out.println("Protect:" + bit(q.protect()));
        out.println("EncServ:" + bit(q.enclosureServices()));
        out.println("MultiP:" + bit(q.multiPort()));
        out.println("CmdQue:" + bit(q.commandQueuing()));
        out.println("Vendor:" + q.vendor());
        out.println("Product:" + q.product());
        out.println("Revision:" + q.revision());
        for (int d : q.versionDescriptors()) {
            out.println(String.format("Version Descriptor:%04x", d));
        }
    }

    /** One VPD page; pages without a decoder here are dumped in hex. */
    public void page(int pageCode, PrintStream out) {
        switch (pageCode) {
            case 0x00 -> {
                for (int p : VpdParser.supportedPages(lu.vpd(0x00))) {
                    out.println(String.format("Page:0x%02x %s", p, ScsiNames.vpdPage(p)));
                }
            }
            case 0x80 -> {
                // as the LU sends it, padding included (iscsi-inq prints it so)
                byte[] raw = lu.vpd(0x80);
                out.println("Unit Serial Number:[" + text(Arrays.copyOfRange(raw, Math.min(4, raw.length), raw.length)) + "]");
            }
            case 0x83 -> designators(VpdParser.deviceIdentifiers(lu.vpd(0x83)), out);
            case 0xB0 -> blockLimits(VpdParser.blockLimits(lu.vpd(0xB0)), out);
            case 0xB1 -> {
                byte[] raw = lu.vpd(0xB1);
                int rate = raw.length >= 6 ? (raw[4] & 0xFF) << 8 | raw[5] & 0xFF : 0;
                out.println("Medium Rotation Rate:" + rate + "RPM");
            }
            case 0xB2 -> provisioning(VpdParser.logicalBlockProvisioning(lu.vpd(0xB2)), out);
            default -> {
                byte[] raw = lu.vpd(pageCode);
                out.println(String.format("Page:0x%02x %s, %d bytes:", pageCode, ScsiNames.vpdPage(pageCode), raw.length));
                hexDump(raw, out);
            }
        }
    }

    /** The standard data, then every VPD page the LU lists, each under a heading. */
    public void all(PrintStream out) {
        standard(out);
        List<Integer> pages = VpdParser.supportedPages(lu.vpd(0x00));
        for (int p : pages) {
            out.println();
            out.println(String.format("VPD page 0x%02x %s", p, ScsiNames.vpdPage(p)));
            page(p, out);
        }
    }

    private void designators(List<DeviceIdentifier> ids, PrintStream out) {
        StandardInquiry q = lu.standard();
        out.println("Peripheral Qualifier:" + qualifierName(q.peripheralQualifier()));
        out.println("Peripheral Device Type:" + ScsiNames.deviceType(q.deviceType()));
        out.println("Page Code:(0x83) DEVICE_IDENTIFICATION");
        for (int i = 0; i < ids.size(); i++) {
            DeviceIdentifier d = ids.get(i);
            out.println("DEVICE DESIGNATOR #" + i);
            if (d.piv()) {
                out.println("Device Protocol Identifier:(" + d.protocolIdentifier() + ") " + ScsiNames.protocol(d.protocolIdentifier()));
            }
            out.println("Code Set:(" + d.codeSet() + ") " + ScsiNames.codeSet(d.codeSet()));
            out.println("PIV:" + bit(d.piv()));
            out.println("Association:(" + d.association() + ") " + ScsiNames.association(d.association()));
            out.println("Designator Type:(" + d.designatorType() + ") " + ScsiNames.designatorType(d.designatorType()));
            if (d.codeSet() == DeviceIdentifier.CODE_SET_BINARY) {
                StringBuilder b = new StringBuilder("Designator:[");
                for (byte x : d.designator()) {
                    b.append(String.format(" %02x", x & 0xFF));
                }
                out.println(b.append(']'));
            } else {
                out.println("Designator:[" + text(d.designator()) + "]");
            }
        }
    }

    /** ASCII/UTF-8 designators end at their first NUL (padding), as a C string does. */
    private static String text(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static void blockLimits(BlockLimits l, PrintStream out) {
        out.println("wsnz:" + bit(l.writeSameNonZero()));
        out.println("maximum compare and write length:" + l.maxCompareAndWriteLength());
        out.println("optimal transfer length granularity:" + l.optimalTransferLengthGranularity());
        out.println("maximum transfer length:" + l.maxTransferLength());
        out.println("optimal transfer length:" + l.optimalTransferLength());
        out.println("maximum prefetch xdread xdwrite transfer length:" + l.maxPrefetchLength());
        out.println("maximum unmap lba count:" + l.maxUnmapLbaCount());
        out.println("maximum unmap block descriptor count:" + l.maxUnmapDescriptorCount());
        out.println("optimal unmap granularity:" + l.optimalUnmapGranularity());
        out.println("ugavalid:" + bit(l.unmapGranularityAlignmentValid()));
        out.println("unmap granularity alignment:" + l.unmapGranularityAlignment());
        out.println("maximum write same length:" + l.maxWriteSameLength());
    }

    private static void provisioning(LogicalBlockProvisioning p, PrintStream out) {
        out.println("Threshold Exponent:" + p.thresholdExponent());
        out.println("lbpu:" + bit(p.unmapSupported()));
        out.println("lbpws:" + bit(p.writeSame16UnmapSupported()));
        out.println("lbpws10:" + bit(p.writeSame10UnmapSupported()));
        out.println("lbprz:" + p.lbprz());
        out.println("anc_sup:" + bit(p.anchorSupported()));
        out.println("dp:" + bit(p.descriptorPresent()));
        out.println("provisioning type:" + p.provisioningType());
    }

    static void hexDump(byte[] raw, PrintStream out) {
        for (int i = 0; i < raw.length; i += 16) {
            StringBuilder b = new StringBuilder(String.format("%04x:", i));
            for (int j = i; j < Math.min(i + 16, raw.length); j++) {
                b.append(String.format(" %02x", raw[j] & 0xFF));
            }
            out.println(b);
        }
    }

    static String qualifierName(int q) {
        return switch (q) {
            case 0 -> "CONNECTED";
            case 1 -> "DISCONNECTED";
            case 3 -> "NOT_SUPPORTED";
            default -> "unknown";
        };
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
