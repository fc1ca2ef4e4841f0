package org.kiscsi.shell.commands;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/** The NBD exports: state, session, LUN, size, clients and URIs. */
@Command(scope = "iscsi", name = "export-list", description = "Lists the NBD exports: their session, state, size, clients and URIs")
@Service
public class ExportListCommand extends ExportCommandSupport {
    @Argument(index = 0, name = "name", description = "Only this export", required = false)
    String name;

    @Override
    protected String run() throws CommandException {
        if (name == null) {
            return ExportText.list(exports.exports(), exports.listeners());
        }
        return ExportText.export(exports.export(name).orElseThrow(() -> new IscsiException(IscsiError.NO_OBJS_FOUND,
                "no export named '" + name + "'")), exports.listeners());
    }
}
