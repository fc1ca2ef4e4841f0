package org.kiscsi.iscsid.internal.manage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.StartupFilter;
import org.kiscsi.api.manage.StartupLogins;
import org.kiscsi.api.manage.StartupLogins.LeadingRound;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.spi.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -L}: open-iscsi 2.1.8's {@code login_by_startup} (usr/iscsiadm.c). The selected records
 * without {@code node.leading_login = Yes} are logged in first, all at once. Then for each iface of
 * the store in turn (2.1.8's {@code iface_link_ifaces}: the ifaces in {@code ifaces/}, never the
 * built-in {@code default} and {@code iser}), its leading records are logged in together and waited
 * for, leaving out those whose target has a session on the record's portal already, through any
 * iface ({@code __do_leading_login}, {@code iscsi_match_target}). Last, every target and portal of a
 * leading record left without a session is reported missed.
 */
final class StartupLogin {
    private static final Logger LOG = LoggerFactory.getLogger(StartupLogin.class);

    private final ManageContext ctx;
    private final LoginOps logins;

    StartupLogin(ManageContext ctx, LoginOps logins) {
        this.ctx = ctx;
        this.logins = logins;
    }

    /** The selected records, apart, and the ifaces leading logins go through, in the order tried. */
    record Selection(List<NodeRecord> ordinary, List<NodeRecord> leading, List<IfaceRecord> ifaces) {
    }

    static boolean isLeading(RecordValues v) {
        // 2.1.8 takes exactly "Yes" (idbm's TYPE_INT_O options)
        return v.get(NodeKeys.LEADING_LOGIN, "No").trim().equals("Yes");
    }

    /** @throws IscsiException NO_OBJS_FOUND when no record is selected */
    static Selection select(NodeStore store, StartupFilter filter) {
        List<NodeRecord> ordinary = new ArrayList<>();
        List<NodeRecord> leading = new ArrayList<>();
        for (NodeRecord r : store.nodes()) {
            if (LoginOps.selects(filter, r.values())) {
                (isLeading(r.values()) ? leading : ordinary).add(r);
            }
        }
        if (ordinary.isEmpty() && leading.isEmpty()) {
            throw new IscsiException(IscsiError.NO_OBJS_FOUND, "No records found");
        }
        return new Selection(ordinary, leading, leading.isEmpty() ? List.of() : leadingIfaces(store));
    }

    /**
     * The store's ifaces with a name and a transport (2.1.8's {@code iface_is_valid}), by name: 2.1.8
     * takes the directory's order, which the file system decides.
     */
    static List<IfaceRecord> leadingIfaces(NodeStore store) {
        return store.ifaces().stream()
                .filter(i -> !i.name().isEmpty() && !transport(i.values()).isEmpty())
                .sorted(Comparator.comparing(IfaceRecord::name)).toList();
    }

    /** 2.1.8's {@code iface_match} of an iface file against a record's iface. */
    static boolean through(IfaceRecord iface, NodeRecord r) {
        return iface.name().equals(r.iface())
                && (iface.name().equals(NodeKey.DEFAULT_IFACE) || transport(iface.values()).equals(transport(r.values())));
    }

    private static String transport(RecordValues v) {
        return v.get(NodeKeys.TRANSPORT_NAME, "").trim();
    }

    CompletionStage<StartupLogins> run(StartupFilter filter, boolean wait) {
        return Stages.on(ctx.workers(), () -> select(ctx.requireStore(), filter))
                .thenCompose(sel -> logins.loginRecords(sel.ordinary(), wait)
                        .thenCompose(ordinary -> rounds(sel, 0, new ArrayList<>())
                                .thenCompose(rounds -> Stages.on(ctx.workers(),
                                        () -> new StartupLogins(ordinary, rounds, missed(sel))))));
    }

    /** The leading logins through {@code sel.ifaces()[i]} and those after it, one iface at a time. */
    private CompletionStage<List<LeadingRound>> rounds(Selection sel, int i, List<LeadingRound> done) {
        if (i == sel.ifaces().size()) {
            return CompletableFuture.completedFuture(done);
        }
        IfaceRecord iface = sel.ifaces().get(i);
        return Stages.on(ctx.workers(), () -> untried(sel.leading(), iface))
                .thenCompose(records -> records.isEmpty() ? CompletableFuture.completedFuture(List.<Outcome<NodeKey>>of())
                        : logins.loginRecords(records, true))
                .thenCompose(outcomes -> {
                    if (!outcomes.isEmpty()) {
                        done.add(new LeadingRound(iface.name(), outcomes));
                    }
                    return rounds(sel, i + 1, done);
                });
    }

    /** The leading records through {@code iface} whose target has no session on their portal yet. */
    private List<NodeRecord> untried(List<NodeRecord> leading, IfaceRecord iface) {
        List<SessionInfo> live = LoginOps.live(ctx.requireEngine("login"));
        List<NodeRecord> out = new ArrayList<>();
        for (NodeRecord r : leading) {
            if (!through(iface, r)) {
                continue;
            }
            if (hasSession(live, r)) {
                LOG.debug("Skipping leading login of {} through iface {}: already a session to that target and portal",
                        r.key(), iface.name());
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** One outcome per target and portal of the leading records that have no session after all rounds. */
    private List<Outcome<NodeKey>> missed(Selection sel) {
        if (sel.leading().isEmpty()) {
            return List.of();
        }
        List<SessionInfo> live = LoginOps.live(ctx.requireEngine("login"));
        Map<String, List<NodeRecord>> byTarget = new LinkedHashMap<>();
        for (NodeRecord r : sel.leading()) {
            if (!hasSession(live, r)) {
                byTarget.computeIfAbsent(r.target().value() + " " + r.portal().hostPort(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Outcome<NodeKey>> out = new ArrayList<>();
        for (List<NodeRecord> records : byTarget.values()) {
            out.add(Outcome.failed(records.get(0).key(), IscsiError.FATAL_LOGIN, missedMessage(records, sel.ifaces())));
        }
        return out;
    }

    private static String missedMessage(List<NodeRecord> records, List<IfaceRecord> ifaces) {
        List<String> tried = new ArrayList<>();
        List<String> never = new ArrayList<>();
        for (NodeRecord r : records) {
            (ifaces.stream().anyMatch(i -> through(i, r)) ? tried : never).add(r.iface());
        }
        NodeRecord first = records.get(0);
        StringBuilder m = new StringBuilder("No session to target ").append(first.target().value()).append(" at portal ")
                .append(first.portal().hostPort());
        if (!tried.isEmpty()) {
            m.append(" after leading logins through iface ").append(String.join(", ", tried));
        }
        if (!never.isEmpty()) {
            m.append(tried.isEmpty() ? ": " : "; ").append("its leading record on iface ").append(String.join(", ", never))
                    .append(" is never tried: leading logins go only through the ifaces in ifaces/ whose transport is"
                            + " the record's (not the built-in default and iser), as in open-iscsi 2.1.8");
        }
        return m.toString();
    }

    /** 2.1.8's {@code iscsi_match_target}: a session of the record's target on its portal, any iface. */
    static boolean hasSession(List<SessionInfo> live, NodeRecord r) {
        for (SessionInfo s : live) {
            NodeKey k = s.node();
            if (k.target().equals(r.target()) && k.portal().port() == r.portal().port()
                    && sameAddress(r.portal().address(), k.portal().address())) {
                return true;
            }
        }
        return false;
    }

    /** As 2.1.8's {@code iscsi_addr_match}: the same text, or names that resolve to the same address. */
    static boolean sameAddress(String a, String b) {
        if (a.isEmpty() || a.equalsIgnoreCase(b)) {
            return true;
        }
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
