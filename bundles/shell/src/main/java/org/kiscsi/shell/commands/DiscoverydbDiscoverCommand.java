package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.shell.completers.IfaceNameCompleter;

/**
 * {@code iscsiadm -m discoverydb -t st|isns -p portal --discover [--login] [-o ...] [-I ...]}: a discovery
 * with the stored record (iscsid.conf's defaults stored first when there is none, unless nonpersistent).
 */
@Command(scope = "iscsi", name = "discoverydb-discover", description = "Discovers with the stored discovery record (iscsiadm -m discoverydb -t st -p portal --discover [--login])")
@Service
public class DiscoverydbDiscoverCommand extends DiscoverydbCommandSupport {
    @Option(name = "-I", aliases = "--interface", multiValued = true, description = "Discover through this iface: one set of node records per -I (repeatable)")
    @Completion(IfaceNameCompleter.class)
    List<String> ifaces;

    @Option(name = "-o", aliases = "--op", multiValued = true, description = "new, update, delete (none: all three), nonpersistent (write nothing)")
    @Completion(value = StringsCompleter.class, values = {"new", "update", "delete", "nonpersistent"})
    List<String> op;

    @Option(name = "-l", aliases = "--login", description = "Log in to every target portal found")
    boolean login;

    @Override
    Request request() {
        return new Request(op(op), true, false, List.of(), ifaces == null ? List.of() : List.copyOf(ifaces), login);
    }
}
