package org.kiscsi.discovery.isns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.discovery.isns.internal.IsnsConnection;
import org.kiscsi.discovery.isns.internal.IsnsListing;
import org.kiscsi.discovery.isns.internal.IsnsMessages;
import org.kiscsi.discovery.isns.internal.IsnsPdu;
import org.kiscsi.discovery.isns.internal.IsnsWatch;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.spi.discovery.DiscoveryListener;
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.kiscsi.spi.discovery.DiscoveryWatch;

/**
 * iSNS discovery (RFC 4171) over TCP, with its own iSNSP codec. The record's address is the
 * server's ({@code discovery.sendtargets.address}/{@code port} in {@code isns_config}, port 3205 by
 * default, as open-iscsi keeps it). Our entity's identifier is the initiator name; discovery domains
 * are the server's to enforce, by that source name.
 *
 * <p>{@link #discover} registers our node (without portal), asks which targets we may see
 * (DevAttrQry: each target with its portal groups' addresses and tags; a server whose answer would be
 * too big is walked with DevGetNext, see {@link IsnsListing}) and deregisters, unless a
 * {@link #watch} on the same server holds the registration, in which case it only asks.
 * {@link #watch} keeps a registration with a portal whose SCN and ESI ports listen on the address
 * we reach the server from (or {@code listenAddress} when given; never the wildcard otherwise),
 * answers SCNs and ESIs, queries after each SCN and reports the difference.
 *
 * <p>Errors: the server unreachable or silent past the context's timeout: {@code ISNS_UNAVAILABLE}
 * (17); a refused or malformed query answer: {@code ISNS_QUERY} (25); a refused registration:
 * {@code ISNS_REG_FAILED} (26); each naming the server and what was wrong. Nothing is returned
 * from a bad answer.
 *
 * <p>Threads: the network is spoken on threads of this object's own (one per one-shot discovery,
 * one per watch plus its listeners' threads), never on the caller's; stages complete there.
 */
public final class IsnsDiscovery implements DiscoveryProvider {
    public static final int DEFAULT_PORT = 3205;

    private final Optional<InetAddress> listenAddress;
    private final int scnPort;
    private final int esiPort;
    private final Set<IsnsWatch> watches = ConcurrentHashMap.newKeySet();
    private final ExecutorService oneShots;

    /** Listens for SCN and ESI on the address the server is reached from. */
    public IsnsDiscovery() {
        this(Optional.empty());
    }

    /** Listens for SCN and ESI on {@code listenAddress} (a wildcard only if that is what is given). */
    public IsnsDiscovery(Optional<InetAddress> listenAddress) {
        this(listenAddress, 0, 0);
    }

    /**
     * Listens for SCN and ESI on {@code listenAddress} (empty: the address the server is reached
     * from; a wildcard only if that is what is given), on the given ports (0: ephemeral; fixed ports
     * serve one watch at a time, e.g. for a firewall rule).
     */
    public IsnsDiscovery(Optional<InetAddress> listenAddress, int scnPort, int esiPort) {
        this.listenAddress = Objects.requireNonNull(listenAddress, "listenAddress");
        this.scnPort = scnPort;
        this.esiPort = esiPort;
        AtomicInteger n = new AtomicInteger();
        this.oneShots = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kiscsi-isns-query-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public DiscoveryType type() {
        return DiscoveryType.ISNS;
    }

    @Override
    public boolean canWatch() {
        return true;
    }

    @Override
    public CompletionStage<List<DiscoveredTarget>> discover(DiscoveryRecord record, DiscoveryContext context) {
        InetSocketAddress server;
        try {
            server = serverOf(record);
        } catch (IscsiException e) {
            return CompletableFuture.failedFuture(e);
        }
        IscsiName me = context.initiatorName();
        boolean held = watches.stream().anyMatch(w -> w.server().equals(server) && w.registered());
        return CompletableFuture.supplyAsync(() -> {
            try (IsnsConnection c = IsnsConnection.open(server, context.timeout())) {
                if (!held) {
                    c.exchange(IsnsPdu.DEV_ATTR_REG, 0, IsnsMessages.register(me, me.toString(), Optional.empty(), false, 900),
                            IscsiError.ISNS_REG_FAILED);
                }
                try {
                    return new IsnsListing(me).list(c);
                } finally {
                    if (!held) {
                        deregisterQuietly(c, me);
                    }
                }
            }
        }, oneShots);
    }

    private static void deregisterQuietly(IsnsConnection c, IscsiName me) {
        try {
            c.exchange(IsnsPdu.DEV_DEREG, 0, IsnsMessages.deregister(me, me.toString()), IscsiError.ISNS_REG_FAILED);
        } catch (IscsiException e) {
            // the answer is what was asked for; a registration left behind expires with the server's period
            org.slf4j.LoggerFactory.getLogger(IsnsDiscovery.class).debug("{}", e.getMessage());
        }
    }

    @Override
    public DiscoveryWatch watch(DiscoveryRecord record, DiscoveryContext context, DiscoveryListener listener) {
        InetSocketAddress server = serverOf(record);
        IsnsWatch w = new IsnsWatch(server, context.initiatorName(), context.initiatorName().toString(), listenAddress, scnPort, esiPort,
                context.timeout(), listener, watches::remove);
        watches.add(w);
        w.start();
        return w;
    }

    /** Closes every watch (deregistering) and the one-shot threads. */
    public void close() {
        for (IsnsWatch w : List.copyOf(watches)) {
            w.close();
        }
        oneShots.shutdownNow();
    }

    private static InetSocketAddress serverOf(DiscoveryRecord record) {
        if (record.type() != DiscoveryType.ISNS) {
            throw new IscsiException(IscsiError.INVAL, "iSNS discovery at " + record.address().hostPort() + ": the record is of type "
                    + record.type() + ", not isns");
        }
        InetSocketAddress a = new InetSocketAddress(record.address().address(), record.address().port());
        if (a.isUnresolved()) {
            throw new IscsiException(IscsiError.ISNS_UNAVAILABLE, "iSNS server " + record.address().hostPort() + ": cannot resolve "
                    + record.address().address());
        }
        return a;
    }
}
