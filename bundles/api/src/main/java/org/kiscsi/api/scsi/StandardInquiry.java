package org.kiscsi.api.scsi;

import java.util.List;

/**
 * Standard INQUIRY data (SPC-4), the fields a host looks at.
 *
 * @param peripheralQualifier 0 = a device is connected to this LU
 * @param deviceType PERIPHERAL DEVICE TYPE (0 direct access block, 5 CD/DVD, 0x0C storage array controller, ...)
 * @param removable RMB
 * @param version VERSION (5 = SPC-3, 6 = SPC-4, 7 = SPC-5)
 * @param responseDataFormat RESPONSE DATA FORMAT (2)
 * @param hierarchicalSupport HISUP
 * @param normalAca NORMACA
 * @param sccs SCC supported
 * @param tpgs TARGET PORT GROUP SUPPORT (ALUA), 0..3
 * @param thirdPartyCopy 3PC
 * @param protect PROTECT
 * @param enclosureServices ENCSERV
 * @param multiPort MULTIP
 * @param commandQueuing CMDQUE
 * @param vendor T10 VENDOR IDENTIFICATION, trailing spaces removed
 * @param product PRODUCT IDENTIFICATION, trailing spaces removed
 * @param revision PRODUCT REVISION LEVEL, trailing spaces removed
 * @param versionDescriptors the non-zero VERSION DESCRIPTORs, in order
 */
public record StandardInquiry(int peripheralQualifier, int deviceType, boolean removable, int version,
        int responseDataFormat, boolean hierarchicalSupport, boolean normalAca, boolean sccs, int tpgs,
        boolean thirdPartyCopy, boolean protect, boolean enclosureServices, boolean multiPort,
        boolean commandQueuing, String vendor, String product, String revision, List<Integer> versionDescriptors) {
    public static final int TYPE_DIRECT_ACCESS = 0x00;
    public static final int TYPE_STORAGE_ARRAY_CONTROLLER = 0x0C;

    public StandardInquiry {
        versionDescriptors = List.copyOf(versionDescriptors);
    }

    /** Readable peripheral device type (SPC-4). */
    public String deviceTypeName() {
        return deviceTypeName(deviceType);
    }

    /** Readable VERSION: "SPC-3", "SPC-4", ... */
    public String versionName() {
        return switch (version) {
            case 0 -> "no standard claimed";
            case 3 -> "SPC";
            case 4 -> "SPC-2";
            case 5 -> "SPC-3";
            case 6 -> "SPC-4";
            case 7 -> "SPC-5";
            default -> String.format("version 0x%02X", version);
        };
    }

    public static String deviceTypeName(int type) {
        return switch (type) {
            case 0x00 -> "direct access block device";
            case 0x01 -> "sequential access device";
            case 0x02 -> "printer device";
            case 0x03 -> "processor device";
            case 0x04 -> "write-once device";
            case 0x05 -> "CD/DVD device";
            case 0x07 -> "optical memory device";
            case 0x08 -> "media changer device";
            case 0x0C -> "storage array controller";
            case 0x0D -> "enclosure services device";
            case 0x0E -> "simplified direct-access device";
            case 0x0F -> "optical card reader/writer device";
            case 0x11 -> "object-based storage device";
            case 0x12 -> "automation/drive interface";
            case 0x14 -> "host managed zoned block device";
            case 0x1E -> "well known logical unit";
            case 0x1F -> "unknown or no device type";
            default -> String.format("device type 0x%02X", type);
        };
    }
}
