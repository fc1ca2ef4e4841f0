package org.kiscsi.shell.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.RecordText;

/** {@code iscsiadm -m node [-P 0|1]}, and with {@code -T}/{@code -p}/{@code -I} the records they select. */
@Command(scope = "iscsi", name = "node", description = "Lists the node records (iscsiadm -m node), or shows those -T, -p, -I select")
@Service
public class NodeListCommand extends NodeCommandSupport {
    @Option(name = "-P", aliases = "--print", description = "Print level: 0 flat list, 1 tree of targets, portals and ifaces")
    int printLevel = -1;

    @Option(name = "-S", aliases = "--show", description = "Show secrets (CHAP passwords) in the records shown")
    boolean secrets;

    @Override
    protected Printed run() throws CommandException {
        if (selects()) {
            return RecordText.nodeShow(await(management.nodes(selector(false), secrets)), secrets);
        }
        if (printLevel != 0 && printLevel != -1 && printLevel != 1) {
            return RecordText.nodeList(java.util.List.of(), printLevel);
        }
        return RecordText.nodeList(await(management.nodes(NodeSelector.ALL, false)), printLevel);
    }
}
