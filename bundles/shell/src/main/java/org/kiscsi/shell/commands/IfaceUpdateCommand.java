package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.mgmt.text.IfaceText;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.shell.completers.IfaceKeyCompleter;
import org.kiscsi.shell.completers.KeyValueCompleter;

/** {@code iscsiadm -m iface -I name -o update -n key -v value ...}: {@code iface.*} keys only. */
@Command(scope = "iscsi", name = "iface-update", description = "Sets iface.* keys of an iface (iscsiadm -m iface -I name -o update -n key -v value)")
@Service
public class IfaceUpdateCommand extends IfaceCommandSupport {
    @Option(name = "-n", aliases = "--name", multiValued = true, required = true, description = "An iface.* key (repeatable; the n-th -n goes with the n-th -v)")
    @Completion(IfaceKeyCompleter.class)
    List<String> keys;

    @Option(name = "-v", aliases = "--value", multiValued = true, required = true, description = "The key's value")
    @Completion(KeyValueCompleter.class)
    List<String> values;

    @Override
    protected Printed run() throws CommandException {
        return IfaceText.updated(update(RecordPairs.of(keys, values)));
    }
}
