package org.kiscsi.scsi;

import java.util.HexFormat;

/** Test bytes written as hex, spaces allowed for readability. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", "").replace("\n", ""));
    }

    static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
