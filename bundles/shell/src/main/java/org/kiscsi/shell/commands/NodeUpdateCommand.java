package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.shell.completers.KeyValueCompleter;
import org.kiscsi.shell.completers.NodeKeyCompleter;

/** {@code iscsiadm -m node [-T ...] [-p ...] [-I ...] -o update -n key -v value ...}: silent on success. */
@Command(scope = "iscsi", name = "node-update", description = "Sets keys of the selected node records (iscsiadm -m node -o update -n key -v value)")
@Service
public class NodeUpdateCommand extends NodeCommandSupport {
    @Option(name = "-n", aliases = "--name", multiValued = true, required = true, description = "A record key (repeatable; the n-th -n goes with the n-th -v)")
    @Completion(NodeKeyCompleter.class)
    List<String> names;

    @Option(name = "-v", aliases = "--value", multiValued = true, required = true, description = "The key's value (empty clears it)")
    @Completion(KeyValueCompleter.class)
    List<String> values;

    @Override
    protected Printed run() throws CommandException {
        List<RecordChange> changes = RecordPairs.forNode(RecordPairs.of(names, values));
        try {
            return NodeOutcomes.updated(await(management.updateNodes(selector(false), changes)));
        } catch (IscsiException e) {
            return NodeOutcomes.recordOpFailed(e.error(), e.getMessage());
        }
    }
}
