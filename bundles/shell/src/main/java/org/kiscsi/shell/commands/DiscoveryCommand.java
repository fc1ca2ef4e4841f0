package org.kiscsi.shell.commands;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.mgmt.text.DiscoveryText;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.shell.completers.IfaceNameCompleter;

/**
 * {@code iscsiadm -m discovery}: with {@code -t st -p portal} a SendTargets discovery with iscsid.conf's
 * discovery settings ({@code -l} logs in to what it found); with {@code -p} alone the stored record
 * ({@code -D}/{@code -l} discover with it, {@code -o show|delete} act on it); bare, the list of
 * discovery records. The checks and their order are bin/iscsiadm's (2.1.8's {@code exec_disc_op}).
 */
@Command(scope = "iscsi", name = "discovery", description = "Discovers targets at a portal (iscsiadm -m discovery -t st -p portal [-l]), or lists the discovery records")
@Service
public class DiscoveryCommand extends DiscoveryCommandSupport {
    @Option(name = "-I", aliases = "--interface", multiValued = true, description = "Discover through this iface: one set of node records per -I (repeatable)")
    @Completion(IfaceNameCompleter.class)
    List<String> ifaces;

    @Option(name = "-o", aliases = "--op", multiValued = true, description = "new, update, delete (none: all three), nonpersistent (write nothing); show or delete with -p alone")
    @Completion(value = StringsCompleter.class, values = {"new", "update", "delete", "nonpersistent", "show"})
    List<String> op;

    @Option(name = "-l", aliases = "--login", description = "Log in to every target portal found")
    boolean login;

    @Option(name = "-D", aliases = "--discover", description = "With -p alone: discover with the stored discovery record")
    boolean discover;

    @Option(name = "-S", aliases = "--show", description = "Show secrets (CHAP passwords) in the record shown")
    boolean secrets;

    @Override
    protected Printed run() throws CommandException {
        int op = op(this.op);
        refuseSlp();
        Optional<DiscoveryType> t = type();
        if (t.isPresent()) {
            switch (t.get()) {
                case SENDTARGETS -> {
                    if (portal == null) {
                        throw new IscsiException(IscsiError.INVAL, "Please specify portal as <ipaddr>[:<ipport>]");
                    }
                    return discover(DiscoveryType.SENDTARGETS, discoveryPortal(portal, ISCSI_PORT), DiscoverySettings.ISCSID_CONF,
                            op, ifaces, login);
                }
                case ISNS -> {
                    if (portal == null) {
                        throw new IscsiException(IscsiError.INVAL, "Please specify portal as <ipaddr>:[<ipport>]");
                    }
                    return discover(DiscoveryType.ISNS, discoveryPortal(portal, ISNS_PORT), DiscoverySettings.STORED, op, ifaces,
                            login);
                }
                default -> throw new IscsiException(IscsiError.OP_NOT_SUPP, "fw discovery reads boot targets from the"
                        + " firmware (iBFT) through the kernel; kiscsi is a user-space initiator and cannot boot from iSCSI");
            }
        }
        if (portal == null) {
            if (op != OP_NOOP && op != OP_SHOW) {
                throw new IscsiException(IscsiError.INVAL, "Invalid operation.");
            }
            return list();
        }
        // only SendTargets records in discovery mode: the iSCSI port is the default
        Portal p = discoveryPortal(portal, ISCSI_PORT);
        Optional<DiscoveryRecord> d = stored(DiscoveryType.SENDTARGETS, p, secrets);
        if (d.isEmpty()) {
            throw new IscsiException(IscsiError.INVAL, "Discovery record [" + p.address() + "," + p.port() + "] not found!");
        }
        if (discover || login) {
            return discover(DiscoveryType.SENDTARGETS, p, DiscoverySettings.STORED, op, ifaces, login);
        }
        if (op == OP_NOOP || op == OP_SHOW) {
            return DiscoveryText.show(d.get(), secrets);
        }
        if (op == OP_DELETE) {
            return DiscoveryText.deleted(await(management.deleteDiscoveryRecord(DiscoveryType.SENDTARGETS, p)));
        }
        if (op == OP_UPDATE || op == OP_NEW) {
            throw new IscsiException(IscsiError.INVAL, "Operations new and update for discovery mode is not supported."
                    + " Use discoverydb mode.");
        }
        throw new IscsiException(IscsiError.INVAL, "Invalid operation.");
    }
}
