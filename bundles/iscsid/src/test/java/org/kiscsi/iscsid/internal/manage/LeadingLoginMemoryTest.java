package org.kiscsi.iscsid.internal.manage;

import java.nio.file.Path;

import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.store.memory.MemoryNodeStore;

/** Leading login over the memory store. */
class LeadingLoginMemoryTest extends LeadingLoginCases {
    @Override
    NodeStore open(Path root) {
        return new MemoryNodeStore("leading login test").handle();
    }
}
