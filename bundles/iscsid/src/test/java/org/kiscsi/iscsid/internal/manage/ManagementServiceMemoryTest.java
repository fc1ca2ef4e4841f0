package org.kiscsi.iscsid.internal.manage;

import java.nio.file.Path;

import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.store.memory.MemoryNodeStore;

/** The management service over the memory store. */
class ManagementServiceMemoryTest extends ManagementServiceCases {
    private MemoryNodeStore records;

    @Override
    NodeStore open(Path root) {
        if (records == null) {
            records = new MemoryNodeStore("management test");
        }
        return records.handle();
    }
}
