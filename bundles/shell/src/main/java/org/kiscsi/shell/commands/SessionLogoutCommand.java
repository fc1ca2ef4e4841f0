package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;

/** {@code iscsiadm -m session [-r sid] -u}: logs out of one session, or of every session. */
@Command(scope = "iscsi", name = "session-logout", description = "Logs out of session -r, or of every session (iscsiadm -m session -u)")
@Service
public class SessionLogoutCommand extends SessionCommandSupport {
    @Override
    protected Printed run() throws CommandException {
        if (sid == null) {
            return NodeOutcomes.logout(await(management.logout(NodeSelector.ALL)));
        }
        long id = parseSid(sid);
        session(id);
        return NodeOutcomes.logout(List.of(await(management.logoutSession(id))));
    }
}
