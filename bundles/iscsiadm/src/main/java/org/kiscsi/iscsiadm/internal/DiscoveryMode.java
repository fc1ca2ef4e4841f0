package org.kiscsi.iscsiadm.internal;

import java.util.Optional;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.mgmt.text.DiscoveryText;

/**
 * {@code iscsiadm -m discovery}: with {@code -t st -p portal} a SendTargets discovery with
 * iscsid.conf's discovery settings (the discovery record is rewritten with them, unless
 * nonpersistent); with {@code -p} alone the stored record ({@code -D}/{@code -l} discover with it,
 * {@code -o show|delete} act on it); bare, the list of discovery records. The checks and their
 * order are 2.1.8's {@code exec_disc_op}.
 */
final class DiscoveryMode implements Mode {
    static final int ISCSI_PORT = 3260;
    static final int ISNS_PORT = 3205;

    @Override
    public String name() {
        return "discovery";
    }

    @Override
    public Set<Option> options() {
        // 2.1.8: "DSIPdmntplov"
        return Set.of(Option.DISCOVER, Option.SHOW, Option.INTERFACE, Option.PRINT, Option.DEBUG, Option.NAME, Option.TYPE,
                Option.PORTAL, Option.LOGIN, Option.OP, Option.VALUE);
    }

    @Override
    public int run(CommandLine line, Env env) throws ClientException {
        int op = Args.op(line);
        Optional<String> ip = line.value(Option.PORTAL);
        if (Discoveries.isSlp(line)) {
            throw new ClientException(IscsiError.INVAL, "SLP discovery is not fully implemented yet.");
        }
        Optional<DiscoveryType> type = Discoveries.type(line);
        if (type.isPresent()) {
            switch (type.get()) {
                case SENDTARGETS -> {
                    if (ip.isEmpty()) {
                        throw new ClientException(IscsiError.INVAL, "Please specify portal as <ipaddr>[:<ipport>]");
                    }
                    return Discoveries.run(line, env, DiscoveryType.SENDTARGETS, Args.discoveryPortal(ip.get(), ISCSI_PORT),
                            DiscoverySettings.ISCSID_CONF, op);
                }
                case ISNS -> {
                    if (ip.isEmpty()) {
                        throw new ClientException(IscsiError.INVAL, "Please specify portal as <ipaddr>:[<ipport>]");
                    }
                    return Discoveries.run(line, env, DiscoveryType.ISNS, Args.discoveryPortal(ip.get(), ISNS_PORT),
                            DiscoverySettings.STORED, op);
                }
                default -> throw new ClientException(IscsiError.OP_NOT_SUPP, "fw discovery reads boot targets from the"
                        + " firmware (iBFT) through the kernel; kiscsi is a user-space initiator and cannot boot from iSCSI");
            }
        }
        if (ip.isEmpty()) {
            if (op != Args.OP_NOOP && op != Args.OP_SHOW) {
                throw new ClientException(IscsiError.INVAL, "Invalid operation.");
            }
            return list(line, env);
        }
        // only SendTargets records in discovery mode: the iSCSI port is the default
        Portal portal = Args.discoveryPortal(ip.get(), ISCSI_PORT);
        boolean show = line.has(Option.SHOW);
        Optional<DiscoveryRecord> d = Discoveries.stored(env, DiscoveryType.SENDTARGETS, portal, show);
        if (d.isEmpty()) {
            throw new ClientException(IscsiError.INVAL, "Discovery record [" + portal.address() + "," + portal.port()
                    + "] not found!");
        }
        if (line.has(Option.DISCOVER) || line.has(Option.LOGIN)) {
            return Discoveries.run(line, env, DiscoveryType.SENDTARGETS, portal, DiscoverySettings.STORED, op);
        }
        if (op == Args.OP_NOOP || op == Args.OP_SHOW) {
            return env.print(DiscoveryText.show(d.get(), show));
        }
        if (op == Args.OP_DELETE) {
            return env.print(DiscoveryText.deleted(env.await(env.management().deleteDiscoveryRecord(DiscoveryType.SENDTARGETS,
                    portal))));
        }
        if (op == Args.OP_UPDATE || op == Args.OP_NEW) {
            throw new ClientException(IscsiError.INVAL, "Operations new and update for discovery mode is not supported."
                    + " Use discoverydb mode.");
        }
        throw new ClientException(IscsiError.INVAL, "Invalid operation.");
    }

    /** Bare {@code -m discovery [-P 1]}: every discovery record (and at -P 1 the node records each found). */
    static int list(CommandLine line, Env env) {
        int level = Args.printLevel(line);
        var records = env.await(env.management().discoveryRecords(false));
        java.util.List<NodeRecord> nodes = level >= 1 ? env.await(env.management().nodes(NodeSelector.ALL, false))
                : java.util.List.of();
        return env.print(DiscoveryText.list(records, nodes, level));
    }
}
