package org.kiscsi.tools.url;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.scsi.Luns;

/**
 * Parses libiscsi's URLs as its {@code iscsi_parse_url} does (lib/init.c), with the same query arguments
 * and environment variables, but strictly: what libiscsi would ignore or misread is refused with a message.
 *
 * <ul>
 * <li>{@code user%password@} or {@code user:password@} before the host; the user (and the password) of the
 * URL win over {@code LIBISCSI_CHAP_USERNAME} / {@code LIBISCSI_CHAP_PASSWORD}.</li>
 * <li>Query arguments: {@code header_digest} and {@code data_digest} ({@code none}, {@code crc32c}),
 * {@code auth} ({@code md5}, {@code sha1}, {@code sha-256}, {@code sha3-256}: the CHAP algorithm offered),
 * {@code target_user} and {@code target_password} (mutual CHAP; over {@code LIBISCSI_CHAP_TARGET_USERNAME}
 * / {@code LIBISCSI_CHAP_TARGET_PASSWORD}), {@code force_usn} (the Unit Serial Number the LUN must report).
 * {@code iser} and {@code LIBISCSI_RDMA_ACK_TIMEOUT} are refused (no iSER transport), as are keys libiscsi
 * does not know (libiscsi ignores them).</li>
 * <li>The target name is percent-decoded (libiscsi decodes only it); an IPv6 host goes in brackets.</li>
 * <li>Where libiscsi silently drops CHAP (a user without a password, a target user without the
 * initiator's), kiscsi refuses.</li>
 * </ul>
 */
public final class IscsiUrlParser {
    public static final String ENV_USER = "LIBISCSI_CHAP_USERNAME";
    public static final String ENV_PASSWORD = "LIBISCSI_CHAP_PASSWORD";
    public static final String ENV_TARGET_USER = "LIBISCSI_CHAP_TARGET_USERNAME";
    public static final String ENV_TARGET_PASSWORD = "LIBISCSI_CHAP_TARGET_PASSWORD";

    /** What a URL must name. */
    public enum Form {
        /** host and port; a target and LUN are refused. */
        PORTAL,
        /** a portal, optionally a target, optionally its LUN. */
        ANY,
        /** host, target and LUN. */
        LUN
    }

    private IscsiUrlParser() {
    }

    /** Parses {@code url} with the CHAP environment of {@code env} and no other secret source. */
    public static IscsiUrl parse(String url, Form form, Map<String, String> env) {
        return parse(url, form, env, SecretOptions.NONE);
    }

    public static IscsiUrl parse(String url, Form form, Map<String, String> env, SecretOptions secrets) {
        if (url == null || !url.startsWith("iscsi://")) {
            if (url != null && url.startsWith("iser://")) {
                throw bad(url, "iSER is not available: kiscsi's tools speak iSCSI over TCP (iscsi://)", form);
            }
            throw bad(url, "it does not start with iscsi://", form);
        }
        String rest = url.substring("iscsi://".length());
        Query q = new Query();
        int qm = rest.indexOf('?');
        if (qm >= 0) {
            q.parse(url, rest.substring(qm + 1), form);
            rest = rest.substring(0, qm);
        }
        // the last '@' ends the user part: a password may hold '@' (and '/'), a host or an IQN never does
        String user = null;
        String password = null;
        boolean secretInUrl = false;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int sep = userInfo.indexOf('%');
            if (sep < 0) {
                sep = userInfo.indexOf(':');
            }
            if (sep >= 0) {
                password = userInfo.substring(sep + 1);
                userInfo = userInfo.substring(0, sep);
                secretInUrl = !password.isEmpty();
            }
            user = userInfo;
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String host;
        int port = Portal.DEFAULT_PORT;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw bad(url, "the IPv6 address has no closing ']'", form);
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw bad(url, "unexpected '" + after + "' after the IPv6 address", form);
                }
                port = port(url, after.substring(1), form);
            }
            if (host.indexOf(':') < 0) {
                throw bad(url, "'" + host + "' in brackets is not an IPv6 address", form);
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                throw bad(url, "an IPv6 address goes in brackets: iscsi://[" + authority + "]/...", form);
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            if (colon >= 0) {
                port = port(url, authority.substring(colon + 1), form);
            }
        }
        if (host.isEmpty()) {
            throw bad(url, "it names no host", form);
        }
        String target = null;
        long lun = -1;
        if (!path.isEmpty()) {
            int s = path.indexOf('/');
            String t = s < 0 ? path : path.substring(0, s);
            String l = s < 0 ? null : path.substring(s + 1);
            if (t.isEmpty()) {
                throw bad(url, "the target name is empty", form);
            }
            target = decode(url, t, form);
            try {
                IscsiName.of(target);
            } catch (IscsiException | IllegalArgumentException e) {
                throw bad(url, "'" + target + "' is not an iSCSI name: " + e.getMessage(), form);
            }
            if (l != null && !(l.isEmpty() && form != Form.LUN)) {
                lun = lun(url, l, form);
            }
        }
        if (form == Form.PORTAL && target != null) {
            throw bad(url, "a portal URL names no target", form);
        }
        if (form == Form.LUN && (target == null || lun < 0)) {
            throw bad(url, target == null ? "it names no target" : "it names no LUN", form);
        }
        if (form == Form.ANY && target == null && lun >= 0) {
            throw bad(url, "a LUN without a target", form);
        }
        Credentials c = credentials(user, password, q, env, secrets);
        return new IscsiUrl(host, port, target, lun, c.chap, c.targetChap, q.headerDigest, q.dataDigest, q.chapAlgorithm,
                q.forceUsn, secretInUrl || q.targetPassword != null && !q.targetPassword.isEmpty());
    }

    private record Credentials(IscsiUrl.Credentials chap, IscsiUrl.Credentials targetChap) {
    }

    private static Credentials credentials(String urlUser, String urlPassword, Query q, Map<String, String> env,
            SecretOptions secrets) {
        String user = nonEmpty(urlUser) != null ? urlUser : nonEmpty(env.get(ENV_USER));
        String password = nonEmpty(urlPassword);
        if (password != null && secrets.givesInitiatorSecret()) {
            throw new UrlException("the URL carries a password and --password-file or --password-prompt gives another: use one");
        }
        if (password == null && user != null && secrets.givesInitiatorSecret()) {
            password = secrets.initiatorSecret(user);
        }
        if (password == null) {
            password = nonEmpty(env.get(ENV_PASSWORD));
        }
        if (user == null && password != null) {
            throw new UrlException("a CHAP password without a user: name the user in the URL (user@host) or in " + ENV_USER);
        }
        if (user != null && password == null) {
            throw new UrlException("CHAP user '" + user + "' has no password: give it with --password-file FILE, "
                    + "--password-prompt or " + ENV_PASSWORD);
        }
        String targetUser = q.targetUser != null ? nonEmpty(q.targetUser) : nonEmpty(env.get(ENV_TARGET_USER));
        String targetPassword = nonEmpty(q.targetPassword);
        if (targetPassword != null && secrets.targetPasswordFile() != null) {
            throw new UrlException("the URL carries target_password and --target-password-file gives another: use one");
        }
        if (targetPassword == null && targetUser != null && secrets.givesTargetSecret()) {
            targetPassword = secrets.targetSecret(targetUser);
        }
        if (targetPassword == null) {
            targetPassword = nonEmpty(env.get(ENV_TARGET_PASSWORD));
        }
        if (targetUser == null && targetPassword != null) {
            throw new UrlException("a target CHAP password without a target user: give target_user= or " + ENV_TARGET_USER);
        }
        if (targetUser != null && targetPassword == null) {
            throw new UrlException("target CHAP user '" + targetUser + "' has no password: give it with --target-password-file FILE, "
                    + "--password-prompt or " + ENV_TARGET_PASSWORD);
        }
        if (targetUser != null && user == null) {
            throw new UrlException("mutual CHAP (target user '" + targetUser + "') needs the initiator's CHAP user and password too");
        }
        return new Credentials(user == null ? null : new IscsiUrl.Credentials(user, password),
                targetUser == null ? null : new IscsiUrl.Credentials(targetUser, targetPassword));
    }

    /** The query arguments. */
    private static final class Query {
        String headerDigest;
        String dataDigest;
        String chapAlgorithm;
        String targetUser;
        String targetPassword;
        String forceUsn;

        void parse(String url, String query, Form form) {
            for (String arg : query.split("&", -1)) {
                if (arg.isEmpty()) {
                    continue;
                }
                int eq = arg.indexOf('=');
                String key = eq < 0 ? arg : arg.substring(0, eq);
                String value = eq < 0 ? null : arg.substring(eq + 1);
                if (key.equals("iser") || key.equals("LIBISCSI_RDMA_ACK_TIMEOUT")) {
                    throw bad(url, "'" + key + "': iSER is not available, kiscsi's tools speak iSCSI over TCP", form);
                }
                if (!key.equals("header_digest") && !key.equals("data_digest") && !key.equals("auth")
                        && !key.equals("target_user") && !key.equals("target_password") && !key.equals("force_usn")) {
                    throw bad(url, "unknown argument '" + key + "' (known: header_digest, data_digest, auth, target_user, "
                            + "target_password, force_usn)", form);
                }
                if (value == null) {
                    throw bad(url, "argument '" + key + "' has no value (" + key + "=...)", form);
                }
                switch (key) {
                    case "header_digest" -> headerDigest = digest(url, key, value, form);
                    case "data_digest" -> dataDigest = digest(url, key, value, form);
                    case "auth" -> chapAlgorithm = switch (value) {
                        case "md5" -> "MD5";
                        case "sha1" -> "SHA1";
                        case "sha-256" -> "SHA256";
                        case "sha3-256" -> "SHA3-256";
                        default -> throw bad(url, "auth=" + value + ": the CHAP algorithm is md5, sha1, sha-256 or sha3-256", form);
                    };
                    case "target_user" -> targetUser = value;
                    case "target_password" -> targetPassword = value;
                    default -> {
                        if (value.isEmpty()) {
                            throw bad(url, "force_usn= is empty: give the Unit Serial Number the LUN must report", form);
                        }
                        forceUsn = value;
                    }
                }
            }
        }

        private static String digest(String url, String key, String value, Form form) {
            return switch (value) {
                case "none" -> "None";
                case "crc32c" -> "CRC32C";
                default -> throw bad(url, key + "=" + value + ": a digest is none or crc32c", form);
            };
        }
    }

    private static int port(String url, String text, Form form) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw bad(url, "'" + text + "' is not a port number", form);
        }
        int p = Integer.parseInt(text);
        if (p < 1 || p > 65535) {
            throw bad(url, "port " + p + " is out of range 1..65535", form);
        }
        return p;
    }

    private static long lun(String url, String text, Form form) {
        if (text.isEmpty() || text.length() > 13 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw bad(url, "'" + text + "' is not a LUN number", form);
        }
        long l = Long.parseLong(text);
        if (l > Luns.MAX_NUMBER) {
            throw bad(url, "LUN " + l + " is out of range 0.." + Luns.MAX_NUMBER, form);
        }
        return l;
    }

    /** %XX decoding (UTF-8); a '%' not followed by two hex digits is refused, where libiscsi reads garbage. */
    private static String decode(String url, String s, Form form) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw bad(url, "'%' in the target name is not followed by two hex digits", form);
                }
                b.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] enc = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
                b.write(enc, 0, enc.length);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The message names the URL without its user part (which may hold a password). */
    private static UrlException bad(String url, String why, Form form) {
        return new UrlException("invalid URL " + redact(url) + ": " + why + "\n  an iSCSI URL has the form "
                + (form == Form.PORTAL ? IscsiUrl.PORTAL_SYNTAX : IscsiUrl.SYNTAX));
    }

    /** {@code url} with the user part and secret query values masked. */
    public static String redact(String url) {
        if (url == null) {
            return "(none)";
        }
        String s = url;
        int scheme = s.indexOf("://");
        int q = s.indexOf('?');
        String main = q < 0 ? s : s.substring(0, q);
        int at = main.lastIndexOf('@');
        if (at > scheme && scheme >= 0) {
            s = s.substring(0, scheme + 3) + "***@" + s.substring(at + 1);
        }
        return s.replaceAll("(target_password=)[^&]*", "$1***");
    }
}
