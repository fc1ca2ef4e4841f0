package org.kiscsi.shell.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.mgmt.text.DiscoveryText;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.shell.completers.DiscoveryPortalCompleter;

/**
 * What the discovery and discoverydb commands share, as bin/iscsiadm's discovery modes do it: {@code -t}
 * read as 2.1.8's {@code str_to_type}, {@code -p} with the type's default port, {@code -o} as an
 * operation mask, the stored record, and a discovery run on the daemon (bounded by its
 * {@code discoveryWorstCase} plus bin/iscsiadm's margin; Ctrl-C ends the wait) printed through
 * {@link DiscoveryText}, then {@code -l}'s logins printed as {@code -m node --login}.
 */
public abstract class DiscoveryCommandSupport extends IscsiCommandSupport {
    static final int ISCSI_PORT = 3260;
    static final int ISNS_PORT = 3205;
    static final int OP_NOOP = 0x0;
    static final int OP_NEW = 0x1;
    static final int OP_DELETE = 0x2;
    static final int OP_UPDATE = 0x4;
    static final int OP_SHOW = 0x8;
    static final int OP_NONPERSISTENT = 0x10;
    /** What the shell waits beyond the daemon's announced worst case (bin/iscsiadm's margin). */
    static final Duration MARGIN = Duration.ofSeconds(30);

    @Option(name = "-t", aliases = "--type", description = "The discovery type: sendtargets (st), isns (fw and slp are refused)")
    @Completion(value = StringsCompleter.class, values = {"sendtargets", "st", "isns"})
    String type;

    @Option(name = "-p", aliases = "--portal", description = "The discovery portal or iSNS server, address[:port]")
    @Completion(DiscoveryPortalCompleter.class)
    String portal;

    @Option(name = "-P", aliases = "--print", description = "Print level: the list or what was found, 1 as a tree")
    int printLevel = -1;

    /** {@code -t} as 2.1.8's {@code str_to_type}: empty for none or an unknown word. */
    Optional<DiscoveryType> type() {
        if (type == null) {
            return Optional.empty();
        }
        return switch (type) {
            case "sendtargets", "st" -> Optional.of(DiscoveryType.SENDTARGETS);
            case "isns" -> Optional.of(DiscoveryType.ISNS);
            case "fw" -> Optional.of(DiscoveryType.FIRMWARE);
            case "slp" -> Optional.of(DiscoveryType.STATIC); // stands for slp: refused by both modes
            default -> Optional.empty();
        };
    }

    void refuseSlp() {
        if ("slp".equals(type)) {
            throw new IscsiException(IscsiError.INVAL, "SLP discovery is not fully implemented yet.");
        }
    }

    /** The {@code -o} values OR-ed together, as 2.1.8's {@code str_to_op}. */
    static int op(List<String> words) {
        int op = OP_NOOP;
        for (String w : words == null ? List.<String>of() : words) {
            op |= switch (w) {
                case "new" -> OP_NEW;
                case "delete" -> OP_DELETE;
                case "update" -> OP_UPDATE;
                case "show" -> OP_SHOW;
                case "nonpersistent" -> OP_NONPERSISTENT;
                case "apply" -> 0x20;
                case "applyall" -> 0x40;
                default -> OP_NOOP;
            };
            if (op == OP_NOOP) {
                throw new IscsiException(IscsiError.INVAL, "can not recognize operation: '" + w + "'");
            }
        }
        return op;
    }

    /** The {@code -o} bits as discovery operations: none stays none (the service reads it as all three); show alone writes no node record. */
    static Set<DiscoveryOp> ops(int op) {
        Set<DiscoveryOp> ops = EnumSet.noneOf(DiscoveryOp.class);
        if ((op & OP_NEW) != 0) {
            ops.add(DiscoveryOp.NEW);
        }
        if ((op & OP_UPDATE) != 0) {
            ops.add(DiscoveryOp.UPDATE);
        }
        if ((op & OP_DELETE) != 0) {
            ops.add(DiscoveryOp.DELETE);
        }
        if ((op & OP_NONPERSISTENT) != 0 || op != OP_NOOP && ops.isEmpty()) {
            ops.add(DiscoveryOp.NONPERSISTENT);
        }
        return ops;
    }

    /** {@code -p} as 2.1.8's {@code str_to_ipport}: {@code defaultPort} when the text names no port; a TPGT is dropped. */
    static Portal discoveryPortal(String text, int defaultPort) {
        Portal p = Portal.parse(text);
        return Portal.of(p.address(), namesPort(text) ? p.port() : defaultPort);
    }

    private static boolean namesPort(String text) {
        String s = text.trim();
        int comma = s.indexOf(',');
        if (comma >= 0) {
            s = s.substring(0, comma);
        }
        if (s.indexOf('.') >= 0) {
            return s.indexOf(':') >= 0;
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            return close >= 0 && s.indexOf(':', close) >= 0;
        }
        int colon = s.indexOf(':');
        return colon >= 0 && s.indexOf(':', colon + 1) < 0; // host:port; two colons are an IPv6 address
    }

    /** The stored record of that type and address, if any. */
    Optional<DiscoveryRecord> stored(DiscoveryType t, Portal address, boolean withSecrets) throws CommandException {
        for (DiscoveryRecord d : await(management.discoveryRecords(withSecrets))) {
            if (d.type() == t && d.address().equals(address.withoutTpgt())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Bare {@code -m discovery [-P 1]}: every discovery record (and at -P 1 the node records each found). */
    Printed list() throws CommandException {
        var records = await(management.discoveryRecords(false));
        List<NodeRecord> nodes = printLevel >= 1 ? await(management.nodes(NodeSelector.ALL, false)) : List.of();
        return DiscoveryText.list(records, nodes, printLevel);
    }

    /**
     * Runs the discovery and gives what it found (stdout) and what could not be written (stderr); with
     * {@code login}, then the logins to every target portal found, as {@code -m node --login} prints them.
     */
    Printed discover(DiscoveryType t, Portal address, DiscoverySettings settings, int op, List<String> ifaces, boolean login)
            throws CommandException {
        Set<DiscoveryOp> ops = ops(op);
        if (login && ops.contains(DiscoveryOp.NONPERSISTENT)) {
            throw new IscsiException(IscsiError.INVAL, "--login logs in through the node records a discovery writes,"
                    + " and -o nonpersistent writes none: drop one of them");
        }
        AppliedDiscovery applied;
        try {
            applied = await(management.discover(t, address, settings, ifaces == null ? List.of() : new ArrayList<>(ifaces), ops),
                    discoveryWait(t, address, settings));
        } catch (IscsiException e) {
            if (e.error() == IscsiError.NO_OBJS_FOUND) {
                return DiscoveryText.noPortals();
            }
            return DiscoveryText.failed(t, e.error(), e.getMessage());
        }
        Printed found = DiscoveryText.found(applied, printLevel);
        if (!login) {
            return found;
        }
        Printed logins = login(applied.found());
        // as exec_disc_op_on_recs: a failure to write records comes first, then the logins' status
        return new Printed(found.stdout() + logins.stdout(), found.stderr() + logins.stderr(),
                found.exitCode() != 0 ? found.exitCode() : logins.exitCode());
    }

    private Printed login(List<NodeKey> found) throws CommandException {
        Duration wait = REQUEST_TIMEOUT;
        for (NodeKey k : found) {
            try {
                Duration d = await(management.loginWorstCase(NodeSelector.of(k))).plus(MARGIN);
                wait = d.compareTo(wait) > 0 ? d : wait;
            } catch (IscsiException e) {
                // the login itself says what is wrong
            }
        }
        List<CompletionStage<List<Outcome<NodeKey>>>> started = new ArrayList<>();
        for (NodeKey k : found) {
            started.add(management.login(NodeSelector.of(k), true));
        }
        List<Outcome<NodeKey>> all = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            try {
                all.addAll(await(started.get(i), wait));
            } catch (IscsiException e) {
                all.add(Outcome.failed(found.get(i), e.error(), e.getMessage()));
            }
        }
        return NodeOutcomes.login(all, true);
    }

    private Duration discoveryWait(DiscoveryType t, Portal address, DiscoverySettings settings) throws CommandException {
        try {
            return await(management.discoveryWorstCase(t, address, settings)).plus(MARGIN);
        } catch (IscsiException e) {
            return REQUEST_TIMEOUT;
        }
    }
}
