package org.kiscsi.testkit.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The digests of one connection, learnt from the target's Login Responses: the HeaderDigest and
 * DataDigest keys it answers are noted, and put in force for both directions once the final Login
 * Response (T bit, NSG full feature, success) has been read. Login PDUs never carry digests.
 */
final class DigestNegotiation implements FrameReader.DigestState {
    /** Login text larger than this is not parsed (the RFC's 8192-byte login segments make it ample). */
    private static final int MAX_LOGIN_TEXT = 1 << 20;
    private static final int FULL_FEATURE_PHASE = 3;

    private volatile boolean headerDigest;
    private volatile boolean dataDigest;
    // the rest is only touched by the pump reading the target
    private boolean answeredHeaderDigest;
    private boolean answeredDataDigest;
    private final ByteArrayOutputStream text = new ByteArrayOutputStream();

    @Override
    public boolean headerDigest() {
        return headerDigest;
    }

    @Override
    public boolean dataDigest() {
        return dataDigest;
    }

    /** Takes a Login Response before it is forwarded, so the initiator's next PDU is read with the new framing. */
    void loginResponse(WireFrame f) {
        if (text.size() + f.dataLength() <= MAX_LOGIN_TEXT) {
            text.write(f.bytes(), f.dataOffset(), f.dataLength());
        }
        int flags = f.u8(1);
        boolean transit = (flags & 0x80) != 0;
        boolean more = (flags & 0x40) != 0;
        if (!more) {
            keys(text.toString(StandardCharsets.UTF_8));
            text.reset();
        }
        int statusClass = f.u8(36);
        if (transit && (flags & 3) == FULL_FEATURE_PHASE && statusClass == 0) {
            headerDigest = answeredHeaderDigest;
            dataDigest = answeredDataDigest;
        }
    }

    private void keys(String text) {
        for (String pair : text.split("\0")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = pair.substring(0, eq);
            boolean crc = pair.substring(eq + 1).equals("CRC32C");
            if (key.equals("HeaderDigest")) {
                answeredHeaderDigest = crc;
            } else if (key.equals("DataDigest")) {
                answeredDataDigest = crc;
            }
        }
    }
}
