package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.SessionOps;

/** {@code iscsiadm -m session [-r sid] -s}: PDU and byte counters. */
@Command(scope = "iscsi", name = "session-stats", description = "Prints the PDU and byte counters of session -r, or of every session (iscsiadm -m session -s)")
@Service
public class SessionStatsCommand extends SessionCommandSupport {
    @Override
    protected Printed run() throws CommandException {
        List<SessionDetails> sessions = sid != null ? List.of(session(parseSid(sid))) : await(management.sessions());
        if (sessions.isEmpty()) {
            return SessionOps.noSession();
        }
        Printed p = Printed.NOTHING;
        for (SessionDetails s : sessions) {
            try {
                p = p.then(Printed.out(SessionOps.statistics(s.info(), await(management.statistics(s.info().sid())))));
            } catch (IscsiException e) {
                return p.then(SessionOps.statisticsFailed(e.error(), e.getMessage()));
            }
        }
        return p;
    }
}
