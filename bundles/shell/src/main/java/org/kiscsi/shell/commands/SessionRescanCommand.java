package org.kiscsi.shell.commands;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.SessionOps;

/** {@code iscsiadm -m session [-r sid] -R}: REPORT LUNS, INQUIRY and READ CAPACITY again. */
@Command(scope = "iscsi", name = "session-rescan", description = "Rescans the LUNs of session -r, or of every session (iscsiadm -m session -R)")
@Service
public class SessionRescanCommand extends SessionCommandSupport {
    @Override
    protected Printed run() throws CommandException {
        if (sid != null) {
            long id = parseSid(sid);
            session(id);
            return SessionOps.rescanned(await(management.rescan(id)));
        }
        List<SessionDetails> sessions = await(management.sessions());
        if (sessions.isEmpty()) {
            return SessionOps.noSession();
        }
        List<Outcome<SessionInfo>> all = new ArrayList<>();
        for (SessionDetails s : sessions) {
            all.addAll(await(management.rescan(s.info().sid())));
        }
        return SessionOps.rescanned(all);
    }
}
