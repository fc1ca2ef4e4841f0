package org.kiscsi.iscsid.internal;

import java.nio.file.Path;
import java.util.Optional;

import org.kiscsi.api.IscsiError;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node store the daemon is configured to use (iscsid's {@code idbm_init}), opened at the root
 * beside iscsid.conf. At start-up a store whose provider is installed but cannot open it is fatal; a
 * provider that is missing, goes away or fails later leaves the daemon running, degraded, until the
 * store is back. A changed {@code node.store} {@link #swapTo swaps} the store while the daemon runs.
 */
final class NodeStoreSlot {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStoreSlot.class);

    private String name;
    private final Path root;
    private final Providers providers;
    private NodeStoreProvider provider;
    private NodeStore store;
    private String problem;

    NodeStoreSlot(String name, Path root, Providers providers) {
        this.name = name;
        this.root = root;
        this.providers = providers;
    }

    /** @throws DaemonStartException when the configured store's provider is there but cannot open it */
    synchronized void openAtStartup() throws DaemonStartException {
        Optional<NodeStoreProvider> p = providers.store(name);
        if (p.isEmpty()) {
            problem = "node store '" + name + "' is not installed";
            LOG.warn("{}: the daemon runs degraded (no node records) until it appears", problem);
            return;
        }
        try {
            open(p.get());
        } catch (RuntimeException e) {
            throw new DaemonStartException(IscsiError.IDBM, "node store '" + name + "' at " + root
                    + " cannot be opened: " + e.getMessage(), e);
        }
    }

    private void open(NodeStoreProvider p) {
        NodeStore s = p.open(root);
        provider = p;
        store = s;
        problem = null;
        LOG.info("node store '{}' open at {}", name, root);
        for (String line : s.problems()) {
            LOG.warn("node store '{}': {}", name, line);
        }
    }

    /** A provider appeared: opens the store when it is the configured one and none is open. */
    synchronized void providerAdded(NodeStoreProvider p) {
        if (!name.equals(p.name()) || store != null) {
            return;
        }
        try {
            open(p);
        } catch (RuntimeException e) {
            problem = "node store '" + name + "' at " + root + " cannot be opened: " + e.getMessage();
            LOG.error("{}; the daemon stays degraded", problem);
        }
    }

    /**
     * Config Admin names another store: the new one is opened, then the old one closed (so the
     * daemon is without a store only when the new one cannot be had, and then says so). Sessions are
     * none of the slot's business: they stay as they are.
     *
     * @return false when {@code newName} is the store already configured (nothing done)
     */
    synchronized boolean swapTo(String newName) {
        if (newName.equals(name)) {
            return false;
        }
        String old = name;
        NodeStore oldStore = store;
        name = newName;
        store = null;
        provider = null;
        Optional<NodeStoreProvider> p = providers.store(newName);
        if (p.isEmpty()) {
            problem = "node store '" + newName + "' is not installed";
            LOG.warn("node.store changed from '{}' to '{}', but {}: the daemon runs degraded until it appears", old, newName,
                    problem);
        } else {
            try {
                open(p.get());
            } catch (RuntimeException e) {
                problem = "node store '" + newName + "' at " + root + " cannot be opened: " + e.getMessage();
                LOG.error("node.store changed from '{}' to '{}', but {}; the daemon stays degraded", old, newName, problem);
            }
        }
        closeQuietly(old, oldStore);
        if (store != null) {
            LOG.info("node store swapped from '{}' to '{}' at {}; sessions untouched", old, newName, root);
        }
        return true;
    }

    /** A provider went away: when it was ours, the store is closed and the daemon degraded. */
    synchronized void providerRemoved(NodeStoreProvider p) {
        if (p != provider) {
            return;
        }
        closeStore();
        problem = "node store '" + name + "' went away";
        LOG.warn("{}: the daemon runs degraded until it is back", problem);
    }

    synchronized Optional<NodeStore> store() {
        return Optional.ofNullable(store);
    }

    /** The store configured now (open or not). */
    synchronized String name() {
        return name;
    }

    Path root() {
        return root;
    }

    /** "open", or why not. */
    synchronized String state() {
        return store != null ? "open" : problem != null ? problem : "not opened";
    }

    synchronized boolean isOpen() {
        return store != null;
    }

    synchronized void close() {
        closeStore();
        problem = "closed";
    }

    private void closeStore() {
        closeQuietly(name, store);
        store = null;
        provider = null;
    }

    private static void closeQuietly(String storeName, NodeStore s) {
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("closing node store '{}' failed: {}", storeName, e.toString());
            }
        }
    }
}
