package org.kiscsi.iscsiadm.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.mgmt.text.DiscoveryText;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;

/**
 * What the discovery and discoverydb modes share: parsing {@code -t}, finding a stored discovery
 * record, running a discovery on the daemon and printing what it found, then {@code -l}'s logins.
 */
final class Discoveries {
    /** What the client waits beyond the daemon's announced worst case. */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private Discoveries() {
    }

    /** {@code -t} as 2.1.8's {@code str_to_type}: empty for none or an unknown word (its -1). */
    static Optional<DiscoveryType> type(CommandLine line) {
        return line.value(Option.TYPE).flatMap(t -> switch (t) {
            case "sendtargets", "st" -> Optional.of(DiscoveryType.SENDTARGETS);
            case "isns" -> Optional.of(DiscoveryType.ISNS);
            case "fw" -> Optional.of(DiscoveryType.FIRMWARE);
            case "slp" -> Optional.of(DiscoveryType.STATIC); // stands for slp: refused by both modes
            default -> Optional.empty();
        });
    }

    static boolean isSlp(CommandLine line) {
        return line.value(Option.TYPE).filter("slp"::equals).isPresent();
    }

    /** The stored record of that type and address, if any. */
    static Optional<DiscoveryRecord> stored(Env env, DiscoveryType type, Portal address, boolean withSecrets) {
        for (DiscoveryRecord d : env.await(env.management().discoveryRecords(withSecrets))) {
            if (d.type() == type && d.address().equals(address.withoutTpgt())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The {@code -o} bits as discovery operations: none means all three; show alone writes no node record. */
    static Set<DiscoveryOp> ops(int op) {
        Set<DiscoveryOp> ops = EnumSet.noneOf(DiscoveryOp.class);
        if ((op & Args.OP_NEW) != 0) {
            ops.add(DiscoveryOp.NEW);
        }
        if ((op & Args.OP_UPDATE) != 0) {
            ops.add(DiscoveryOp.UPDATE);
        }
        if ((op & Args.OP_DELETE) != 0) {
            ops.add(DiscoveryOp.DELETE);
        }
        if ((op & Args.OP_NONPERSISTENT) != 0 || op != Args.OP_NOOP && ops.isEmpty()) {
            ops.add(DiscoveryOp.NONPERSISTENT);
        }
        return ops;
    }

    /**
     * Runs the discovery, prints what it found (stdout) and what could not be written (stderr), then
     * with {@code login} logs in to every target portal found, printed as {@code -m node --login}.
     */
    static int run(CommandLine line, Env env, DiscoveryType type, Portal address, DiscoverySettings settings, int op)
            throws ClientException {
        boolean login = line.has(Option.LOGIN);
        Set<DiscoveryOp> ops = ops(op);
        if (login && ops.contains(DiscoveryOp.NONPERSISTENT)) {
            throw new ClientException(IscsiError.INVAL, "--login logs in through the node records a discovery writes,"
                    + " and -o nonpersistent writes none: drop one of them");
        }
        IscsiManagement m = env.management();
        List<String> ifaces = line.all(Option.INTERFACE);
        AppliedDiscovery applied;
        try {
            applied = env.await(m.discover(type, address, settings, ifaces, ops), wait(env, type, address, settings));
        } catch (IscsiException e) {
            if (e.error() == IscsiError.NO_OBJS_FOUND) {
                return env.print(DiscoveryText.noPortals());
            }
            return env.print(DiscoveryText.failed(type, e.error(), e.getMessage()));
        }
        Printed p = DiscoveryText.found(applied, Args.printLevel(line));
        if (!login) {
            return env.print(p);
        }
        env.print(p.withExitCode(0));
        int loggedIn = env.print(login(env, applied.found()));
        // as exec_disc_op_on_recs: a failure to write records comes first, then the logins' status
        return p.exitCode() != 0 ? p.exitCode() : loggedIn;
    }

    private static Printed login(Env env, List<NodeKey> found) {
        IscsiManagement m = env.management();
        List<CompletionStage<List<Outcome<NodeKey>>>> started = new ArrayList<>();
        Duration wait = Env.REQUEST_TIMEOUT;
        for (NodeKey k : found) {
            try {
                Duration d = env.await(m.loginWorstCase(NodeSelector.of(k))).plus(MARGIN);
                wait = d.compareTo(wait) > 0 ? d : wait;
            } catch (IscsiException e) {
                // the login itself says what is wrong
            }
        }
        for (NodeKey k : found) {
            started.add(m.login(NodeSelector.of(k), true));
        }
        List<Outcome<NodeKey>> all = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            try {
                all.addAll(env.await(started.get(i), wait));
            } catch (IscsiException e) {
                all.add(Outcome.failed(found.get(i), e.error(), e.getMessage()));
            }
        }
        return NodeOutcomes.login(all, true);
    }

    private static Duration wait(Env env, DiscoveryType type, Portal address, DiscoverySettings settings) {
        try {
            return env.await(env.management().discoveryWorstCase(type, address, settings)).plus(MARGIN);
        } catch (IscsiException e) {
            return Env.REQUEST_TIMEOUT;
        }
    }
}
