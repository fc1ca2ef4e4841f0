package org.kiscsi.iscsid.internal.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryApplier;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.discovery.NodeChange;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.spi.discovery.DiscoveryListener;
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.kiscsi.spi.discovery.DiscoveryWatch;
import org.kiscsi.spi.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * iscsid's discoveryd: every discovery record with {@code discovery.<type>.use_discoveryd = Yes} is
 * asked again every {@code discovery.<type>.discoveryd_poll_inval} seconds (0 or less: never polled;
 * 30 by default, -1 for iSNS) by the discovery method of its type, when one is installed; a method
 * that can watch (iSNS: state-change notifications) is also subscribed to for as long as the record
 * asks for discoveryd. As open-iscsi's discoveryd it logs in to every target portal an answer
 * returns that the previous one did not, and out of those no longer returned. Unlike open-iscsi's
 * (which writes none), targets and portals it did not know also become node records with
 * iscsid.conf's defaults; existing records are never touched, so settings a user changed stay
 * changed. Answers are handled on the daemon's timer thread; the store is never held while the
 * network is waited on (the discovery runs first, the store is written after).
 */
public final class DiscoveryDaemon {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryDaemon.class);
    /** How often records are checked for being due; each is polled at its own interval. */
    static final Duration TICK = Duration.ofSeconds(1);

    /** What a poll needs from the daemon, asked afresh each time: any of it may come and go. */
    public record Sources(Supplier<Optional<NodeStore>> store, Function<DiscoveryType, Optional<DiscoveryProvider>> providers,
            Supplier<Optional<IscsiName>> initiator,
            Supplier<Optional<SessionManager>> sessions, Supplier<RecordValues> nodeDefaults,
            Supplier<Optional<PortalSessions>> logins) {
    }

    /** Logging in and out of one target portal's node records (the management service's; never waited on). */
    public interface PortalSessions {
        CompletionStage<? extends List<? extends org.kiscsi.api.manage.Outcome<?>>> login(IscsiName target, org.kiscsi.api.Portal portal);

        CompletionStage<? extends List<? extends org.kiscsi.api.manage.Outcome<?>>> logout(IscsiName target, org.kiscsi.api.Portal portal);
    }

    /** A subscription of a record, with the method instance that serves it (a replaced bundle brings a new one). */
    private record Followed(DiscoveryProvider provider, DiscoveryRecord record, DiscoveryWatch watch) {
    }

    private final Sources sources;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, Instant> lastPoll = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, Followed> watches = new HashMap<>();
    private final DiscoverydLogins logins = new DiscoverydLogins();
    private ScheduledFuture<?> ticker;
    private boolean warnedNoName;

    public DiscoveryDaemon(Sources sources, ScheduledExecutorService timers, Clock clock, Duration timeout) {
        this.sources = sources;
        this.timers = timers;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Starts polling (the daemon's "timers" step); idempotent. */
    public synchronized void start() {
        if (ticker == null) {
            ticker = timers.scheduleWithFixedDelay(this::safeTick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops polling and closes every subscription (their deregistration runs off this thread). */
    public synchronized void stop() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
        for (String id : List.copyOf(watches.keySet())) {
            unfollow(id);
        }
    }

    public synchronized boolean running() {
        return ticker != null;
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("discoveryd: {}", e.toString());
        }
    }

    /** Polls every record that is due and whose discovery method is installed; opens and closes subscriptions. */
    public void tick() {
        boolean anyMethod = false;
        for (DiscoveryType t : DiscoveryType.values()) {
            anyMethod |= sources.providers().apply(t).isPresent();
        }
        Optional<NodeStore> store = anyMethod ? sources.store().get() : Optional.empty();
        Set<String> followed = new HashSet<>();
        try {
            if (store.isEmpty()) {
                return; // no discovery method installed (or no store): nothing to read
            }
            for (DiscoveryRecord r : store.get().discoveries()) {
                String prefix = "discovery." + r.type().recordName() + ".";
                if (!r.values().getBoolean(prefix + "use_discoveryd", false)) {
                    continue;
                }
                int every = r.values().getInt(prefix + "discoveryd_poll_inval", r.type() == DiscoveryType.ISNS ? -1 : 30);
                Optional<DiscoveryProvider> p = sources.providers().apply(r.type());
                if (p.isEmpty() || every <= 0 && !p.get().canWatch()) {
                    continue;
                }
                Optional<IscsiName> me = sources.initiator().get();
                if (me.isEmpty()) {
                    synchronized (this) {
                        if (!warnedNoName) {
                            LOG.warn("discoveryd: this initiator has no name (see the initiatorname file); not discovering");
                            warnedNoName = true;
                        }
                    }
                    return;
                }
                String id = r.type() + " " + r.address().hostPort();
                if (p.get().canWatch()) {
                    followed.add(id);
                    follow(store.get(), r, p.get(), me.get(), id);
                }
                if (every > 0) {
                    pollIfDue(store.get(), r, p.get(), me.get(), id, every);
                }
            }
        } finally {
            synchronized (this) {
                for (String id : List.copyOf(watches.keySet())) {
                    if (!followed.contains(id)) {
                        unfollow(id);
                    }
                }
            }
        }
    }

    private synchronized void pollIfDue(NodeStore store, DiscoveryRecord r, DiscoveryProvider p, IscsiName me, String id, int every) {
        Instant now = clock.instant();
        Instant last = lastPoll.get(id);
        if (inFlight.contains(id) || last != null && now.isBefore(last.plusSeconds(every))) {
            return;
        }
        lastPoll.put(id, now);
        inFlight.add(id);
        poll(store, r, p, me, id);
    }

    /** Keeps one subscription per record, opened on the method instance installed now. */
    private synchronized void follow(NodeStore store, DiscoveryRecord r, DiscoveryProvider p, IscsiName me, String id) {
        Followed f = watches.get(id);
        if (f != null && f.provider() == p && f.record().equals(r)) {
            return;
        }
        if (f != null) {
            unfollow(id); // the method was replaced or the record changed: subscribe afresh
        }
        DiscoveryListener listener = new DiscoveryListener() {
            @Override
            public void changed(List<DiscoveredTarget> added, List<DiscoveredTarget> removed, List<DiscoveredTarget> now) {
                added.forEach(t -> LOG.info("discoveryd: {}: {} at {}", id, t.name(), t.portals()));
                removed.forEach(t -> LOG.info("discoveryd: {}: {} gone from {}", id, t.name(), t.portals()));
                timers.execute(() -> handle(store, r, id, now));
            }

            @Override
            public void failed(org.kiscsi.api.IscsiException cause) {
                LOG.debug("discoveryd: {}: {}", id, cause.getMessage());
            }
        };
        try {
            DiscoveryWatch w = p.watch(r, new DiscoveryContext(me, sources.sessions().get().orElse(null), timeout), listener);
            watches.put(id, new Followed(p, r, w));
            LOG.info("discoveryd: following {}", id);
        } catch (RuntimeException e) {
            LOG.warn("discoveryd: cannot follow {}: {}", id, e.getMessage());
        }
    }

    private synchronized void unfollow(String id) {
        Followed f = watches.remove(id);
        if (f == null) {
            return;
        }
        logins.forget(id);
        lastPoll.remove(id);
        CompletableFuture.runAsync(() -> {
            try {
                f.watch().close();
            } catch (RuntimeException e) {
                LOG.debug("discoveryd: closing {}: {}", id, e.toString());
            }
        });
        LOG.info("discoveryd: no longer following {}", id);
    }

    /** An answer (polled or watched), on the timer thread: new node records, then logins and logouts. */
    private void handle(NodeStore store, DiscoveryRecord r, String id, List<DiscoveredTarget> targets) {
        int added;
        try {
            added = addNew(store, r, targets);
        } catch (RuntimeException e) {
            LOG.warn("discoveryd: {}: cannot write what it found: {}", id, e.getMessage());
            return;
        }
        if (added > 0) {
            LOG.info("discoveryd: {} new node record(s) from {}", added, id);
        }
        logins.answered(id, DiscoverydLogins.portals(targets), sources.logins().get());
    }

    private void poll(NodeStore store, DiscoveryRecord r, DiscoveryProvider p, IscsiName me, String id) {
        LOG.debug("discoveryd: polling {}", id);
        CompletionStage<List<DiscoveredTarget>> found;
        try {
            found = p.discover(r, new DiscoveryContext(me, sources.sessions().get().orElse(null), timeout));
        } catch (RuntimeException e) {
            found = CompletableFuture.failedFuture(e);
        }
        // the store is written on the daemon's timer thread, never on the engine's I/O thread that completes the discovery
        found.whenCompleteAsync((targets, failure) -> {
            synchronized (this) {
                inFlight.remove(id);
            }
            if (failure != null) {
                LOG.warn("discoveryd: {} failed: {}", id, failure.getMessage());
                return;
            }
            handle(store, r, id, targets);
        }, timers);
    }

    /**
     * Creates a record for each target portal not known yet (the {@code new} operation of a
     * discovery, through the same {@link DiscoveryApplier} iscsiadm's discovery uses); returns how many.
     */
    int addNew(NodeStore store, DiscoveryRecord from, List<DiscoveredTarget> targets) {
        AppliedDiscovery applied = new DiscoveryApplier(store, sources.nodeDefaults().get(), key -> false)
                .apply(from, targets, EnumSet.of(DiscoveryOp.NEW), List.of());
        for (NodeChange c : applied.changes(NodeChange.Kind.FAILED)) {
            LOG.warn("discoveryd: {}", c.message());
        }
        return applied.changes(NodeChange.Kind.ADDED).size();
    }
}
