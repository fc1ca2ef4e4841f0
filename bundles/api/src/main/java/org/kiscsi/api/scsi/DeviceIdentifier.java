package org.kiscsi.api.scsi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One designation descriptor of the Device Identification VPD page 0x83 (SPC-4).
 *
 * @param protocolIdentifier PROTOCOL IDENTIFIER (5 = iSCSI), meaningful when {@code piv}
 * @param codeSet CODE SET: 1 binary, 2 ASCII, 3 UTF-8
 * @param piv PROTOCOL IDENTIFIER VALID
 * @param association ASSOCIATION: 0 logical unit, 1 target port, 2 target device
 * @param designatorType DESIGNATOR TYPE (see the constants)
 * @param designator the DESIGNATOR bytes
 */
public record DeviceIdentifier(int protocolIdentifier, int codeSet, boolean piv, int association, int designatorType,
        byte[] designator) {
    public static final int CODE_SET_BINARY = 1;
    public static final int CODE_SET_ASCII = 2;
    public static final int CODE_SET_UTF8 = 3;

    public static final int ASSOCIATION_LOGICAL_UNIT = 0;
    public static final int ASSOCIATION_TARGET_PORT = 1;
    public static final int ASSOCIATION_TARGET_DEVICE = 2;

    public static final int TYPE_VENDOR_SPECIFIC = 0x0;
    public static final int TYPE_T10_VENDOR_ID = 0x1;
    public static final int TYPE_EUI64 = 0x2;
    public static final int TYPE_NAA = 0x3;
    public static final int TYPE_RELATIVE_TARGET_PORT = 0x4;
    public static final int TYPE_TARGET_PORT_GROUP = 0x5;
    public static final int TYPE_LOGICAL_UNIT_GROUP = 0x6;
    public static final int TYPE_MD5_LOGICAL_UNIT = 0x7;
    public static final int TYPE_SCSI_NAME_STRING = 0x8;
    public static final int TYPE_PROTOCOL_SPECIFIC_PORT = 0x9;
    public static final int TYPE_UUID = 0xA;

    public DeviceIdentifier {
        designator = designator.clone();
    }

    @Override
    public byte[] designator() {
        return designator.clone();
    }

    /** Whether the designator is text (ASCII or UTF-8 code set). */
    public boolean isText() {
        return codeSet == CODE_SET_ASCII || codeSet == CODE_SET_UTF8;
    }

    /** SPC-4's name of the designator type, e.g. "NAA", "T10 vendor ID". */
    public String typeName() {
        return switch (designatorType) {
            case TYPE_VENDOR_SPECIFIC -> "vendor specific";
            case TYPE_T10_VENDOR_ID -> "T10 vendor ID";
            case TYPE_EUI64 -> "EUI-64";
            case TYPE_NAA -> "NAA";
            case TYPE_RELATIVE_TARGET_PORT -> "relative target port";
            case TYPE_TARGET_PORT_GROUP -> "target port group";
            case TYPE_LOGICAL_UNIT_GROUP -> "logical unit group";
            case TYPE_MD5_LOGICAL_UNIT -> "MD5 logical unit identifier";
            case TYPE_SCSI_NAME_STRING -> "SCSI name string";
            case TYPE_PROTOCOL_SPECIFIC_PORT -> "protocol specific port identifier";
            case TYPE_UUID -> "UUID";
            default -> String.format("designator type 0x%X", designatorType);
        };
    }

    public String associationName() {
        return switch (association) {
            case ASSOCIATION_LOGICAL_UNIT -> "logical unit";
            case ASSOCIATION_TARGET_PORT -> "target port";
            case ASSOCIATION_TARGET_DEVICE -> "target device";
            default -> "association 3";
        };
    }

    /**
     * The designator as people write it: text designators as text (trailing NULs and spaces cut), NAA
     * as "naa." + hex, EUI-64 as "eui." + hex, relative target port and port group as a number,
     * anything else as hex.
     */
    public String text() {
        if (isText()) {
            String s = new String(designator, codeSet == CODE_SET_UTF8 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == '\0' || s.charAt(end - 1) == ' ')) {
                end--;
            }
            return s.substring(0, end);
        }
        if ((designatorType == TYPE_RELATIVE_TARGET_PORT || designatorType == TYPE_TARGET_PORT_GROUP
                || designatorType == TYPE_LOGICAL_UNIT_GROUP) && designator.length == 4) {
            return Integer.toString(((designator[2] & 0xFF) << 8) | (designator[3] & 0xFF));
        }
        String hex = hex(designator);
        return switch (designatorType) {
            case TYPE_NAA -> "naa." + hex;
            case TYPE_EUI64 -> "eui." + hex;
            default -> hex;
        };
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceIdentifier d && d.protocolIdentifier == protocolIdentifier && d.codeSet == codeSet
                && d.piv == piv && d.association == association && d.designatorType == designatorType
                && Arrays.equals(d.designator, designator);
    }

    @Override
    public int hashCode() {
        return 31 * (designatorType * 31 + association) + Arrays.hashCode(designator);
    }

    @Override
    public String toString() {
        return "DeviceIdentifier[" + associationName() + ", " + typeName() + ": " + text() + "]";
    }
}
