package org.kiscsi.shell.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiException;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;

/** {@code iscsiadm -m node [-T ...] [-p ...] [-I ...] -o delete}: a record a session uses is kept, and said so. */
@Command(scope = "iscsi", name = "node-delete", description = "Deletes the selected node records (iscsiadm -m node -o delete); every record without -T, -p, -I")
@Service
public class NodeDeleteCommand extends NodeCommandSupport {
    @Override
    protected Printed run() throws CommandException {
        try {
            return NodeOutcomes.deleted(await(management.deleteNodes(selector(false))));
        } catch (IscsiException e) {
            return NodeOutcomes.recordOpFailed(e.error(), e.getMessage());
        }
    }
}
