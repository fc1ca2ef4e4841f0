package org.kiscsi.shell.commands;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

/** Removes an NBD export; its clients are disconnected. */
@Command(scope = "iscsi", name = "export-remove", description = "Removes an NBD export and disconnects its clients; a kept export is also taken out of etc/org.kiscsi.export.nbd.cfg")
@Service
public class ExportRemoveCommand extends ExportCommandSupport {
    @Argument(index = 0, name = "name", description = "The export's name", required = true)
    String name;

    @Override
    protected String run() throws CommandException {
        return ExportText.removed(await(exports.remove(name)));
    }
}
