package org.kiscsi.iscsiadm.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.mgmt.MgmtOp;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;

/**
 * {@code iscsiadm -m node -T target [-p portal] [-I iface] --login | --logout}: log in to the node
 * records that match, or out of their sessions, printing what open-iscsi prints. Record operations
 * ({@code -o new|update|delete|show}) come with the node management issue.
 */
final class NodeMode implements Mode {
    @Override
    public String name() {
        return "node";
    }

    @Override
    public Set<Option> options() {
        return Set.of(Option.TARGETNAME, Option.PORTAL, Option.INTERFACE, Option.LOGIN, Option.LOGOUT, Option.DEBUG);
    }

    @Override
    public int run(CommandLine line, DaemonClient daemon, PrintStream out) throws ClientException {
        boolean login = line.has(Option.LOGIN);
        if (login == line.has(Option.LOGOUT)) {
            throw new ClientException(IscsiError.INVAL, "-m node needs exactly one of --login and --logout (record operations are not there yet)");
        }
        String target = line.value(Option.TARGETNAME).orElseThrow(() ->
                new ClientException(IscsiError.INVAL, "-m node " + (login ? "--login" : "--logout") + " needs -T targetname"));
        Map<String, String> args = new LinkedHashMap<>();
        args.put("target", target);
        line.value(Option.PORTAL).ifPresent(p -> args.put("portal", p));
        line.value(Option.INTERFACE).ifPresent(i -> args.put("iface", i));
        String portal = line.value(Option.PORTAL).orElse("all portals").replace(':', ',');
        String iface = line.value(Option.INTERFACE).orElse("default");
        if (login) {
            MgmtResponse r;
            try {
                r = daemon.answer(MgmtRequest.of(MgmtOp.LOGIN, args));
            } catch (ClientException e) {
                // no daemon, no answer: reported as a failed login, as open-iscsi does
                r = MgmtResponse.error(e.exitCode(), e.getMessage());
            }
            return login(r, "[iface: " + iface + ", target: " + target + ", portal: " + portal + "]", out);
        } else {
            MgmtResponse r = daemon.call(MgmtRequest.of(MgmtOp.LOGOUT, args));
            for (Map<String, String> row : r.rows()) {
                out.println("Logging out of session [sid: " + row.get("sid") + ", target: " + row.get("target") + ", portal: "
                        + SessionMode.portalForMessages(row.get("portal")) + "]");
            }
            for (Map<String, String> row : r.rows()) {
                out.println("Logout of [sid: " + row.get("sid") + ", target: " + row.get("target") + ", portal: "
                        + SessionMode.portalForMessages(row.get("portal")) + "] successful.");
            }
        }
        return 0;
    }

    /**
     * Prints a login's answer as open-iscsi prints its logins: the records logged in to on stdout;
     * for each record whose sessions were all present already its line (exit code 15, as 2.1.8);
     * another failure as "Could not login to" the request's records.
     */
    private static int login(MgmtResponse r, String asked, PrintStream out) throws ClientException {
        List<Map<String, String>> loggedIn = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map<String, String> row : r.rows()) {
            if (row.containsKey("status")) {
                problems.add(row.get("message"));
            } else {
                loggedIn.add(row);
            }
        }
        for (Map<String, String> row : loggedIn) {
            out.println("Logging in to " + where(row));
        }
        for (Map<String, String> row : loggedIn) {
            out.println("Login to " + where(row) + " successful.");
        }
        if (r.isOk()) {
            return 0;
        }
        if (r.status() != IscsiError.SESS_EXISTS.code() || problems.isEmpty()) {
            // open-iscsi's wording, then kiscsi's own reason (what failed and where)
            out.println("Logging in to " + asked);
            problems.add("Could not login to " + asked + ".\n"
                    + "iscsiadm: initiator reported error (" + r.status() + " - "
                    + IscsiError.ofCode(r.status()).text() + "): " + r.message());
        }
        problems.add("Could not log into all portals");
        throw new ClientException(r.status(), String.join("\niscsiadm: ", problems));
    }

    private static String where(Map<String, String> row) {
        return "[iface: " + row.get("iface") + ", target: " + row.get("target") + ", portal: "
                + SessionMode.portalForMessages(row.get("portal")) + "]";
    }
}
