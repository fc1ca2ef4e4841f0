package org.kiscsi.iscsiadm.internal;

import java.util.Optional;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.NodeSelector;

/** Option values as 2.1.8's main() reads them: the operation mask, the print level, the record selector. */
final class Args {
    static final int OP_NOOP = 0x0;
    static final int OP_NEW = 0x1;
    static final int OP_DELETE = 0x2;
    static final int OP_UPDATE = 0x4;
    static final int OP_SHOW = 0x8;
    static final int OP_NONPERSISTENT = 0x10;
    static final int OP_APPLY = 0x20;
    static final int OP_APPLY_ALL = 0x40;

    private Args() {
    }

    /** The {@code -o} values OR-ed together, as 2.1.8 does ({@code str_to_op}). */
    static int op(CommandLine line) throws ClientException {
        int op = OP_NOOP;
        for (String w : line.all(Option.OP)) {
            op |= switch (w) {
                case "new" -> OP_NEW;
                case "delete" -> OP_DELETE;
                case "update" -> OP_UPDATE;
                case "show" -> OP_SHOW;
                case "nonpersistent" -> OP_NONPERSISTENT;
                case "apply" -> OP_APPLY;
                case "applyall" -> OP_APPLY_ALL;
                default -> OP_NOOP;
            };
            if (op == OP_NOOP) {
                throw new ClientException(IscsiError.INVAL, "can not recognize operation: '" + w + "'");
            }
        }
        return op;
    }

    /** {@code -P n} as C's atoi reads it; -1 when not given. */
    static int printLevel(CommandLine line) {
        return line.value(Option.PRINT).map(Args::atoi).orElse(-1);
    }

    static int atoi(String s) {
        String t = s.trim();
        int end = 0;
        if (end < t.length() && (t.charAt(end) == '-' || t.charAt(end) == '+')) {
            end++;
        }
        while (end < t.length() && Character.isDigit(t.charAt(end))) {
            end++;
        }
        try {
            return end == 0 || (end == 1 && !Character.isDigit(t.charAt(0))) ? 0 : Integer.parseInt(t.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * {@code -T}, {@code -p} and {@code -I} as a selector. {@code keepTpgt} false drops the TPGT of
     * {@code -p}: 2.1.8 matches records on target, address, port and iface only ({@code
     * __iscsi_match_session}, {@code print_nodes_config}).
     */
    static NodeSelector selector(CommandLine line, boolean keepTpgt) throws ClientException {
        try {
            Optional<IscsiName> target = line.value(Option.TARGETNAME).map(IscsiName::of);
            Optional<Portal> portal = line.value(Option.PORTAL).map(Portal::parse)
                    .map(p -> keepTpgt ? p : p.withoutTpgt());
            return new NodeSelector(target, portal, line.all(Option.INTERFACE));
        } catch (IscsiException e) {
            throw new ClientException(e.error(), e.getMessage());
        }
    }

    static boolean selects(CommandLine line) {
        return line.has(Option.TARGETNAME) || line.has(Option.PORTAL) || line.has(Option.INTERFACE);
    }

    /**
     * {@code -p} as 2.1.8's {@code str_to_ipport} reads it for discovery: {@code defaultPort} when the
     * text names no port (3260 for SendTargets, 3205 for iSNS); any TPGT is dropped.
     */
    static Portal discoveryPortal(String text, int defaultPort) throws ClientException {
        try {
            Portal p = Portal.parse(text);
            return Portal.of(p.address(), namesPort(text) ? p.port() : defaultPort);
        } catch (IscsiException e) {
            throw new ClientException(e.error(), e.getMessage());
        }
    }

    private static boolean namesPort(String text) {
        String s = text.trim();
        int comma = s.indexOf(',');
        if (comma >= 0) {
            s = s.substring(0, comma);
        }
        if (s.indexOf('.') >= 0) {
            return s.indexOf(':') >= 0;
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            return close >= 0 && s.indexOf(':', close) >= 0;
        }
        int colon = s.indexOf(':');
        return colon >= 0 && s.indexOf(':', colon + 1) < 0; // host:port; two colons are an IPv6 address
    }
}
