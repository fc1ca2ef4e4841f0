package org.kiscsi.store.memory.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreProvider;
import org.kiscsi.store.memory.MemoryNodeStore;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code memory} node store provider. Each root gets one store that lives as long as this
 * component: reopening a root while the bundle runs sees the same records; stopping the bundle
 * drops them all.
 */
@Component(service = NodeStoreProvider.class, property = NodeStoreProvider.NAME_PROPERTY + "=" + MemoryNodeStoreProvider.NAME)
public class MemoryNodeStoreProvider implements NodeStoreProvider {
    static final String NAME = "memory";

    private final Map<Path, MemoryNodeStore> stores = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeStore open(Path root) {
        MemoryNodeStore store = stores.computeIfAbsent(root.toAbsolutePath().normalize(),
                r -> new MemoryNodeStore("memory node store for " + r));
        return store.handle();
    }

    @Deactivate
    void deactivate() {
        stores.values().forEach(MemoryNodeStore::close);
        stores.clear();
    }
}
