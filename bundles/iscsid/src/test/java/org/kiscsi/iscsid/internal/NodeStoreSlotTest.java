package org.kiscsi.iscsid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStoreException;

/** The slot swapping stores as a changed node.store asks: new one open first, old one closed, never both lost. */
class NodeStoreSlotTest {
    private static final Path ROOT = Path.of("/kiscsi-test/etc/iscsi");
    private static final NodeKey KEY = new NodeKey(IscsiName.of("iqn.2001-04.com.example:disk"), Portal.parse("127.0.0.1:3260,1"), null);

    private final Providers providers = new Providers();

    @Test
    void aSwapOpensTheNewStoreAtTheSameRootAndClosesTheOld() throws Exception {
        SharedRecordsProvider file = new SharedRecordsProvider("file");
        SharedRecordsProvider memory = new SharedRecordsProvider("memory");
        file.records.putNode(NodeRecord.create(KEY, RecordValues.empty()));
        providers.addStore(file);
        providers.addStore(memory);
        NodeStoreSlot slot = new NodeStoreSlot("file", ROOT, providers);
        slot.openAtStartup();
        assertTrue(slot.store().orElseThrow().node(KEY).isPresent());

        assertTrue(slot.swapTo("memory"));
        assertEquals("memory", slot.name());
        assertEquals("open", slot.state());
        assertSame(memory.last(), slot.store().orElseThrow());
        assertEquals(List.of(ROOT), memory.roots, "a swapped-in store opens at the same root");
        assertTrue(file.last().isClosed(), "the old store is closed");
        assertTrue(slot.store().orElseThrow().node(KEY).isEmpty(), "the memory store has its own records");

        assertFalse(slot.swapTo("memory"), "the same name again changes nothing");
        assertEquals(1, memory.handles.size());

        assertTrue(slot.swapTo("file"));
        assertTrue(memory.last().isClosed());
        assertEquals(2, file.handles.size());
        assertTrue(slot.store().orElseThrow().node(KEY).isPresent(), "back on the file store, its record is there again");
    }

    @Test
    void aSwapToAStoreNotInstalledDegradesUntilItsProviderAppears() throws Exception {
        SharedRecordsProvider file = new SharedRecordsProvider("file");
        providers.addStore(file);
        NodeStoreSlot slot = new NodeStoreSlot("file", ROOT, providers);
        slot.openAtStartup();

        assertTrue(slot.swapTo("sql"));
        assertFalse(slot.isOpen());
        assertEquals("node store 'sql' is not installed", slot.state());
        assertTrue(file.last().isClosed(), "the configured store is 'sql' now; 'file' is not kept open behind its back");

        slot.providerAdded(file);
        assertFalse(slot.isOpen(), "another provider is not the configured one");
        SharedRecordsProvider sql = new SharedRecordsProvider("sql");
        slot.providerAdded(sql);
        assertSame(sql.last(), slot.store().orElseThrow());
        assertEquals("open", slot.state());
    }

    @Test
    void aSwapToAStoreThatCannotOpenDegradesNamingWhy() throws Exception {
        providers.addStore(new SharedRecordsProvider("file"));
        providers.addStore(DaemonTest.provider("broken", null));
        NodeStoreSlot slot = new NodeStoreSlot("file", ROOT, providers);
        slot.openAtStartup();

        assertTrue(slot.swapTo("broken"));
        assertFalse(slot.isOpen());
        assertTrue(slot.state().startsWith("node store 'broken' at " + ROOT + " cannot be opened: "), slot.state());
        assertTrue(slot.state().contains("record directory is unreadable"), slot.state());
    }

    @Test
    void theOldProviderGoingAwayAfterASwapLeavesTheNewStoreOpen() throws Exception {
        SharedRecordsProvider file = new SharedRecordsProvider("file");
        SharedRecordsProvider memory = new SharedRecordsProvider("memory");
        providers.addStore(file);
        providers.addStore(memory);
        NodeStoreSlot slot = new NodeStoreSlot("file", ROOT, providers);
        slot.openAtStartup();
        slot.swapTo("memory");

        slot.providerRemoved(file);
        assertEquals("open", slot.state());
        slot.providerRemoved(memory);
        assertEquals("node store 'memory' went away", slot.state());
        assertThrows(NodeStoreException.class, () -> memory.last().node(KEY), "the store of a provider that went is closed");
    }
}
