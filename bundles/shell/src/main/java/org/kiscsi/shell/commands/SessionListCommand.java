package org.kiscsi.shell.commands;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.RecordText;
import org.kiscsi.mgmt.text.SessionText;

/**
 * {@code iscsiadm -m session [-P 0..3] [-S]}; with {@code -r sid} that session's tree at {@code -P},
 * or without {@code -P} its node record, as iscsiadm prints them.
 */
@Command(scope = "iscsi", name = "session", description = "Lists the sessions (iscsiadm -m session), at -P 0..3 with states, timeouts, CHAP, negotiated values and LUNs")
@Service
public class SessionListCommand extends SessionCommandSupport {
    @Option(name = "-P", aliases = "--print", description = "Print level 0..3")
    int printLevel = -1;

    @Option(name = "-S", aliases = "--show", description = "Show CHAP passwords (-P 2 and 3) and the record's secrets (-r without -P)")
    boolean secrets;

    @Override
    protected Printed run() throws CommandException {
        if (sid != null) {
            SessionDetails s = session(parseSid(sid));
            if (printLevel > 0) {
                return SessionText.print(List.of(s), await(management.hosts()), printLevel, secrets);
            }
            NodeKey k = s.info().node();
            NodeSelector own = new NodeSelector(Optional.of(k.target()), Optional.of(k.portal().withoutTpgt()), List.of(k.iface()));
            return RecordText.nodeShow(await(management.nodes(own, secrets)), secrets);
        }
        List<SessionDetails> sessions = await(management.sessions());
        if (sessions.isEmpty()) {
            return SessionText.list(sessions, List.of(), printLevel, false);
        }
        return SessionText.list(sessions, printLevel > 0 ? await(management.hosts()) : List.of(), printLevel, secrets);
    }
}
