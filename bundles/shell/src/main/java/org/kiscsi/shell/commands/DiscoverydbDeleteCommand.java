package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code iscsiadm -m discoverydb -t st|isns -p portal -o delete}: the record, its links and the node
 * records it found (a record a session uses is kept, exit 15).
 */
@Command(scope = "iscsi", name = "discoverydb-delete", description = "Deletes a discovery record and the node records it found (iscsiadm -m discoverydb -t st -p portal -o delete)")
@Service
public class DiscoverydbDeleteCommand extends DiscoverydbCommandSupport {
    @Override
    Request request() {
        return new Request(OP_DELETE, false, false, List.of(), List.of(), false);
    }
}
