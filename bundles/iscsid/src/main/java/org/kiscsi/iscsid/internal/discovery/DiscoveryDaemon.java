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
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.kiscsi.spi.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * iscsid's discoveryd: every discovery record with {@code discovery.<type>.use_discoveryd = Yes} is
 * asked again every {@code discovery.<type>.discoveryd_poll_inval} seconds (0 or less: never polled)
 * by the discovery method of its type, when one is installed. Targets and portals it did not know
 * become node records with iscsid.conf's defaults; existing records are never touched, so settings
 * a user changed stay changed. (open-iscsi's discoveryd also logs in to what it finds and out of
 * what is gone; kiscsi leaves that to node.startup and the user.)
 */
public final class DiscoveryDaemon {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryDaemon.class);
    /** How often records are checked for being due; each is polled at its own interval. */
    static final Duration TICK = Duration.ofSeconds(1);

    /** What a poll needs from the daemon, asked afresh each time: any of it may come and go. */
    public record Sources(Supplier<Optional<NodeStore>> store, Function<DiscoveryType, Optional<DiscoveryProvider>> providers,
            Supplier<Optional<IscsiName>> initiator,
            Supplier<Optional<SessionManager>> sessions, Supplier<RecordValues> nodeDefaults) {
    }

    private final Sources sources;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, Instant> lastPoll = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
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

    public synchronized void stop() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
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

    /** Polls every record that is due and whose discovery method is installed. */
    public void tick() {
        boolean anyMethod = false;
        for (DiscoveryType t : DiscoveryType.values()) {
            anyMethod |= sources.providers().apply(t).isPresent();
        }
        Optional<NodeStore> store = anyMethod ? sources.store().get() : Optional.empty();
        if (store.isEmpty()) {
            return; // no discovery method installed (or no store): nothing to read
        }
        for (DiscoveryRecord r : store.get().discoveries()) {
            String prefix = "discovery." + r.type().recordName() + ".";
            if (!r.values().getBoolean(prefix + "use_discoveryd", false)) {
                continue;
            }
            int every = r.values().getInt(prefix + "discoveryd_poll_inval", 30);
            Optional<DiscoveryProvider> p = sources.providers().apply(r.type());
            if (every <= 0 || p.isEmpty()) {
                continue;
            }
            String id = r.type() + " " + r.address().hostPort();
            Instant now = clock.instant();
            synchronized (this) {
                Instant last = lastPoll.get(id);
                if (inFlight.contains(id) || last != null && now.isBefore(last.plusSeconds(every))) {
                    continue;
                }
                Optional<IscsiName> me = sources.initiator().get();
                if (me.isEmpty()) {
                    if (!warnedNoName) {
                        LOG.warn("discoveryd: this initiator has no name (see the initiatorname file); not polling");
                        warnedNoName = true;
                    }
                    return;
                }
                lastPoll.put(id, now);
                inFlight.add(id);
                poll(store.get(), r, p.get(), me.get(), id);
            }
        }
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
