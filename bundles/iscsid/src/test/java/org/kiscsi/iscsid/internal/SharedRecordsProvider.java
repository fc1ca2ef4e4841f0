package org.kiscsi.iscsid.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreProvider;
import org.kiscsi.store.memory.MemoryNodeStore;

/**
 * A store provider over one set of records that hands out a fresh handle per open, as store-memory
 * and store-file do: closing a handle leaves the records for the next open. Remembers handles and roots.
 */
final class SharedRecordsProvider implements NodeStoreProvider {
    final String name;
    final MemoryNodeStore records;
    final List<MemoryNodeStore.Handle> handles = new ArrayList<>();
    final List<Path> roots = new ArrayList<>();

    SharedRecordsProvider(String name) {
        this.name = name;
        this.records = new MemoryNodeStore(name + " records");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized NodeStore open(Path root) {
        MemoryNodeStore.Handle h = records.handle();
        handles.add(h);
        roots.add(root);
        return h;
    }

    synchronized MemoryNodeStore.Handle last() {
        return handles.get(handles.size() - 1);
    }
}
