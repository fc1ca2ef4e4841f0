package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.mgmt.text.IfaceText;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.shell.completers.IfaceKeyCompleter;
import org.kiscsi.shell.completers.KeyValueCompleter;

/** {@code iscsiadm -m iface -I name -o new [-n key -v value ...]}: an iface with open-iscsi's defaults, then the pairs. */
@Command(scope = "iscsi", name = "iface-new", description = "Adds an iface (iscsiadm -m iface -I name -o new), then sets the -n/-v pairs given")
@Service
public class IfaceNewCommand extends IfaceCommandSupport {
    @Option(name = "-n", aliases = "--name", multiValued = true, description = "An iface.* key (repeatable; the n-th -n goes with the n-th -v)")
    @Completion(IfaceKeyCompleter.class)
    List<String> keys;

    @Option(name = "-v", aliases = "--value", multiValued = true, description = "The key's value")
    @Completion(KeyValueCompleter.class)
    List<String> values;

    @Override
    protected Printed run() throws CommandException {
        List<RecordChange> pairs = RecordPairs.of(keys, values);
        Outcome<String> created = await(management.createIface(name));
        Outcome<String> updated = created.isOk() && !pairs.isEmpty() ? update(pairs) : null;
        return IfaceText.created(created, updated);
    }
}
