package org.kiscsi.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStoreException;

class MemoryNodeStoreHandleTest {
    private static final NodeRecord RECORD = NodeRecord.create(
            new NodeKey(IscsiName.of("iqn.2026-11.org.kiscsi:h"), Portal.parse("127.0.0.1:3260,1"), "default"),
            RecordValues.empty().with(NodeKeys.STARTUP, "manual"));

    @Test
    void closingOneHandleLeavesTheRecordsAndTheOtherHandles() {
        MemoryNodeStore records = new MemoryNodeStore("records under test");
        MemoryNodeStore.Handle first = records.handle();
        MemoryNodeStore.Handle second = records.handle();
        first.putNode(RECORD);

        first.close();

        assertTrue(first.isClosed());
        assertFalse(second.isClosed());
        NodeStoreException e = assertThrows(NodeStoreException.class, () -> first.node(RECORD.key()));
        assertEquals("records under test: this handle is closed", e.getMessage());
        assertEquals(RECORD, second.node(RECORD.key()).orElseThrow());
        assertEquals(RECORD, records.node(RECORD.key()).orElseThrow());
    }

    @Test
    void closingTheRecordsClosesThemForEveryHandle() {
        MemoryNodeStore records = new MemoryNodeStore("records under test");
        MemoryNodeStore.Handle handle = records.handle();
        records.close();
        assertFalse(handle.isClosed());
        assertThrows(NodeStoreException.class, handle::nodes);
    }
}
