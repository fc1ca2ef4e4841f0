package org.kiscsi.iscsiadm.internal;

import java.io.PrintStream;
import java.util.LinkedHashMap;
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
            String what = "[iface: " + iface + ", target: " + target + ", portal: " + portal + "]";
            out.println("Logging in to " + what);
            MgmtResponse r;
            try {
                r = daemon.call(MgmtRequest.of(MgmtOp.LOGIN, args));
            } catch (ClientException e) {
                // open-iscsi's wording, then kiscsi's own reason (what failed and where)
                throw new ClientException(e.exitCode(), "Could not login to " + what + ".\n"
                        + "iscsiadm: initiator reported error (" + e.exitCode() + " - "
                        + IscsiError.ofCode(e.exitCode()).text() + "): " + e.getMessage() + "\n"
                        + "iscsiadm: Could not log into all portals");
            }
            for (Map<String, String> row : r.rows()) {
                out.println("Login to [iface: " + row.get("iface") + ", target: " + row.get("target") + ", portal: "
                        + SessionMode.portalForMessages(row.get("portal")) + "] successful.");
            }
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
}
