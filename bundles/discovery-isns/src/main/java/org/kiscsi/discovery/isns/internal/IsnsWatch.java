package org.kiscsi.discovery.isns.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryListener;
import org.kiscsi.spi.discovery.DiscoveryWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription to one iSNS server. On its own thread it registers our entity, portal (SCN and
 * ESI ports) and node, registers for SCNs and queries the targets we may see; each SCN makes it
 * query again and report the difference. The registration is renewed every half registration
 * period, and at least every 30 s, so that a server that restarted with an empty database has us
 * back within that time (the renewal also re-registers for SCNs and queries, catching changes
 * missed meanwhile). Closing deregisters.
 */
public final class IsnsWatch implements DiscoveryWatch {
    private static final Logger LOG = LoggerFactory.getLogger(IsnsWatch.class);
    static final Duration MAX_REFRESH = Duration.ofSeconds(30);
    /** Asked for in DevAttrReg; the server decides (isnsd grants its RegistrationPeriod). */
    private static final int REQUESTED_PERIOD = 900;

    private final InetSocketAddress server;
    private final String serverText;
    private final IscsiName me;
    private final String entity;
    private final Optional<InetAddress> listenAddress;
    private final int scnPort;
    private final int esiPort;
    private final Duration timeout;
    private final DiscoveryListener listener;
    private final Consumer<IsnsWatch> onClose;
    private final ScheduledExecutorService thread;
    private final IsnsListing listing;
    private Map<String, DiscoveredTarget> current = new LinkedHashMap<>();
    private IsnsCallbacks callbacks;
    private boolean esi = true;
    /** The last granted period's renewal interval: also how soon a failed renewal is tried again. */
    private Duration refresh = MAX_REFRESH;
    private volatile boolean registered;
    private boolean failing;
    private boolean reported;
    private volatile boolean closed;
    private volatile List<DiscoveredTarget> seen = List.of();

    public IsnsWatch(InetSocketAddress server, IscsiName me, String entity, Optional<InetAddress> listenAddress, int scnPort, int esiPort,
            Duration timeout,
            DiscoveryListener listener, Consumer<IsnsWatch> onClose) {
        this.server = server;
        this.serverText = server.getHostString() + ":" + server.getPort();
        this.me = me;
        this.entity = entity;
        this.listenAddress = listenAddress;
        this.scnPort = scnPort;
        this.esiPort = esiPort;
        this.timeout = timeout;
        this.listener = listener;
        this.onClose = onClose;
        this.listing = new IsnsListing(me);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiscsi-isns-watch-" + serverText);
            t.setDaemon(true);
            return t;
        });
    }

    public InetSocketAddress server() {
        return server;
    }

    /** Whether the server holds our registration (as far as the last renewal knows). */
    public boolean registered() {
        return registered && !failing;
    }

    public void start() {
        thread.execute(this::renew);
    }

    /** Registers (again), re-subscribes, queries; schedules the next renewal. Runs on the watch's thread. */
    private void renew() {
        if (closed) {
            return;
        }
        try (IsnsConnection c = IsnsConnection.open(server, timeout)) {
            ensureCallbacks(c);
            IsnsPdu reg = register(c);
            refresh = refreshAfter(IsnsMessages.registrationPeriod(reg.attributes()).orElse(0));
            registered = true;
            c.exchange(IsnsPdu.SCN_REG, 0, IsnsMessages.scnRegister(me), IscsiError.ISNS_REG_FAILED);
            report(query(c));
            if (failing) {
                LOG.info("iSNS {}: registered again", serverText);
            }
            failing = false;
        } catch (IscsiException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new IscsiException(IscsiError.ISNS_QUERY, "iSNS server " + serverText + ": " + e, e));
        }
        if (!closed) {
            // after a failure too: a server back from a restart has us again within one refresh
            thread.schedule(this::renew, Math.max(1, refresh.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    /** When to renew a registration the server granted for {@code periodSeconds} (0: it did not say). */
    static Duration refreshAfter(int periodSeconds) {
        if (periodSeconds <= 0) {
            return MAX_REFRESH;
        }
        Duration half = Duration.ofMillis(periodSeconds * 500L);
        return half.compareTo(MAX_REFRESH) < 0 ? half : MAX_REFRESH;
    }

    private IsnsPdu register(IsnsConnection c) {
        IsnsMessages.Listening l = new IsnsMessages.Listening(callbacks.address(), callbacks.scnPort(), callbacks.esiPort());
        try {
            return c.exchange(IsnsPdu.DEV_ATTR_REG, 0, IsnsMessages.register(me, entity, Optional.of(l), esi, REQUESTED_PERIOD),
                    IscsiError.ISNS_REG_FAILED);
        } catch (IsnsStatusException e) {
            if (!esi || e.status() != IsnsStatusException.ESI_NOT_AVAILABLE) {
                throw e;
            }
            esi = false; // the server does not do ESI: register without an ESI port
            LOG.info("iSNS {}: no ESI there; registering without an ESI port", serverText);
            return c.exchange(IsnsPdu.DEV_ATTR_REG, 0, IsnsMessages.register(me, entity, Optional.of(l), false, REQUESTED_PERIOD),
                    IscsiError.ISNS_REG_FAILED);
        }
    }

    private void ensureCallbacks(IsnsConnection c) {
        if (callbacks != null) {
            return;
        }
        InetAddress at = listenAddress.orElse(c.localAddress());
        try {
            callbacks = IsnsCallbacks.listen(serverText, me, at, scnPort, esiPort, () -> thread.execute(this::requery));
        } catch (IOException e) {
            throw new IscsiException(IscsiError.ISNS_REG_FAILED, "iSNS server " + serverText + ": cannot listen for SCN and ESI on "
                    + at.getHostAddress() + ": " + e.getMessage(), e);
        }
        LOG.info("iSNS {}: SCN port {}, ESI port {} on {}", serverText, callbacks.scnPort(), callbacks.esiPort(), at.getHostAddress());
    }

    /** After an SCN: ask again what we may see. */
    private void requery() {
        if (closed) {
            return;
        }
        try (IsnsConnection c = IsnsConnection.open(server, timeout)) {
            report(query(c));
        } catch (IscsiException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new IscsiException(IscsiError.ISNS_QUERY, "iSNS server " + serverText + ": " + e, e));
        }
    }

    private List<DiscoveredTarget> query(IsnsConnection c) {
        return listing.list(c);
    }

    private void fail(IscsiException e) {
        if (closed) {
            return;
        }
        if (!failing) {
            LOG.warn("{} (trying again)", e.getMessage());
        }
        failing = true;
        try {
            listener.failed(e);
        } catch (RuntimeException x) {
            LOG.warn("iSNS {}: listener failed: {}", serverText, x.toString());
        }
    }

    private void report(List<DiscoveredTarget> found) {
        Map<String, DiscoveredTarget> now = new LinkedHashMap<>();
        found.forEach(t -> now.put(t.name().toString(), t));
        boolean first = !reported;
        reported = true;
        List<DiscoveredTarget> added = diff(now, current);
        List<DiscoveredTarget> removed = diff(current, now);
        current = now;
        seen = List.copyOf(now.values());
        if (added.isEmpty() && removed.isEmpty() && !first) {
            return;
        }
        try {
            listener.changed(added, removed, seen);
        } catch (RuntimeException x) {
            LOG.warn("iSNS {}: listener failed: {}", serverText, x.toString());
        }
    }

    /** The target portals in {@code a} and not in {@code b}, per target. */
    static List<DiscoveredTarget> diff(Map<String, DiscoveredTarget> a, Map<String, DiscoveredTarget> b) {
        List<DiscoveredTarget> out = new ArrayList<>();
        for (DiscoveredTarget t : a.values()) {
            DiscoveredTarget other = b.get(t.name().toString());
            Set<Portal> ps = new LinkedHashSet<>(t.portals());
            if (other != null) {
                ps.removeAll(other.portals());
            }
            if (!ps.isEmpty()) {
                out.add(new DiscoveredTarget(t.name(), List.copyOf(ps)));
            }
        }
        return out;
    }

    @Override
    public List<DiscoveredTarget> current() {
        return seen;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            thread.submit(this::deregister).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("iSNS {}: deregistration did not finish: {}", serverText, e.toString());
        }
        thread.shutdownNow();
        onClose.accept(this);
    }

    private void deregister() {
        if (callbacks != null) {
            callbacks.close();
        }
        if (!registered) {
            return;
        }
        try (IsnsConnection c = IsnsConnection.open(server, timeout)) {
            c.exchange(IsnsPdu.DEV_DEREG, 0, IsnsMessages.deregister(me, entity), IscsiError.ISNS_REG_FAILED);
            LOG.info("iSNS {}: deregistered {}", serverText, entity);
        } catch (IscsiException e) {
            LOG.warn("{}", e.getMessage());
        }
    }
}
