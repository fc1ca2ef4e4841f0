package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.AfterClass;
import org.kiscsi.api.Portal;
import org.kiscsi.itests.UnpackedDistribution.Split;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;

/**
 * What the bin/iscsiadm end-to-end tests of issue 14 share: one unpacked distribution, one loopback
 * tgtd and ONE daemon per class (started once: a start costs many seconds on a 2-core machine), every
 * session logged out and every record removed after each test. Outputs are checked as open-iscsi
 * 2.1.8 prints them: its usr/session_mgmt.c, usr/session_info.c, usr/iscsiadm.c and usr/iscsi_err.c
 * are cited where a string comes from.
 */
abstract class IscsiadmEndToEnd {
    /** Short login timeouts for records that must fail: each class stays well under two minutes. */
    protected static final Map<String, String> QUICK_FAILURE = Map.of("node.conn[0].timeo.login_timeout", "2",
            "node.session.initial_login_retry_max", "1", "node.conn[0].timeo.logout_timeout", "2",
            "node.session.timeo.replacement_timeout", "5");
    private static final Pattern SESSION_LINE = Pattern.compile("^tcp: \\[(\\d+)\\] (\\S+):(\\d+),(-?\\d+) (\\S+) \\(non-flash\\)$");

    protected static UnpackedDistribution dist;
    protected static InstallRecords records;
    protected static Tgtd tgtd;
    protected static String initiator;

    /** Unpacks, starts tgtd (no targets yet) and does not start the daemon: see {@link #startDaemon()}. */
    protected static void unpackAndStartTgtd() throws Exception {
        dist = UnpackedDistribution.unpack();
        records = new InstallRecords(dist.home());
        tgtd = Tgtd.start(Loopback.IPV4);
    }

    protected static void startDaemon() throws Exception {
        dist.startWithEngine();
        initiator = records.initiatorName();
    }

    /** A target on tgtd, open to every initiator, with a LUN {@code n} of {@code mib[n-1]} MiB for each size given. */
    protected static TgtTarget target(String iqn, int... mib) {
        TgtTarget t = tgtd.createTarget(iqn).allowAll();
        for (int i = 0; i < mib.length; i++) {
            t.addLun(i + 1, LunBacking.file((long) mib[i] << 20));
        }
        return t;
    }

    @AfterClass
    public static void stopAll() throws Exception {
        try {
            if (dist != null) {
                dist.stopDaemons();
            }
        } finally {
            try {
                if (tgtd != null) {
                    tgtd.close();
                }
            } finally {
                if (dist != null) {
                    dist.close();
                }
            }
        }
    }

    /** Every session logged out (by sid, as a user would), then every record gone. */
    @After
    public void logOutAndForget() throws Exception {
        for (String sid : sids()) {
            iscsiadm("-m", "session", "-r", sid, "-u");
        }
        records.clear();
    }

    protected static Split iscsiadm(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("iscsiadm"));
        cmd.addAll(List.of(args));
        return dist.binSplit(cmd.toArray(new String[0]));
    }

    /** The sids {@code iscsiadm -m session} lists (none when it exits 21). */
    protected static List<String> sids() throws Exception {
        List<String> out = new ArrayList<>();
        for (SessionLine l : sessionLines()) {
            out.add(l.sid());
        }
        return out;
    }

    /** One line of {@code iscsiadm -m session} (-P 0), usr/session_info.c session_info_print_flat. */
    protected record SessionLine(String sid, String address, int port, int tpgt, String target) {
    }

    protected static List<SessionLine> sessionLines() throws Exception {
        Split r = iscsiadm("-m", "session");
        List<SessionLine> out = new ArrayList<>();
        if (r.exit() == 21) {
            return out;
        }
        assertEquals(r.toString(), 0, r.exit());
        for (String line : r.stdout().split("\n")) {
            Matcher m = SESSION_LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a session line as open-iscsi prints it: '" + line + "' in " + r);
            }
            out.add(new SessionLine(m.group(1), m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), m.group(5)));
        }
        return out;
    }

    /** open-iscsi writes portals in login and logout messages as ip,port (usr/session_mgmt.c). */
    protected static String messagePortal(Portal p) {
        return p.address() + "," + p.port();
    }

    /** {@code [iface: default, target: T, portal: ip,port]} as log_login_msg writes it. */
    protected static String where(String iface, String target, Portal p) {
        return "[iface: " + iface + ", target: " + target + ", portal: " + messagePortal(p) + "]";
    }

    /** The portal as iscsiadm's -p takes it. */
    protected static String dashP(Portal p) {
        return p.address() + ":" + p.port();
    }

    /** iscsi_err.c's text for each exit code the tests meet. */
    protected static String errorText(int code) {
        return switch (code) {
            case 8 -> "connection timed out";
            case 11 -> "iSCSI PDU timed out";
            case 12 -> "iSCSI driver not found. Please make sure it is loaded, and retry the operation";
            case 15 -> "session exists";
            case 19 -> "encountered non-retryable iSCSI login failure";
            case 21 -> "no objects found";
            case 24 -> "iSCSI login failed due to authorization failure";
            default -> throw new IllegalArgumentException("no text noted for " + code);
        };
    }

    /**
     * A failed login as usr/session_mgmt.c log_login_msg and usr/iscsi_err.c iscsi_err_print_msg print
     * it, both on standard error with the "iscsiadm: " prefix (usr/log.c log_do_log_std: LOG_INFO to
     * stdout, everything else to stderr): "Could not login to [...]." then "initiator reported error
     * (N - text)". kiscsi may add a detail after the text (what and where); the line must start so.
     */
    protected static void assertLoginFailure(Split r, String iface, String target, Portal p, int code) {
        List<String> err = r.stderr().lines().toList();
        int at = err.indexOf("iscsiadm: Could not login to " + where(iface, target, p) + ".");
        if (at < 0) {
            throw new AssertionError("no 'Could not login to " + where(iface, target, p) + ".' line on stderr: " + r);
        }
        String reported = "iscsiadm: initiator reported error (" + code + " - " + errorText(code) + ")";
        if (at + 1 >= err.size() || !err.get(at + 1).startsWith(reported)) {
            throw new AssertionError("the line after it is not '" + reported + "': " + r);
        }
    }
}
