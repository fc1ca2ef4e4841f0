package org.kiscsi.iscsiadm.internal;

import java.util.List;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.mgmt.text.IfaceText;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.RecordText;

/**
 * {@code iscsiadm -m iface}: the list ({@code -P 0}) and tree ({@code -P 1}), one iface's record,
 * {@code -o new|update|delete} with {@code iface.*} pairs, as 2.1.8's {@code exec_iface_op}.
 * Ping, {@code apply} and {@code applyall} configure a kernel offload card's network stack: kiscsi
 * has none, and says so (27).
 */
final class IfaceMode implements Mode {
    @Override
    public String name() {
        return "iface";
    }

    @Override
    public Set<Option> options() {
        // 2.1.8: "HIdnvmPoCabci"
        return Set.of(Option.HOST, Option.INTERFACE, Option.DEBUG, Option.NAME, Option.VALUE, Option.PRINT, Option.OP,
                Option.SUBMODE, Option.IP, Option.PACKET_SIZE, Option.COUNT, Option.INTERVAL);
    }

    @Override
    public int run(CommandLine line, Env env) throws ClientException {
        List<String> names = line.all(Option.INTERFACE);
        String name = names.isEmpty() ? null : names.get(0);
        if (names.size() > 1) {
            env.err.print(org.kiscsi.mgmt.text.Words.errorLine("iface mode only accepts one interface. Using the first one "
                    + name + "."));
        }
        if (line.value(Option.SUBMODE).filter("ping"::equals).isPresent()) {
            throw new ClientException(IscsiError.OP_NOT_SUPP, "iface mode: ping sends from an offload card's own network"
                    + " stack; kiscsi's transports use the host's, so use ping(8)");
        }
        int op = Args.op(line);
        IscsiManagement m;
        switch (op) {
            case Args.OP_NEW -> {
                if (name == null) {
                    // 2.1.8 returns EINVAL (22) here, not ISCSI_ERR_INVAL
                    return env.print(Printed.error(IscsiError.SYSFS_LOOKUP, "Could not add interface. No interface passed in."));
                }
                m = env.management();
                Outcome<String> created = env.await(m.createIface(name));
                Outcome<String> updated = null;
                if (created.isOk() && !line.pairs().isEmpty()) {
                    updated = update(m, name, line.pairs(), env);
                }
                return env.print(IfaceText.created(created, updated));
            }
            case Args.OP_DELETE -> {
                if (name == null) {
                    throw new ClientException(IscsiError.INVAL, "Could not delete interface. No interface passed in.");
                }
                return env.print(IfaceText.deleted(env.await(env.management().deleteIface(name))));
            }
            case Args.OP_UPDATE -> {
                if (name == null || line.pairs().isEmpty()) {
                    throw new ClientException(IscsiError.INVAL, "Update requires name, value, and iface.");
                }
                return env.print(IfaceText.updated(update(env.management(), name, line.pairs(), env)));
            }
            case Args.OP_APPLY, Args.OP_APPLY_ALL -> throw new ClientException(IscsiError.OP_NOT_SUPP, "iface mode: apply and"
                    + " applyall configure an offload card's network settings; kiscsi's transports use the host's network");
            case Args.OP_NOOP, Args.OP_SHOW -> {
                return show(name, Args.printLevel(line), env);
            }
            default -> {
                return IscsiError.INVAL.code(); // 2.1.8 says nothing here either
            }
        }
    }

    private static Outcome<String> update(IscsiManagement m, String name, List<RecordChange> pairs, Env env) {
        try {
            return env.await(m.updateIface(name, pairs));
        } catch (IscsiException e) {
            return Outcome.failed(name, e.error(), e.getMessage());
        }
    }

    private static int show(String name, int level, Env env) {
        IscsiManagement m;
        switch (level) {
            case 0, -1 -> {
                m = env.management();
                if (name == null) {
                    return env.print(IfaceText.list(env.await(m.ifaces())));
                }
                return env.print(RecordText.ifaceShow(env.await(m.iface(name))));
            }
            case 1 -> {
                m = env.management();
                List<IfaceRecord> ifaces = name == null ? env.await(m.ifaces()) : List.of(env.await(m.iface(name)));
                return env.print(IfaceText.tree(ifaces, env.await(m.nodes(NodeSelector.ALL, false))));
            }
            default -> {
                return env.print(Printed.error(IscsiError.INVAL, "Invalid info level " + level + ". Try 0 - 1."));
            }
        }
    }
}
