package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.mgmt.text.HostText;
import org.kiscsi.mgmt.text.Printed;

/**
 * {@code iscsiadm -m host [-P 0..4] [-H n]}: a kiscsi host is one installed transport instance. The
 * offload-card sub-modes ({@code -C chap|flashnode|stats}) have no command here: kiscsi has no such card.
 */
@Command(scope = "iscsi", name = "host", description = "Lists the hosts, one per installed transport (iscsiadm -m host), with their sessions at -P 2..4")
@Service
public class HostListCommand extends IscsiCommandSupport {
    @Option(name = "-P", aliases = "--print", description = "Print level 0..4")
    int printLevel = -1;

    @Option(name = "-H", aliases = "--host", description = "Only this host number (-P 1..4)")
    String host;

    @Override
    protected Printed run() throws CommandException {
        int only = -1;
        if (host != null) {
            try {
                only = Integer.parseInt(host.trim());
            } catch (NumberFormatException e) {
                throw new IscsiException(IscsiError.INVAL, "Invalid host no " + host + ". kiscsi hosts are numbered"
                        + " (iscsiadm -m host lists them); they have no MAC address");
            }
        }
        return HostText.print(await(management.hosts()), printLevel >= 2 ? await(management.sessions()) : List.of(), printLevel, only);
    }
}
