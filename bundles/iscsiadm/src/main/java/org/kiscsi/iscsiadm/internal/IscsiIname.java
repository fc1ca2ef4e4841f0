package org.kiscsi.iscsiadm.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;

/**
 * {@code bin/iscsi-iname}: prints a new initiator name, {@code <prefix>:<12 hex digits>}, as
 * open-iscsi's iscsi-iname does (same default prefix). {@code -p PREFIX} picks another prefix; the
 * result is checked against the iSCSI name rules before it is printed.
 */
public final class IscsiIname {
    public static final String DEFAULT_PREFIX = "iqn.2016-04.com.open-iscsi";
    private static final SecureRandom RANDOM = new SecureRandom();

    private IscsiIname() {
    }

    public static void main(String[] args) {
        String prefix = DEFAULT_PREFIX;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("-p") || a.equals("--prefix")) && i + 1 < args.length) {
                prefix = args[++i];
            } else if (a.startsWith("--prefix=")) {
                prefix = a.substring("--prefix=".length());
            } else if (a.equals("-h") || a.equals("--help")) {
                System.out.println("Usage: iscsi-iname [-h|--help | -v|--version | -p|--prefix=<prefix>]");
                System.out.println("Generates a unique iSCSI node name (default prefix " + DEFAULT_PREFIX + ")");
                System.exit(0);
            } else if (a.equals("-v") || a.equals("--version")) {
                System.out.println("iscsi-iname version " + Iscsiadm.version());
                System.exit(0);
            } else {
                System.err.println("iscsi-iname: invalid argument '" + a + "'");
                System.exit(1);
            }
        }
        try {
            System.out.println(generate(prefix));
        } catch (IscsiException e) {
            System.err.println("iscsi-iname: " + e.getMessage());
            System.exit(1);
        }
    }

    /** {@code prefix:} and 12 random hex digits; throws when the result is not a valid iSCSI name. */
    public static String generate(String prefix) {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        String name = prefix + ":" + HexFormat.of().formatHex(b);
        if (!prefix.toLowerCase(java.util.Locale.ROOT).startsWith("iqn.")) {
            throw new IscsiException(org.kiscsi.api.IscsiError.INVAL, "prefix '" + prefix + "' must start with iqn.");
        }
        return IscsiName.of(name).value();
    }
}
