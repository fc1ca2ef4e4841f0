package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.mgmt.text.IfaceText;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.RecordText;
import org.kiscsi.shell.completers.IfaceNameCompleter;

/** {@code iscsiadm -m iface [-I name] [-P 0|1]}: the ifaces, one iface's record, or the tree of their node records. */
@Command(scope = "iscsi", name = "iface", description = "Lists the ifaces (iscsiadm -m iface), shows one with -I, or the records bound to them with -P 1")
@Service
public class IfaceListCommand extends IscsiCommandSupport {
    @Option(name = "-I", aliases = "--interface", description = "The iface to show")
    @Completion(IfaceNameCompleter.class)
    String name;

    @Option(name = "-P", aliases = "--print", description = "Print level: 0 list, 1 tree of the node records bound to each iface")
    int printLevel = -1;

    @Override
    protected Printed run() throws CommandException {
        switch (printLevel) {
            case 0, -1 -> {
                return name == null ? IfaceText.list(await(management.ifaces())) : RecordText.ifaceShow(await(management.iface(name)));
            }
            case 1 -> {
                List<IfaceRecord> ifaces = name == null ? await(management.ifaces()) : List.of(await(management.iface(name)));
                return IfaceText.tree(ifaces, await(management.nodes(NodeSelector.ALL, false)));
            }
            default -> {
                return Printed.error(IscsiError.INVAL, "Invalid info level " + printLevel + ". Try 0 - 1.");
            }
        }
    }
}
