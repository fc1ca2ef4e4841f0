package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code iscsiadm -m discoverydb -t st|isns -p portal -o new}: a discovery record with iscsid.conf's defaults. */
@Command(scope = "iscsi", name = "discoverydb-new", description = "Adds a discovery record with iscsid.conf's defaults (iscsiadm -m discoverydb -t st -p portal -o new)")
@Service
public class DiscoverydbNewCommand extends DiscoverydbCommandSupport {
    @Override
    Request request() {
        return new Request(OP_NEW, false, false, List.of(), List.of(), false);
    }
}
