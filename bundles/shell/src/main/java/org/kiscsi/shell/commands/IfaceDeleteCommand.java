package org.kiscsi.shell.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.mgmt.text.IfaceText;
import org.kiscsi.mgmt.text.Printed;

/** {@code iscsiadm -m iface -I name -o delete}: refused for the built-in ifaces and for one a session uses. */
@Command(scope = "iscsi", name = "iface-delete", description = "Deletes an iface (iscsiadm -m iface -I name -o delete)")
@Service
public class IfaceDeleteCommand extends IfaceCommandSupport {
    @Override
    protected Printed run() throws CommandException {
        return IfaceText.deleted(await(management.deleteIface(name)));
    }
}
