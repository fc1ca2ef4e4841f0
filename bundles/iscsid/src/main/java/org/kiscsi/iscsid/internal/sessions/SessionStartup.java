package org.kiscsi.iscsid.internal.sessions;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
 * {@code node.startup = automatic} that is not up yet. Logins run in the background; their outcome
 * is logged, naming target and portal.
 */
public final class SessionStartup {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStartup.class);

    private SessionStartup() {
    }

    /** @return the logins started, completing when each has succeeded or failed (for tests) */
    public static CompletionStage<Void> run(NodeStore store, SessionManager engine, ResyncList resync) {
        Set<NodeKey> up = new LinkedHashSet<>();
        for (SessionInfo s : engine.sessions()) {
            if (s.state() != SessionState.CLOSED) {
                up.add(s.node());
            }
        }
        List<CompletableFuture<?>> logins = new java.util.ArrayList<>();
        Set<NodeKey> started = new LinkedHashSet<>();
        for (NodeKey key : resync.keys()) {
            if (up.contains(key) || !started.add(key)) {
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
            if (!isAutomatic(r) || up.contains(r.key()) || !started.add(r.key())) {
                continue;
            }
            logins.add(login(engine, r, "auto-login"));
        }
        if (logins.isEmpty()) {
            LOG.debug("re-sync and auto-login: nothing to log in to");
        }
        return CompletableFuture.allOf(logins.toArray(new CompletableFuture<?>[0]));
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
            if (failure != null) {
                Throwable t = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                        ? failure.getCause() : failure;
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
