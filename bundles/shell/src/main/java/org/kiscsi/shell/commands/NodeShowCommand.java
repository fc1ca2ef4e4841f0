package org.kiscsi.shell.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.RecordText;

/** {@code iscsiadm -m node [-T ...] [-p ...] [-I ...] -o show [-S]}: every selected record in full. */
@Command(scope = "iscsi", name = "node-show", description = "Shows node records in full, secrets masked unless -S (iscsiadm -m node -o show)")
@Service
public class NodeShowCommand extends NodeCommandSupport {
    @Option(name = "-S", aliases = "--show", description = "Show secrets (CHAP passwords)")
    boolean secrets;

    @Override
    protected Printed run() throws CommandException {
        return RecordText.nodeShow(await(management.nodes(selector(false), secrets)), secrets);
    }
}
