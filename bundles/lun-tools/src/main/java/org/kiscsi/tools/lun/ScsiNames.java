package org.kiscsi.tools.lun;

/** The names the tools print for SCSI codes (SPC-4's, in the upper-case form libiscsi's tools print). */
final class ScsiNames {
    private ScsiNames() {
    }

    static String deviceType(int t) {
        return switch (t) {
            case 0x00 -> "DIRECT_ACCESS";
            case 0x01 -> "SEQUENTIAL_ACCESS";
            case 0x02 -> "PRINTER";
            case 0x03 -> "PROCESSOR";
            case 0x04 -> "WRITE_ONCE";
            case 0x05 -> "MMC";
            case 0x06 -> "SCANNER";
            case 0x07 -> "OPTICAL_MEMORY";
            case 0x08 -> "MEDIA_CHANGER";
            case 0x09 -> "COMMUNICATIONS";
            case 0x0C -> "STORAGE_ARRAY_CONTROLLER";
            case 0x0D -> "ENCLOSURE_SERVICES";
            case 0x0E -> "SIMPLIFIED_DIRECT_ACCESS";
            case 0x0F -> "OPTICAL_CARD_READER";
            case 0x10 -> "BRIDGE_CONTROLLER";
            case 0x11 -> "OSD";
            case 0x12 -> "AUTOMATION";
            case 0x13 -> "SECURITY_MANAGER";
            case 0x14 -> "HOST_MANAGED_ZONED_BLOCK";
            case 0x1E -> "WELL_KNOWN_LUN";
            case 0x1F -> "UNKNOWN";
            default -> String.format("TYPE_0x%02X", t);
        };
    }

    static String vpdPage(int p) {
        return switch (p) {
            case 0x00 -> "SUPPORTED_VPD_PAGES";
            case 0x80 -> "UNIT_SERIAL_NUMBER";
            case 0x83 -> "DEVICE_IDENTIFICATION";
            case 0x84 -> "SOFTWARE_INTERFACE_IDENTIFICATION";
            case 0x85 -> "MANAGEMENT_NETWORK_ADDRESSES";
            case 0x86 -> "EXTENDED_INQUIRY_DATA";
            case 0x87 -> "MODE_PAGE_POLICY";
            case 0x88 -> "SCSI_PORTS";
            case 0x8F -> "THIRD_PARTY_COPY";
            case 0xB0 -> "BLOCK_LIMITS";
            case 0xB1 -> "BLOCK_DEVICE_CHARACTERISTICS";
            case 0xB2 -> "LOGICAL_BLOCK_PROVISIONING";
            case 0xB3 -> "REFERRALS";
            default -> "unknown";
        };
    }

    static String protocol(int p) {
        return switch (p) {
            case 0 -> "FIBRE_CHANNEL";
            case 1 -> "PARALLEL_SCSI";
            case 2 -> "SSA";
            case 3 -> "IEEE_1394";
            case 4 -> "RDMA";
            case 5 -> "ISCSI";
            case 6 -> "SAS";
            case 7 -> "ADT";
            case 8 -> "ATA";
            default -> "unknown";
        };
    }

    static String codeSet(int c) {
        return switch (c) {
            case 1 -> "BINARY";
            case 2 -> "ASCII";
            case 3 -> "UTF8";
            default -> "unknown";
        };
    }

    static String association(int a) {
        return switch (a) {
            case 0 -> "LOGICAL_UNIT";
            case 1 -> "TARGET_PORT";
            case 2 -> "TARGET_DEVICE";
            default -> "unknown";
        };
    }

    static String designatorType(int t) {
        return switch (t) {
            case 0 -> "VENDOR_SPECIFIC";
            case 1 -> "T10_VENDOR_ID";
            case 2 -> "EUI_64";
            case 3 -> "NAA";
            case 4 -> "RELATIVE_TARGET_PORT";
            case 5 -> "TARGET_PORT_GROUP";
            case 6 -> "LOGICAL_UNIT_GROUP";
            case 7 -> "MD5_LOGICAL_UNIT_IDENTIFIER";
            case 8 -> "SCSI_NAME_STRING";
            default -> "unknown";
        };
    }
}
