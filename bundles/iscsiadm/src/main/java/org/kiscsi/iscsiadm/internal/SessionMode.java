package org.kiscsi.iscsiadm.internal;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.mgmt.MgmtOp;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;

/**
 * {@code iscsiadm -m session}: one line per session as open-iscsi prints it
 * ({@code tcp: [1] 127.0.0.1:3260,1 iqn... (non-flash)}); {@code -r sid -u} logs one out.
 */
final class SessionMode implements Mode {
    @Override
    public String name() {
        return "session";
    }

    @Override
    public Set<Option> options() {
        return Set.of(Option.SID, Option.LOGOUT, Option.PRINT, Option.DEBUG);
    }

    @Override
    public int run(CommandLine line, DaemonClient daemon, PrintStream out) throws ClientException {
        if (line.has(Option.LOGOUT)) {
            String sid = line.value(Option.SID).orElseThrow(() -> new ClientException(IscsiError.INVAL,
                    "-m session --logout needs -r sid"));
            MgmtResponse r = daemon.call(MgmtRequest.of(MgmtOp.LOGOUT, Map.of("sid", sid)));
            for (Map<String, String> row : r.rows()) {
                out.println("Logging out of session [sid: " + row.get("sid") + ", target: " + row.get("target")
                        + ", portal: " + portalForMessages(row.get("portal")) + "]");
                out.println("Logout of [sid: " + row.get("sid") + ", target: " + row.get("target") + ", portal: "
                        + portalForMessages(row.get("portal")) + "] successful.");
            }
            return 0;
        }
        MgmtResponse r = daemon.call(MgmtRequest.of(MgmtOp.SESSION_LIST));
        String only = line.value(Option.SID).orElse(null);
        int shown = 0;
        for (Map<String, String> row : r.rows()) {
            if (only != null && !only.equals(row.get("sid"))) {
                continue;
            }
            out.println(row.getOrDefault("transport", "tcp") + ": [" + row.get("sid") + "] " + row.get("portal") + " "
                    + row.get("target") + " (non-flash)");
            shown++;
        }
        if (shown == 0) {
            throw new ClientException(IscsiError.NO_OBJS_FOUND, "No active sessions.");
        }
        return 0;
    }

    /** open-iscsi writes portals in login/logout messages as {@code ip,port}. */
    static String portalForMessages(String portal) {
        if (portal == null) {
            return "";
        }
        String p = portal.contains(",") ? portal.substring(0, portal.lastIndexOf(',')) : portal;
        int colon = p.lastIndexOf(':');
        return colon < 0 ? p : p.substring(0, colon) + "," + p.substring(colon + 1);
    }
}
