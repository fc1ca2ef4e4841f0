package org.kiscsi.auth.chap.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.auth.chap.ChapAuthenticatorFactory;
import org.kiscsi.spi.auth.AuthCredentials;
import org.kiscsi.spi.auth.AuthRequest;
import org.kiscsi.spi.auth.Authenticator;

/**
 * The initiator's CHAP steps fed whatever CHAP parameters a target sends (CHAP_A, CHAP_I, CHAP_C,
 * CHAP_N, CHAP_R in any form): each step answers or refuses with an {@link IscsiException} whose
 * message says why and never shows a secret; nothing else escapes.
 */
class ChapFuzzTest {
    private static final String SECRET = "peersecret12";
    private static final String TARGET_SECRET = "targetsecret1";
    private static final List<List<String>> ALGORITHMS = List.of(List.of("MD5"), List.of("SHA256", "SHA1", "MD5"),
            List.of("SHA3-256"), List.of("SHA1"));

    private final ChapAuthenticatorFactory factory = new ChapAuthenticatorFactory();

    /**
     * Input: byte 0 bits 0-1 choose the algorithms offered, bit 2 mutual CHAP; the rest is the target's
     * keys for each step (NUL-separated key=value), steps separated by 0xFF bytes.
     */
    @FuzzTest(maxDuration = "30s")
    void targetAnswers(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean mutual = (input[0] & 4) != 0;
        AuthCredentials c = new AuthCredentials("peeruser", SECRET.getBytes(StandardCharsets.UTF_8),
                mutual ? "targetuser" : null, mutual ? TARGET_SECRET.getBytes(StandardCharsets.UTF_8) : null);
        Authenticator a = factory.create(new AuthRequest("iqn.2026-11.test:i", "iqn.2026-11.test:t",
                Portal.parse("127.0.0.1:3260"), SessionType.NORMAL, c, ALGORITHMS.get(input[0] & 3), false));
        try {
            a.step(Map.of());
            for (Map<String, String> keys : steps(Arrays.copyOfRange(input, 1, input.length))) {
                a.step(keys);
            }
        } catch (IscsiException e) {
            String m = e.getMessage();
            // quoting the target's own text is no leak, even where that text spells out a secret
            String sent = new String(input, StandardCharsets.UTF_8);
            if (m == null || m.isBlank() || shows(m, SECRET, sent) || shows(m, TARGET_SECRET, sent)) {
                throw new AssertionError("refusal without a message or showing a secret: " + m, e);
            }
            // what the engine asks after a failed login must not fail either
            a.afterFailure(new IscsiException(IscsiError.LOGIN_AUTH_FAILED, "refused: authentication failure (status 0x0201)"));
        }
    }

    private static boolean shows(String message, String secret, String sent) {
        return message.contains(secret) && !sent.contains(secret);
    }

    private static List<Map<String, String>> steps(byte[] text) {
        List<Map<String, String>> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= text.length && out.size() < 8; i++) {
            if (i < text.length && text[i] != (byte) 0xFF) {
                continue;
            }
            Map<String, String> keys = new LinkedHashMap<>();
            for (String kv : new String(text, from, i - from, StandardCharsets.UTF_8).split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    keys.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            out.add(keys);
            from = i + 1;
        }
        return out;
    }
}
