package org.kiscsi.shell.commands;

import java.util.Set;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.StartupFilter;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;

/** {@code iscsiadm -m node [-T ...] [-p ...] [-I ...] --logout} and {@code -m node -U ...}. */
@Command(scope = "iscsi", name = "node-logout", description = "Logs out of the sessions of the selected node records (iscsiadm -m node --logout), or by node.startup with -U")
@Service
public class NodeLogoutCommand extends NodeCommandSupport {
    @Option(name = "-U", aliases = "--logoutall", description = "Log out of the sessions of every record whose node.startup is this: all, automatic, manual")
    @Completion(value = StringsCompleter.class, values = {"all", "automatic", "manual"})
    String logoutAll;

    @Override
    protected Printed run() throws CommandException {
        if (logoutAll != null) {
            if (!Set.of("automatic", "all", "manual").contains(logoutAll)) {
                throw new IscsiException(IscsiError.INVAL, "Invalid logoutall option " + logoutAll + ".");
            }
            if (selects()) {
                throw new IscsiException(IscsiError.INVAL, "-U selects records by node.startup: -T, -p and -I do not go with it");
            }
            return NodeOutcomes.logout(await(management.logoutAll(StartupFilter.parse(logoutAll))));
        }
        return NodeOutcomes.logout(await(management.logout(selector(false))));
    }
}
