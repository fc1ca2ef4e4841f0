package org.kiscsi.discovery.sendtargets.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.discovery.DiscoveredTarget;

/**
 * A SendTargets answer (RFC 7143 section 13.11): {@code TargetName=} lines, each followed by the
 * {@code TargetAddress=address[:port],tpgt} lines of its portals. Parsed strictly: anything else —
 * a pair without {@code =}, an address before any name, an unknown key, a name or address that does
 * not parse — fails the whole answer, naming the offending text.
 */
public final class SendTargetsAnswer {
    private static final Pattern HOST = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,5}");

    private SendTargetsAnswer() {
    }

    /**
     * @param keyValues the answer's {@code key=value} pairs in order
     * @param discoveryPortal where targets listed without an address are reached
     * @throws IscsiException naming the offending text when the answer is malformed
     */
    public static List<DiscoveredTarget> parse(List<String> keyValues, Portal discoveryPortal) {
        Map<IscsiName, Set<Portal>> targets = new LinkedHashMap<>();
        IscsiName current = null;
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw bad("'" + shown(kv) + "' is not a key=value pair");
            }
            String key = kv.substring(0, eq);
            String value = kv.substring(eq + 1);
            if (key.equals("TargetName")) {
                try {
                    current = IscsiName.of(value);
                } catch (IscsiException e) {
                    throw bad("TargetName '" + shown(value) + "' is not an iSCSI name: " + e.getMessage());
                }
                targets.computeIfAbsent(current, n -> new LinkedHashSet<>());
            } else if (key.equals("TargetAddress")) {
                if (current == null) {
                    throw bad("TargetAddress '" + shown(value) + "' comes before any TargetName");
                }
                targets.get(current).add(address(value));
            } else {
                throw bad("unexpected key '" + shown(kv) + "'" + (current == null ? "" : " after TargetName " + current.value()));
            }
        }
        List<DiscoveredTarget> out = new ArrayList<>();
        targets.forEach((name, portals) -> out.add(new DiscoveredTarget(name,
                portals.isEmpty() ? List.of(discoveryPortal.withoutTpgt()) : List.copyOf(portals))));
        return out;
    }

    /** {@code address[:port][,tpgt]}; IPv6 literals in brackets; a missing TPGT is unknown, as open-iscsi takes it. */
    static Portal address(String text) {
        String s = text;
        int tpgt = Portal.TPGT_UNKNOWN;
        int comma = s.lastIndexOf(',');
        if (comma >= 0) {
            tpgt = number(s.substring(comma + 1), 0, 65535, "portal group tag", text);
            s = s.substring(0, comma);
        }
        String host;
        int port = Portal.DEFAULT_PORT;
        String portText = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw bad("TargetAddress '" + shown(text) + "' has no ']' after its IPv6 address");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw bad("TargetAddress '" + shown(text) + "': expected ':port' after ']'");
                }
                portText = rest.substring(1);
            }
            if (!IPV6.matcher(host).matches()) {
                throw bad("TargetAddress '" + shown(text) + "': '" + shown(host) + "' is not an IPv6 address");
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                throw bad("TargetAddress '" + shown(text) + "': an IPv6 address must be in brackets");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            portText = colon < 0 ? null : s.substring(colon + 1);
            if (!HOST.matcher(host).matches() || host.length() > 253) {
                throw bad("TargetAddress '" + shown(text) + "': '" + shown(host) + "' is neither an IP address nor a host name");
            }
        }
        if (portText != null) {
            port = number(portText, 1, 65535, "port", text);
        }
        return Portal.of(host, port, tpgt);
    }

    private static int number(String s, int min, int max, String what, String text) {
        if (!NUMBER.matcher(s).matches() || Integer.parseInt(s) < min || Integer.parseInt(s) > max) {
            throw bad("TargetAddress '" + shown(text) + "': '" + shown(s) + "' is not a " + what + " (" + min + ".." + max + ")");
        }
        return Integer.parseInt(s);
    }

    private static IscsiException bad(String what) {
        return new IscsiException(IscsiError.TRANS, "malformed SendTargets answer: " + what + "; nothing was recorded");
    }

    /** At most 120 characters of the target's text, control characters shown as '?'. */
    static String shown(String s) {
        String t = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
