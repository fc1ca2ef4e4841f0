package org.kiscsi.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A network portal of a target: address, TCP port and, when known, the target portal group tag.
 * Written as open-iscsi writes it: {@code 127.0.0.1:3260,1}, {@code [::1]:3260,1},
 * {@code [fe80::1%veth0]:3260,1}; a TPGT of {@value #TPGT_UNKNOWN} means "not known yet".
 */
public final class Portal {
    public static final int DEFAULT_PORT = 3260;
    /** open-iscsi's marker for a portal whose TPGT is not known (it prints 4294967295). */
    public static final int TPGT_UNKNOWN = -1;

    private final String address;
    private final int port;
    private final int tpgt;

    private Portal(String address, int port, int tpgt) {
        this.address = address;
        this.port = port;
        this.tpgt = tpgt;
    }

    /**
     * A portal. {@code address} is a host name or an IP literal; an IPv6 literal is given without
     * brackets and may carry a zone id ({@code fe80::1%eth0}).
     */
    public static Portal of(String address, int port, int tpgt) {
        if (address == null || address.isEmpty()) {
            throw new IscsiException(IscsiError.INVAL, "portal address is empty");
        }
        if (address.startsWith("[") || address.contains(",") || address.contains("/")) {
            throw new IscsiException(IscsiError.INVAL, "invalid portal address '" + address + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IscsiException(IscsiError.INVAL, "invalid port " + port + " for portal " + address);
        }
        if (tpgt < TPGT_UNKNOWN || tpgt > 65535) {
            throw new IscsiException(IscsiError.INVAL, "invalid target portal group tag " + tpgt + " for portal " + address);
        }
        return new Portal(address, port, tpgt);
    }

    public static Portal of(String address, int port) {
        return of(address, port, TPGT_UNKNOWN);
    }

    /**
     * Parses {@code address[:port][,tpgt]} as iscsiadm's {@code -p} takes it; IPv6 literals in
     * brackets. A TPGT of 4294967295 (open-iscsi's unsigned -1) means unknown.
     */
    public static Portal parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IscsiException(IscsiError.INVAL, "empty portal");
        }
        String s = text.trim();
        int tpgt = TPGT_UNKNOWN;
        int comma = s.lastIndexOf(',');
        if (comma >= 0) {
            tpgt = parseTpgt(s.substring(comma + 1), text);
            s = s.substring(0, comma);
        }
        String address;
        int port = DEFAULT_PORT;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IscsiException(IscsiError.INVAL, "invalid portal '" + text + "': missing ']'");
            }
            address = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IscsiException(IscsiError.INVAL, "invalid portal '" + text + "': expected ':' after ']'");
                }
                port = parsePort(rest.substring(1), text);
            }
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            address = s; // a bare IPv6 literal: no port can be told apart
        } else {
            int colon = s.indexOf(':');
            address = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0) {
                port = parsePort(s.substring(colon + 1), text);
            }
        }
        return of(address, port, tpgt);
    }

    private static int parsePort(String p, String text) {
        try {
            return Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IscsiException(IscsiError.INVAL, "invalid port '" + p + "' in portal '" + text + "'");
        }
    }

    private static int parseTpgt(String t, String text) {
        try {
            long v = Long.parseLong(t.trim());
            return v == 4294967295L ? TPGT_UNKNOWN : Math.toIntExact(v);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IscsiException(IscsiError.INVAL, "invalid target portal group tag '" + t + "' in portal '" + text + "'");
        }
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** The target portal group tag, or {@link #TPGT_UNKNOWN}. */
    public int tpgt() {
        return tpgt;
    }

    public boolean hasTpgt() {
        return tpgt != TPGT_UNKNOWN;
    }

    public Portal withTpgt(int newTpgt) {
        return of(address, port, newTpgt);
    }

    public boolean isIpv6() {
        return address.indexOf(':') >= 0;
    }

    /** The address in URL form: IPv6 literals in brackets. */
    public String hostForUrl() {
        return isIpv6() ? "[" + address + "]" : address;
    }

    /** Resolves the address (this may block on DNS for a host name). */
    public InetSocketAddress toSocketAddress() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    /** {@code address:port} (brackets for IPv6), without the TPGT. */
    public String hostPort() {
        return hostForUrl() + ":" + port;
    }

    /** The same portal without its TPGT: two portals are the same place when these are equal. */
    public Portal withoutTpgt() {
        return tpgt == TPGT_UNKNOWN ? this : new Portal(address, port, TPGT_UNKNOWN);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Portal)) {
            return false;
        }
        Portal p = (Portal) o;
        return p.port == port && p.tpgt == tpgt && p.address.equalsIgnoreCase(address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address.toLowerCase(java.util.Locale.ROOT), port, tpgt);
    }

    /** {@code address:port,tpgt} as iscsiadm prints it (tpgt -1 printed as -1). */
    @Override
    public String toString() {
        return hostPort() + "," + tpgt;
    }
}
