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
    private static final String SECRET = "Zq7-secret-Vw3";

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
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("refusal without a message", e);
            }
        }
        // the same URL with its passwords replaced by one no other text holds: no message may show it
        String withSecret = withSecret(url);
        if (!url.contains(SECRET) && !withSecret.equals(url)) {
            try {
                IscsiUrlParser.parse(withSecret, form, env);
            } catch (UrlException e) {
                if (e.getMessage().contains(SECRET) || e.getMessage().contains("envsecret123") && !url.contains("envsecret123")) {
                    throw new AssertionError("message shows a password: " + e.getMessage(), e);
                }
            }
        }
    }

    /** {@code url} with the password of its user part and its target_password replaced by {@link #SECRET}. */
    private static String withSecret(String url) {
        if (!url.startsWith("iscsi://")) {
            return url;
        }
        int qm = url.indexOf('?');
        String main = qm < 0 ? url : url.substring(0, qm);
        String query = qm < 0 ? "" : url.substring(qm);
        int at = main.lastIndexOf('@');
        if (at > 8) {
            String info = main.substring(8, at);
            int sep = info.indexOf('%') >= 0 ? info.indexOf('%') : info.indexOf(':');
            if (sep >= 0) {
                main = "iscsi://" + info.substring(0, sep + 1) + SECRET + main.substring(at);
            }
        }
        return main + query.replaceAll("((?:^\\?|&)target_password=)[^&]*", "$1" + SECRET);
    }
}
