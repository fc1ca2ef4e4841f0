package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

/** The 6-byte ISID at BHS bytes 8..13 of login PDUs. */
final class IsidField {
    private IsidField() {
    }

    static void put(ByteBuffer h, long isid) {
        for (int i = 0; i < 6; i++) {
            h.put(8 + i, (byte) (isid >>> (40 - 8 * i)));
        }
    }

    static long get(ByteBuffer h) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = v << 8 | (h.get(8 + i) & 0xFF);
        }
        return v;
    }
}
