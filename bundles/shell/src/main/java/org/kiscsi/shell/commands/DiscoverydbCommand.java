package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code iscsiadm -m discoverydb [-P 1]} (the list) and {@code -m discoverydb -t st -p portal [-S]} (one record shown). */
@Command(scope = "iscsi", name = "discoverydb", description = "Lists the discovery records (iscsiadm -m discoverydb), or shows the one -t and -p name")
@Service
public class DiscoverydbCommand extends DiscoverydbCommandSupport {
    @Option(name = "-S", aliases = "--show", description = "Show secrets (CHAP passwords) in the record shown")
    boolean secrets;

    @Override
    Request request() {
        return new Request(OP_NOOP, false, secrets, List.of(), List.of(), false);
    }
}
