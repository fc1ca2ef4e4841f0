package org.kiscsi.mgmt.text;

import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.StartupLogins;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.session.SessionInfo;

/**
 * What iscsiadm prints after acting on node records and their sessions: update and delete
 * ({@code for_each_matched_rec}, {@code delete_node} in usr/iscsiadm.c), login and logout
 * ({@code __iscsi_login_portal}, {@code iscsi_login_portal}, {@code log_login_msg},
 * {@code iscsi_logout_portal}, {@code log_logout_msg} in usr/session_mgmt.c; {@code login_by_startup} in
 * usr/iscsiadm.c). Progress lines go to
 * stdout (iscsiadm's log_info), failures to stderr; the exit code is the first failure's.
 */
public final class NodeOutcomes {
    private NodeOutcomes() {
    }

    /** A whole record operation that failed before acting on any record. */
    public static Printed recordOpFailed(IscsiError error, String message) {
        if (error == IscsiError.NO_OBJS_FOUND) {
            return Printed.error(error, "No records found");
        }
        StringBuilder err = new StringBuilder();
        if (!message.isEmpty()) {
            err.append(Words.errorLine(message));
        }
        err.append(Words.errorLine("Could not execute operation on all records: " + Words.errText(error)));
        return new Printed("", err.toString(), error.code());
    }

    /** {@code -o update}: silent on success but for a warning per record key set that kiscsi does not act on. */
    public static Printed updated(List<Outcome<NodeKey>> outcomes) {
        return recordOutcomes(outcomes, false);
    }

    /**
     * {@code -o delete}: silent on success; a record a session uses ({@code SESS_EXISTS}) is kept
     * with 2.1.8's sentence ({@code delete_node}).
     */
    public static Printed deleted(List<Outcome<NodeKey>> outcomes) {
        return recordOutcomes(outcomes, true);
    }

    private static Printed recordOutcomes(List<Outcome<NodeKey>> outcomes, boolean delete) {
        if (outcomes.isEmpty()) {
            return Printed.error(IscsiError.NO_OBJS_FOUND, "No records found");
        }
        StringBuilder err = new StringBuilder(Words.warningLines(outcomes));
        IscsiError first = IscsiError.OK;
        for (Outcome<NodeKey> o : outcomes) {
            if (o.isOk()) {
                continue;
            }
            if (first == IscsiError.OK) {
                first = o.status();
            }
            NodeKey k = o.subject();
            if (delete && o.status() == IscsiError.SESS_EXISTS) {
                err.append(Words.errorLine("This command will remove the record [iface: " + k.iface() + ", target: "
                        + k.target().value() + ", portal: " + k.portal().address() + "," + k.portal().port()
                        + "], but a session is using it. Logout session then rerun command to remove record."));
            } else if (!o.message().isEmpty()) {
                err.append(Words.errorLine(o.message()));
            }
        }
        if (first == IscsiError.OK) {
            return new Printed("", err.toString(), 0);
        }
        err.append(Words.errorLine("Could not execute operation on all records: " + Words.errText(first)));
        return new Printed("", err.toString(), first.code());
    }

    /** {@code [iface: default, target: iqn..., portal: 127.0.0.1,3260]}. */
    static String where(NodeKey k) {
        return "[iface: " + k.iface() + ", target: " + k.target().value() + ", portal: " + k.portal().address() + ","
                + k.portal().port() + "]";
    }

    /**
     * {@code --login}, {@code -L}: "Logging in to" each record (stdout), then with {@code wait} each
     * result: "Login to ... successful." or "Could not login to ..." and iscsid's error (stderr),
     * then "Could not log into all portals" when any failed. A record whose sessions are all there
     * ({@code SESS_EXISTS}) gets only its warning, as 2.1.8's {@code iscsi_login_portal}. kiscsi's
     * own reason for a failure follows 2.1.8's two lines.
     */
    public static Printed login(List<Outcome<NodeKey>> outcomes, boolean wait) {
        if (outcomes.isEmpty()) {
            return Printed.error(IscsiError.NO_OBJS_FOUND, "No records found");
        }
        return logins(outcomes, wait, "Could not log into all portals");
    }

    /**
     * {@code -L} (2.1.8's {@code login_by_startup}): the ordinary logins as {@link #login}; then each
     * round of leading logins, always waited for, with "Could not log into all portals on IFACE,
     * trying next interface" when one failed, which leaves the exit code alone; then, when a leading
     * target was missed, "Could not login all leading-login portals" (and kiscsi's reason for each),
     * exiting 19 ({@code FATAL_LOGIN}) unless an ordinary login failed first.
     */
    public static Printed startupLogin(StartupLogins logins, boolean wait) {
        Printed p = logins.logins().isEmpty() ? Printed.NOTHING : logins(logins.logins(), wait, "Could not log into all portals");
        for (StartupLogins.LeadingRound r : logins.leading()) {
            Printed round = logins(r.logins(), true, "Could not log into all portals on " + r.iface() + ", trying next interface");
            p = p.then(round.withExitCode(0));
        }
        if (!logins.missed().isEmpty()) {
            StringBuilder err = new StringBuilder(Words.errorLine("Could not login all leading-login portals"));
            for (Outcome<NodeKey> o : logins.missed()) {
                if (!o.message().isEmpty()) {
                    err.append(Words.errorLine(o.message()));
                }
            }
            p = p.then(new Printed("", err.toString(), IscsiError.FATAL_LOGIN.code()));
        }
        return p;
    }

    private static Printed logins(List<Outcome<NodeKey>> outcomes, boolean wait, String incomplete) {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        IscsiError first = IscsiError.OK;
        for (Outcome<NodeKey> o : outcomes) {
            if (o.status() == IscsiError.SESS_EXISTS) {
                err.append(Words.errorLine(o.message().isEmpty() ? o.subject().iface() + ": " + Words.errText(o.status())
                        : o.message()));
                first = first == IscsiError.OK ? o.status() : first;
            } else {
                out.append("Logging in to ").append(where(o.subject())).append('\n');
            }
        }
        for (Outcome<NodeKey> o : outcomes) {
            if (o.status() == IscsiError.SESS_EXISTS) {
                continue;
            }
            if (o.isOk()) {
                if (wait) {
                    out.append("Login to ").append(where(o.subject())).append(" successful.\n");
                }
                continue;
            }
            first = first == IscsiError.OK ? o.status() : first;
            err.append(Words.errorLine("Could not login to " + where(o.subject()) + "."));
            err.append(Words.errorLine("initiator reported error (" + o.status().code() + " - " + Words.errText(o.status()) + ")"));
            if (!o.message().isEmpty()) {
                err.append(Words.errorLine(o.message()));
            }
        }
        if (first != IscsiError.OK) {
            err.append(Words.errorLine(incomplete));
        }
        return new Printed(out.toString(), err.toString(), first.code());
    }

    /** {@code [sid: 1, target: iqn..., portal: 127.0.0.1,3260]}. */
    static String where(SessionInfo s) {
        return "[sid: " + s.sid() + ", target: " + s.node().target().value() + ", portal: " + s.node().portal().address()
                + "," + s.node().portal().port() + "]";
    }

    /**
     * {@code --logout}, {@code -U}, {@code -m session [-r sid] -u}: "Logging out of session" each
     * (stdout), then "Logout of ... successful." or the failure (stderr) and "Could not logout of
     * all requested sessions"; {@code No matching sessions found} (21) when there was none.
     */
    public static Printed logout(List<Outcome<SessionInfo>> outcomes) {
        if (outcomes.isEmpty()) {
            return Printed.error(IscsiError.NO_OBJS_FOUND, "No matching sessions found");
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        IscsiError first = IscsiError.OK;
        for (Outcome<SessionInfo> o : outcomes) {
            out.append("Logging out of session ").append(where(o.subject())).append('\n');
        }
        for (Outcome<SessionInfo> o : outcomes) {
            if (o.isOk()) {
                out.append("Logout of ").append(where(o.subject())).append(" successful.\n");
                continue;
            }
            first = first == IscsiError.OK ? o.status() : first;
            err.append(Words.errorLine("Could not logout of " + where(o.subject()) + "."));
            err.append(Words.errorLine("initiator reported error (" + o.status().code() + " - " + Words.errText(o.status()) + ")"));
            if (!o.message().isEmpty()) {
                err.append(Words.errorLine(o.message()));
            }
        }
        if (first != IscsiError.OK) {
            err.append(Words.errorLine("Could not logout of all requested sessions"));
        }
        return new Printed(out.toString(), err.toString(), first.code());
    }
}
