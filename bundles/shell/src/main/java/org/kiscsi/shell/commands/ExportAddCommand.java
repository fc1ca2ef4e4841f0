package org.kiscsi.shell.commands;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.export.ExportInfo;
import org.kiscsi.api.export.ExportSpec;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.shell.completers.IfaceNameCompleter;
import org.kiscsi.shell.completers.PortalCompleter;
import org.kiscsi.shell.completers.TargetNameCompleter;

/**
 * Adds an NBD export at run time: a LUN of the sessions of one node record. Like a node record made with
 * iscsiadm, it is kept (written into etc/org.kiscsi.export.nbd.cfg) until removed; {@code --nonpersistent}
 * keeps it for this run of the daemon only, as iscsiadm's {@code -o nonpersistent} keeps discovered
 * targets out of the node database.
 */
@Command(scope = "iscsi", name = "export-add", description = "Exports a LUN of a node record's session over NBD, following the record's sessions; kept in etc/org.kiscsi.export.nbd.cfg until removed, unless --nonpersistent")
@Service
public class ExportAddCommand extends ExportCommandSupport {
    @Option(name = "-T", aliases = "--targetname", required = true, description = "The record's target")
    @Completion(TargetNameCompleter.class)
    String target;

    @Option(name = "-p", aliases = "--portal", required = true, description = "The record's portal, address[:port][,tpgt]")
    @Completion(PortalCompleter.class)
    String portal;

    @Option(name = "-I", aliases = "--interface", description = "The record's iface (default: default)")
    @Completion(IfaceNameCompleter.class)
    String iface;

    @Option(name = "-l", aliases = "--lun", description = "The LUN (default 0)")
    long lun;

    @Option(name = "-r", aliases = "--read-only", description = "Refuse writes")
    boolean readOnly;

    @Option(name = "--nonpersistent", description = "For this run of the daemon only: not written into etc/org.kiscsi.export.nbd.cfg")
    boolean nonPersistent;

    @Argument(index = 0, name = "name", description = "The export's name, as NBD clients ask for it", required = true)
    String name;

    @Override
    protected String run() throws CommandException {
        ExportSpec spec;
        try {
            spec = new ExportSpec(name, new NodeKey(IscsiName.of(target), Portal.parse(portal), iface), lun, readOnly);
        } catch (IllegalArgumentException e) {
            throw new IscsiException(IscsiError.INVAL, e.getMessage());
        }
        ExportInfo added = await(exports.add(spec, !nonPersistent));
        return ExportText.added(added, exports.listeners());
    }
}
