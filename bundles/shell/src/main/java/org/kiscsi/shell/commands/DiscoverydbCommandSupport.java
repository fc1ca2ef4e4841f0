package org.kiscsi.shell.commands;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.mgmt.text.DiscoveryText;
import org.kiscsi.mgmt.text.Printed;

/**
 * {@code iscsiadm -m discoverydb -t st|isns -p portal} with one operation per command: the checks and
 * their order are bin/iscsiadm's (2.1.8's {@code exec_disc2_op}), so each command fails as it would.
 */
public abstract class DiscoverydbCommandSupport extends DiscoveryCommandSupport {
    /** What the command asks: the {@code -o} mask, {@code --discover}, {@code -S}, {@code -n/-v}, {@code -I}, {@code --login}. */
    record Request(int op, boolean discover, boolean secrets, List<RecordChange> pairs, List<String> ifaces, boolean login) {
    }

    abstract Request request();

    @Override
    protected Printed run() throws CommandException {
        Request r = request();
        int op = r.op();
        refuseSlp();
        Optional<DiscoveryType> type = type();
        if (type.isEmpty()) {
            if (portal == null) {
                if (op != OP_NOOP && op != OP_SHOW) {
                    throw new IscsiException(IscsiError.INVAL, "Invalid operation. Operation not supported.");
                }
                return list();
            }
            throw new IscsiException(IscsiError.INVAL, op != OP_NOOP ? "Invalid command. Possibly missing discovery --type."
                    : "Invalid command. Portal not needed or Possibly missing discovery --type.");
        }
        if (type.get() == DiscoveryType.FIRMWARE) {
            if (!r.discover()) {
                throw new IscsiException(IscsiError.INVAL, "Invalid command. Possibly missing --discover argument.");
            }
            throw new IscsiException(IscsiError.OP_NOT_SUPP, "fw discovery reads boot targets from the firmware (iBFT)"
                    + " through the kernel; kiscsi is a user-space initiator and cannot boot from iSCSI");
        }
        if (portal == null) {
            throw new IscsiException(IscsiError.INVAL, "Please specify portal as <ipaddr>[:<ipport>]");
        }
        DiscoveryType t = type.get();
        Portal p = discoveryPortal(portal, t == DiscoveryType.ISNS ? ISNS_PORT : ISCSI_PORT);
        if ((op & OP_NEW) != 0 && !r.discover()) {
            return DiscoveryText.created(await(management.createDiscoveryRecord(t, p)), p);
        }
        if (r.discover()) {
            return discover(t, p, DiscoverySettings.STORED, op, r.ifaces(), r.login());
        }
        Optional<DiscoveryRecord> d = stored(t, p, r.secrets());
        if (d.isEmpty()) {
            return DiscoveryText.notFound(p, IscsiError.IDBM);
        }
        if (op == OP_NOOP || op == OP_SHOW) {
            return DiscoveryText.show(d.get(), r.secrets());
        }
        if (op == OP_DELETE) {
            return DiscoveryText.deleted(await(management.deleteDiscoveryRecord(t, p)));
        }
        if (op == OP_UPDATE) {
            if (r.pairs().isEmpty()) {
                throw new IscsiException(IscsiError.INVAL, "Update requires name and value.");
            }
            try {
                return DiscoveryText.updated(await(management.updateDiscoveryRecord(t, p, r.pairs())));
            } catch (IscsiException e) {
                return DiscoveryText.updated(Outcome.failed(p, e.error(), e.getMessage()));
            }
        }
        throw new IscsiException(IscsiError.INVAL, "Operation is not supported.");
    }
}
