package org.kiscsi.iscsiadm.internal;

import java.util.List;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.SessionOps;
import org.kiscsi.mgmt.text.SessionText;

/**
 * {@code iscsiadm -m session}: the list at {@code -P 0..3}, and with {@code -r sid} one session:
 * its tree, {@code -u}, {@code -R}, {@code -s}, or (as 2.1.8, which drops down to node operations)
 * its node record. The order of checks is 2.1.8's main().
 */
final class SessionMode implements Mode {
    @Override
    public String name() {
        return "session";
    }

    @Override
    public Set<Option> options() {
        // 2.1.8: "PiRdrmusonuSv" (-i, the ping interval, has no use here)
        return Set.of(Option.PRINT, Option.RESCAN, Option.DEBUG, Option.SID, Option.LOGOUT, Option.STATS, Option.OP,
                Option.NAME, Option.SHOW, Option.VALUE);
    }

    @Override
    public int run(CommandLine line, Env env) throws ClientException {
        int op = Args.op(line);
        int level = Args.printLevel(line);
        boolean logout = line.has(Option.LOGOUT);
        boolean rescan = line.has(Option.RESCAN);
        boolean stats = line.has(Option.STATS);
        if (line.has(Option.SID)) {
            return one(line, sid(line.value(Option.SID).orElse("")), op, level, env);
        }
        if (op == Args.OP_NEW) {
            throw new ClientException(IscsiError.INVAL, "session mode: Operation 'new' only allowed with specific session IDs");
        }
        IscsiManagement m = env.management();
        if (logout) {
            return env.print(NodeOutcomes.logout(env.await(m.logout(NodeSelector.ALL))));
        }
        if (rescan) {
            return NodeMode.rescan(NodeSelector.ALL, env);
        }
        if (stats) {
            return NodeMode.statistics(NodeSelector.ALL, env);
        }
        List<SessionDetails> sessions = env.await(m.sessions());
        if (sessions.isEmpty()) {
            return env.print(SessionText.list(sessions, List.of(), level, false));
        }
        return env.print(SessionText.list(sessions, level > 0 ? env.await(m.hosts()) : List.of(), level,
                line.has(Option.SHOW)));
    }

    /** A session id as 2.1.8 takes it: a number, or a sysfs path ending in {@code session<N>}. */
    static long sid(String text) throws ClientException {
        String t = text.trim();
        int slash = t.lastIndexOf('/');
        String last = slash >= 0 ? t.substring(slash + 1) : t;
        if (last.startsWith("session")) {
            last = last.substring("session".length());
        }
        try {
            long sid = Long.parseLong(last);
            if (sid >= 0) {
                return sid;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ClientException(IscsiError.GENERIC, text + " is an invalid session ID or path");
    }

    private static int one(CommandLine line, long sid, int op, int level, Env env) throws ClientException {
        IscsiManagement m = env.management();
        SessionDetails s;
        try {
            s = env.await(m.session(sid));
        } catch (IscsiException e) {
            if (e.error() != IscsiError.SESS_NOT_FOUND) {
                throw e;
            }
            // 2.1.8 reads the session from sysfs and fails with SYSFS_LOOKUP (22)
            return env.print(Printed.error(IscsiError.SYSFS_LOOKUP, "Could not get session info for sid " + sid));
        }
        boolean logout = line.has(Option.LOGOUT);
        if (!logout && !line.has(Option.RESCAN) && !line.has(Option.STATS) && op == Args.OP_NOOP && level > 0) {
            return env.print(SessionText.print(List.of(s), env.await(m.hosts()), level, line.has(Option.SHOW)));
        }
        if (op == Args.OP_NEW) {
            throw new ClientException(IscsiError.OP_NOT_SUPP, "session mode: kiscsi logs in the sessions a record asks for"
                    + " (node.session.nr_sessions) and cannot add one more to session " + sid
                    + "; raise node.session.nr_sessions and log in again");
        }
        if (logout && !line.has(Option.RESCAN) && !line.has(Option.STATS)) {
            if (line.has(Option.LOGIN)) {
                throw new ClientException(IscsiError.INVAL, "Invalid parameters. Both login and logout passed in");
            }
            if (op > Args.OP_NOOP) {
                throw new ClientException(IscsiError.INVAL, "Invalid parameters. Login/logout and op passed in");
            }
            return env.print(NodeOutcomes.logout(List.of(env.await(m.logoutSession(sid)))));
        }
        if (line.has(Option.RESCAN)) {
            List<org.kiscsi.api.manage.Outcome<SessionInfo>> r = env.await(m.rescan(sid));
            return env.print(SessionOps.rescanned(r));
        }
        if (line.has(Option.STATS)) {
            try {
                return env.print(Printed.out(SessionOps.statistics(s.info(), env.await(m.statistics(sid)))));
            } catch (IscsiException e) {
                return env.print(SessionOps.statisticsFailed(e.error(), e.getMessage()));
            }
        }
        // the session's own record: show, update or delete it
        org.kiscsi.api.node.NodeKey k = s.info().node();
        return NodeMode.recordOp(line, op, new NodeSelector(java.util.Optional.of(k.target()),
                java.util.Optional.of(k.portal().withoutTpgt()), List.of(k.iface())), true, env);
    }
}
