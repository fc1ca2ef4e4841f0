package org.kiscsi.iscsid.internal.discovery;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What discoveryd does with the portals a discovery record returns, as open-iscsi's discoveryd: logs
 * in to each portal it had not returned before and out of each it no longer returns. Per record it
 * remembers the target portals of the last answer; the first answer logs in to all of them (a
 * portal already logged in answers "session exists", which is no failure here).
 */
final class DiscoverydLogins {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoverydLogins.class);

    record TargetPortal(IscsiName target, Portal portal) {
        @Override
        public String toString() {
            return portal.hostPort() + "," + portal.tpgt() + " " + target;
        }
    }

    private final Map<String, Set<TargetPortal>> known = new HashMap<>();

    /** The target portals of a whole answer. */
    static Set<TargetPortal> portals(List<DiscoveredTarget> targets) {
        Set<TargetPortal> out = new HashSet<>();
        for (DiscoveredTarget t : targets) {
            t.portals().forEach(p -> out.add(new TargetPortal(t.name(), p)));
        }
        return out;
    }

    /** A record's answer: logs in to what is new and out of what is gone since its last answer. */
    synchronized void answered(String id, Set<TargetPortal> now, Optional<DiscoveryDaemon.PortalSessions> sessions) {
        Set<TargetPortal> before = known.getOrDefault(id, Set.of());
        Set<TargetPortal> added = new HashSet<>(now);
        added.removeAll(before);
        Set<TargetPortal> gone = new HashSet<>(before);
        gone.removeAll(now);
        known.put(id, Set.copyOf(now));
        if (sessions.isEmpty()) {
            if (!added.isEmpty() || !gone.isEmpty()) {
                LOG.warn("discoveryd: {}: the management service is not running; not logging in or out", id);
            }
            return;
        }
        for (TargetPortal tp : added) {
            report(id, "login to " + tp, sessions.get().login(tp.target(), tp.portal()), IscsiError.SESS_EXISTS);
        }
        for (TargetPortal tp : gone) {
            report(id, "logout of " + tp + " (no longer returned)", sessions.get().logout(tp.target(), tp.portal()),
                    IscsiError.NO_OBJS_FOUND);
        }
    }

    /** Forgets a record (no longer followed); its sessions stay, as the user may want them. */
    synchronized void forget(String id) {
        known.remove(id);
    }

    private static void report(String id, String what, CompletionStage<? extends List<? extends Outcome<?>>> stage,
            IscsiError harmless) {
        stage.whenComplete((outcomes, failure) -> {
            if (failure != null) {
                LOG.warn("discoveryd: {}: {} failed: {}", id, what, failure.getMessage());
                return;
            }
            for (Outcome<?> o : outcomes) {
                if (o.isOk()) {
                    LOG.info("discoveryd: {}: {} done", id, what);
                } else if (o.status() != harmless) {
                    LOG.warn("discoveryd: {}: {} failed: {}", id, what, o.message());
                }
            }
        });
    }
}
