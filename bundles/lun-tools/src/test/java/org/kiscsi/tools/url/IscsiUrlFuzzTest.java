package org.kiscsi.tools.url;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * libiscsi's iscsi:// URLs as the LUN tools and the shell take them: a parsed URL, or a
 * {@link UrlException} saying what is wrong that never shows the password; nothing else.
 */
class IscsiUrlFuzzTest {
    private static final Map<String, String> CHAP_ENV = Map.of(IscsiUrlParser.ENV_USER, "envuser",
            IscsiUrlParser.ENV_PASSWORD, "envsecret123");

    /** Input: byte 0 bits 0-1 the form asked for, bit 2 CHAP in the environment; the rest is the URL (UTF-8). */
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        if (input.length == 0) {
            return;
        }
        IscsiUrlParser.Form form = IscsiUrlParser.Form.values()[(input[0] & 3) % 3];
        Map<String, String> env = (input[0] & 4) != 0 ? CHAP_ENV : Map.of();
        String url = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        try {
            IscsiUrl u = IscsiUrlParser.parse(url, form, env);
            if (u.host() == null || u.host().isEmpty() || u.port() < 0 || u.port() > 65535) {
                throw new AssertionError(url + " parsed to " + u);
            }
            if (form == IscsiUrlParser.Form.LUN && (u.target() == null || u.lun() < 0)) {
                throw new AssertionError(url + " parsed as a LUN URL without target or LUN: " + u);
            }
        } catch (UrlException e) {
            String m = e.getMessage();
            String secret = passwordIn(url);
            if (m == null || m.isBlank() || secret != null && m.contains(secret) || m.contains("envsecret123") && !url.contains("envsecret123")) {
                throw new AssertionError("refusal without a message or showing the password: " + m, e);
            }
        }
    }

    /** The password of {@code user%password@} or {@code user:password@}, when it can be told from the URL's other text. */
    private static String passwordIn(String url) {
        if (!url.startsWith("iscsi://")) {
            return null;
        }
        String rest = url.substring(8);
        int qm = rest.indexOf('?');
        rest = qm < 0 ? rest : rest.substring(0, qm);
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        String info = rest.substring(0, at);
        int sep = info.indexOf('%') >= 0 ? info.indexOf('%') : info.indexOf(':');
        String p = sep < 0 ? null : info.substring(sep + 1);
        // a password that the rest of the URL spells out too may be quoted as part of that rest
        String others = url.substring(0, 8) + url.substring(8 + at + 1);
        return p != null && p.length() >= 8 && !others.contains(p) ? p : null;
    }
}
