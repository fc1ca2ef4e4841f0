package org.kiscsi.iscsiadm.internal;

import java.util.Optional;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.mgmt.text.DiscoveryText;

/**
 * {@code iscsiadm -m discoverydb -t st|isns -p portal}: the discovery record itself ({@code -o
 * new|show|update|delete}, {@code -n/-v}, {@code -S}), and {@code --discover} with it (iscsid.conf's
 * defaults stored first when there is none, unless nonpersistent); bare, the list of records. The
 * checks and their order are 2.1.8's {@code exec_disc2_op} and {@code exec_discover}.
 */
final class DiscoverydbMode implements Mode {
    @Override
    public String name() {
        return "discoverydb";
    }

    @Override
    public String checkedName() {
        return "discovery";
    }

    @Override
    public Set<Option> options() {
        // 2.1.8: "DSIPdmntplov", as discovery mode
        return new DiscoveryMode().options();
    }

    @Override
    public int run(CommandLine line, Env env) throws ClientException {
        int op = Args.op(line);
        Optional<String> ip = line.value(Option.PORTAL);
        boolean discover = line.has(Option.DISCOVER);
        if (Discoveries.isSlp(line)) {
            throw new ClientException(IscsiError.INVAL, "SLP discovery is not fully implemented yet.");
        }
        Optional<DiscoveryType> type = Discoveries.type(line);
        if (type.isEmpty()) {
            if (ip.isEmpty()) {
                if (op != Args.OP_NOOP && op != Args.OP_SHOW) {
                    throw new ClientException(IscsiError.INVAL, "Invalid operation. Operation not supported.");
                }
                return DiscoveryMode.list(line, env);
            }
            throw new ClientException(IscsiError.INVAL, op != Args.OP_NOOP ? "Invalid command. Possibly missing discovery"
                    + " --type." : "Invalid command. Portal not needed or Possibly missing discovery --type.");
        }
        if (type.get() == DiscoveryType.FIRMWARE) {
            if (!discover) {
                throw new ClientException(IscsiError.INVAL, "Invalid command. Possibly missing --discover argument.");
            }
            throw new ClientException(IscsiError.OP_NOT_SUPP, "fw discovery reads boot targets from the firmware (iBFT)"
                    + " through the kernel; kiscsi is a user-space initiator and cannot boot from iSCSI");
        }
        if (ip.isEmpty()) {
            throw new ClientException(IscsiError.INVAL, "Please specify portal as <ipaddr>[:<ipport>]");
        }
        DiscoveryType t = type.get();
        Portal portal = Args.discoveryPortal(ip.get(), t == DiscoveryType.ISNS ? DiscoveryMode.ISNS_PORT
                : DiscoveryMode.ISCSI_PORT);
        if ((op & Args.OP_NEW) != 0 && !discover) {
            return env.print(DiscoveryText.created(env.await(env.management().createDiscoveryRecord(t, portal)), portal));
        }
        if (discover) {
            return Discoveries.run(line, env, t, portal, DiscoverySettings.STORED, op);
        }
        boolean show = line.has(Option.SHOW);
        Optional<DiscoveryRecord> d = Discoveries.stored(env, t, portal, show);
        if (d.isEmpty()) {
            return env.print(DiscoveryText.notFound(portal, IscsiError.IDBM));
        }
        if (op == Args.OP_NOOP || op == Args.OP_SHOW) {
            return env.print(DiscoveryText.show(d.get(), show));
        }
        if (op == Args.OP_DELETE) {
            return env.print(DiscoveryText.deleted(env.await(env.management().deleteDiscoveryRecord(t, portal))));
        }
        if (op == Args.OP_UPDATE) {
            if (line.pairs().isEmpty()) {
                throw new ClientException(IscsiError.INVAL, "Update requires name and value.");
            }
            try {
                return env.print(DiscoveryText.updated(env.await(env.management().updateDiscoveryRecord(t, portal,
                        line.pairs()))));
            } catch (org.kiscsi.api.IscsiException e) {
                return env.print(DiscoveryText.updated(org.kiscsi.api.manage.Outcome.failed(portal, e.error(),
                        e.getMessage())));
            }
        }
        throw new ClientException(IscsiError.INVAL, "Operation is not supported.");
    }
}
