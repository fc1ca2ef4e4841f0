package org.kiscsi.transport.tcp.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.regex.Pattern;

/** Socket addresses as kiscsi shows them: {@code 127.0.0.1:3260}, {@code [::1]:3260}, {@code [fe80::2%eth0]:3260}. */
final class Addresses {
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Addresses() {
    }

    static String format(SocketAddress a) {
        if (!(a instanceof InetSocketAddress)) {
            return String.valueOf(a);
        }
        InetSocketAddress s = (InetSocketAddress) a;
        InetAddress ip = s.getAddress();
        if (ip == null) {
            return s.getHostString() + ":" + s.getPort();
        }
        return (ip instanceof Inet6Address ? "[" + ipv6(ip) + "]" : ip.getHostAddress()) + ":" + s.getPort();
    }

    /** An address literal resolves without a name service, so the caller's thread may do it. */
    static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host).matches();
    }

    /** RFC 5952 text: lower case, the longest run of two or more zero groups as "::", then the zone. */
    static String ipv6(InetAddress ip) {
        byte[] b = ip.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        Inet6Address v6 = (Inet6Address) ip;
        if (v6.getScopedInterface() != null) {
            sb.append('%').append(v6.getScopedInterface().getName());
        } else if (v6.getScopeId() != 0) {
            sb.append('%').append(interfaceName(v6.getScopeId()));
        }
        return sb.toString();
    }

    /** The interface with that index by name (as the portal was written), else the number. */
    private static String interfaceName(int index) {
        try {
            NetworkInterface ni = NetworkInterface.getByIndex(index);
            return ni != null ? ni.getName() : Integer.toString(index);
        } catch (SocketException e) {
            return Integer.toString(index);
        }
    }
}
