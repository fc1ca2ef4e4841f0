package org.kiscsi.iscsid.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.kiscsi.spi.store.NodeStoreProvider;
import org.kiscsi.spi.transport.TransportProvider;

/**
 * The providers the daemon uses, as DS binds and unbinds them: node stores by name, the session
 * engine, discovery methods by type. Any of them may be missing or go away at any time; the daemon
 * asks here each time and is told of every change.
 */
public final class Providers {
    /** What changed. */
    public enum Kind { STORE, SESSIONS, DISCOVERY }

    /** A provider came ({@code added}) or went. */
    public record Change(Kind kind, boolean added, Object provider) {
    }

    private final Map<String, NodeStoreProvider> stores = new TreeMap<>();
    private SessionManager sessions;
    private final Map<DiscoveryType, DiscoveryProvider> discovery = new EnumMap<>(DiscoveryType.class);
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    /** Installed transports by name (the management service's hosts, and its check of an iface's transport). */
    private final Map<String, TransportProvider> transports = new TreeMap<>();
    private LunService luns;

    public void addListener(Consumer<Change> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<Change> l) {
        listeners.remove(l);
    }

    private void fire(Kind kind, boolean added, Object provider) {
        Change c = new Change(kind, added, provider);
        for (Consumer<Change> l : listeners) {
            l.accept(c);
        }
    }

    public void addStore(NodeStoreProvider p) {
        synchronized (this) {
            stores.put(p.name(), p);
        }
        fire(Kind.STORE, true, p);
    }

    public void removeStore(NodeStoreProvider p) {
        synchronized (this) {
            stores.values().removeIf(x -> x == p);
        }
        fire(Kind.STORE, false, p);
    }

    public synchronized Optional<NodeStoreProvider> store(String name) {
        return Optional.ofNullable(stores.get(name));
    }

    public synchronized List<String> storeNames() {
        return new ArrayList<>(stores.keySet());
    }

    public void setSessions(SessionManager s) {
        synchronized (this) {
            sessions = s;
        }
        fire(Kind.SESSIONS, true, s);
    }

    public void unsetSessions(SessionManager s) {
        synchronized (this) {
            if (sessions != s) {
                return;
            }
            sessions = null;
        }
        fire(Kind.SESSIONS, false, s);
    }

    public synchronized Optional<SessionManager> sessions() {
        return Optional.ofNullable(sessions);
    }

    public void addDiscovery(DiscoveryProvider p) {
        synchronized (this) {
            discovery.put(p.type(), p);
        }
        fire(Kind.DISCOVERY, true, p);
    }

    public void removeDiscovery(DiscoveryProvider p) {
        synchronized (this) {
            discovery.values().removeIf(x -> x == p);
        }
        fire(Kind.DISCOVERY, false, p);
    }

    public synchronized Optional<DiscoveryProvider> discovery(DiscoveryType type) {
        return Optional.ofNullable(discovery.get(type));
    }

    public synchronized Set<DiscoveryType> discoveryTypes() {
        return Set.copyOf(discovery.keySet());
    }

    public synchronized void addTransport(TransportProvider t) {
        transports.put(t.name(), t);
    }

    public synchronized void removeTransport(TransportProvider t) {
        transports.values().removeIf(x -> x == t);
    }

    public synchronized Set<String> transportNames() {
        return Set.copyOf(transports.keySet());
    }

    public synchronized void setLuns(LunService l) {
        luns = l;
    }

    public synchronized void unsetLuns(LunService l) {
        if (luns == l) {
            luns = null;
        }
    }

    public synchronized Optional<LunService> luns() {
        return Optional.ofNullable(luns);
    }
}
