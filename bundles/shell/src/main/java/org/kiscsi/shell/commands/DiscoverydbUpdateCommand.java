package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.kiscsi.shell.completers.DiscoveryKeyCompleter;
import org.kiscsi.shell.completers.KeyValueCompleter;

/** {@code iscsiadm -m discoverydb -t st|isns -p portal -o update -n key -v value ...}: {@code discovery.*} keys. */
@Command(scope = "iscsi", name = "discoverydb-update", description = "Sets keys of a discovery record (iscsiadm -m discoverydb -t st -p portal -o update -n key -v value)")
@Service
public class DiscoverydbUpdateCommand extends DiscoverydbCommandSupport {
    @Option(name = "-n", aliases = "--name", multiValued = true, description = "A discovery record key (repeatable; the n-th -n goes with the n-th -v)")
    @Completion(DiscoveryKeyCompleter.class)
    List<String> names;

    @Option(name = "-v", aliases = "--value", multiValued = true, description = "The key's value")
    @Completion(KeyValueCompleter.class)
    List<String> values;

    @Override
    Request request() {
        return new Request(OP_UPDATE, false, false, RecordPairs.of(names, values), List.of(), false);
    }
}
