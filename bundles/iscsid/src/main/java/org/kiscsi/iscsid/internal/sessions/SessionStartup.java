package org.kiscsi.iscsid.internal.sessions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Isid;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.spi.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens once both a node store and a session engine are there: re-establish the sessions of
 * the re-sync list (iscsid's {@code sync_session} child), then log in to every record with
 * {@code node.startup = automatic} that is not up yet. Each record is logged in to once, however
 * many sessions it had: the engine's login opens the sessions missing up to its
 * {@code node.session.nr_sessions}. Logins run in the background; their outcome is logged, naming
 * target and portal.
 */
public final class SessionStartup {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStartup.class);

    private SessionStartup() {
    }

    /** @return the logins started, completing when each has succeeded or failed (for tests) */
    public static CompletionStage<Void> run(NodeStore store, SessionManager engine, ResyncList resync) {
        Map<NodeKey, Set<Isid>> live = new HashMap<>();
        for (SessionInfo s : engine.sessions()) {
            if (s.state() != SessionState.CLOSED) {
                Set<Isid> isids = live.computeIfAbsent(s.node(), k -> new HashSet<>());
                if (s.isid() != null) {
                    isids.add(s.isid());
                }
            }
        }
        List<CompletableFuture<?>> logins = new ArrayList<>();
        Set<NodeKey> started = new LinkedHashSet<>();
        for (ResyncEntry entry : resync.entries()) {
            NodeKey key = entry.node();
            if (isUp(entry, live) || !started.add(key)) {
                continue;
            }
            Optional<NodeRecord> record = store.node(key);
            if (record.isEmpty()) {
                LOG.warn("re-sync: no node record for {} any more; dropped from {}", key, resync.file());
                resync.remove(key);
                continue;
            }
            logins.add(login(engine, record.get(), "re-sync"));
        }
        for (NodeRecord r : store.nodes()) {
            if (!isAutomatic(r) || live.containsKey(r.key()) || !started.add(r.key())) {
                continue;
            }
            logins.add(login(engine, r, "auto-login"));
        }
        if (logins.isEmpty()) {
            LOG.debug("re-sync and auto-login: nothing to log in to");
        }
        return CompletableFuture.allOf(logins.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Whether the session of an entry is still there (the engine outlived a restart of the daemon):
     * its ISID is live, or for an entry of an older list, any session of its record.
     */
    private static boolean isUp(ResyncEntry entry, Map<NodeKey, Set<Isid>> live) {
        Set<Isid> isids = live.get(entry.node());
        return isids != null && (!entry.hasIsid() || isids.contains(entry.isid()));
    }

    static boolean isAutomatic(NodeRecord r) {
        return r.values().get(NodeKeys.STARTUP).map(v -> v.trim().toLowerCase(Locale.ROOT).equals("automatic")).orElse(false);
    }

    private static CompletableFuture<Void> login(SessionManager engine, NodeRecord r, String why) {
        LOG.info("{}: logging in to [iface: {}, target: {}, portal: {}]", why, r.iface(), r.target(), r.portal().hostPort());
        CompletionStage<SessionInfo> stage;
        try {
            stage = engine.login(r);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((s, failure) -> {
            Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (t instanceof IscsiException e && e.error() == IscsiError.SESS_EXISTS) {
                // another login (a user's, a re-sync's) opened them meanwhile: nothing is missing
                LOG.info("{}: [iface: {}, target: {}, portal: {}]: {}", why, r.iface(), r.target(), r.portal().hostPort(),
                        e.getMessage());
            } else if (t != null) {
                LOG.warn("{}: login to [iface: {}, target: {}, portal: {}] failed: {}", why, r.iface(), r.target(),
                        r.portal().hostPort(), t.getMessage());
            } else {
                LOG.info("{}: login to [iface: {}, target: {}, portal: {}] successful (sid {})", why, r.iface(), r.target(),
                        r.portal().hostPort(), s.sid());
            }
            return (Void) null;
        }).toCompletableFuture();
    }
}
