package org.kiscsi.shell.commands;

import java.time.Duration;
import java.util.Set;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.StartupFilter;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;

/**
 * {@code iscsiadm -m node [-T ...] [-p ...] [-I ...] --login [-W]} and {@code -m node -L ...}. The
 * console waits at most as long as the records' own timeouts and retries allow
 * ({@code loginWorstCase}) plus a margin; Ctrl-C stops the wait, not the login.
 */
@Command(scope = "iscsi", name = "node-login", description = "Logs in to the selected node records (iscsiadm -m node --login), or by node.startup with -L")
@Service
public class NodeLoginCommand extends NodeCommandSupport {
    /** What a login waits beyond the records' own worst case (as bin/iscsiadm). */
    static final Duration LOGIN_MARGIN = Duration.ofSeconds(30);

    @Option(name = "-L", aliases = "--loginall", description = "Log in to every record whose node.startup is this: all, automatic, manual, onboot")
    @Completion(value = StringsCompleter.class, values = {"all", "automatic", "manual", "onboot"})
    String loginAll;

    @Option(name = "-W", aliases = "--no_wait", description = "Do not wait for the logins to end: only start them")
    boolean noWait;

    @Override
    protected Printed run() throws CommandException {
        boolean wait = !noWait;
        if (loginAll != null) {
            if (!Set.of("automatic", "all", "manual", "onboot").contains(loginAll)) {
                throw new IscsiException(IscsiError.INVAL, "Invalid loginall option " + loginAll + ".");
            }
            if (selects()) {
                throw new IscsiException(IscsiError.INVAL, "-L selects records by node.startup: -T, -p and -I do not go with it");
            }
            return NodeOutcomes.startupLogin(await(management.loginAll(StartupFilter.parse(loginAll), wait),
                    loginWait(NodeSelector.ALL)), wait);
        }
        NodeSelector selector = selector(false);
        return NodeOutcomes.login(await(management.login(selector, wait), loginWait(selector)), wait);
    }

    /** The records' own worst case plus a margin; the request bound when the daemon cannot tell. */
    private Duration loginWait(NodeSelector selector) throws CommandException {
        try {
            return await(management.loginWorstCase(selector)).plus(LOGIN_MARGIN);
        } catch (IscsiException e) {
            return REQUEST_TIMEOUT;
        }
    }
}
