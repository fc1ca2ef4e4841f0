package org.kiscsi.testkit.target;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.kiscsi.protocol.pdu.LoginRequest;
import org.kiscsi.protocol.pdu.LoginResponse;

/** One login written request by request, for tests of the target's security stage: keys in, the answer's keys out. */
final class HandLogin {
    private final LoopbackInitiator initiator;
    private final long isid;
    private int expStatSn;

    HandLogin(LoopbackInitiator initiator, long isid) {
        this.initiator = initiator;
        this.isid = isid;
    }

    /** A security-stage request (CSG 0) asking to move to the operational stage when {@code transit}. */
    LoginResponse security(boolean transit, String... keys) throws Exception {
        return request(transit, 0, 1, keys);
    }

    /** An operational-stage request (CSG 1) asking for full feature phase. */
    LoginResponse operational(String... keys) throws Exception {
        return request(true, 1, 3, keys);
    }

    private LoginResponse request(boolean transit, int csg, int nsg, String... keys) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String k : keys) {
            text.append(k).append('\0');
        }
        initiator.send(new LoginRequest(transit, false, csg, nsg, 0, 0, isid, 0, 0x77, 1, 1, expStatSn,
                ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8))));
        LoginResponse r = initiator.expect(LoginResponse.class);
        expStatSn = r.statSn() + 1;
        return r;
    }

    /** The keys of a response's text, in order. */
    static Map<String, String> keys(LoginResponse r) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String kv : StandardCharsets.UTF_8.decode(r.data().duplicate()).toString().split("\0")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                keys.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return keys;
    }
}
