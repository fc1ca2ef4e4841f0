package org.kiscsi.api.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecordSchemaTest {
    @Test
    void nodeRecordsHaveOpenIscsisShowOrderAndCompiledDefaults() {
        assertEquals(107, RecordSchema.NODE.fields().size());
        assertEquals("node.name", RecordSchema.NODE.fields().get(0).key());
        assertEquals("iface.iscsi_ifacename", RecordSchema.NODE.fields().get(4).key());
        assertEquals("30", RecordSchema.NODE.defaultOf(NodeKeys.LOGIN_TIMEOUT).orElseThrow());
        assertEquals("manual", RecordSchema.NODE.defaults().get(NodeKeys.STARTUP).orElseThrow());
        assertFalse(RecordSchema.NODE.defaults().get(NodeKeys.NAME).isPresent(), "identity keys have no default");
    }

    @Test
    void knowsOnlyOpenIscsisKeys() {
        assertTrue(RecordSchema.NODE.knows(NodeKeys.PASSWORD_IN));
        assertFalse(RecordSchema.NODE.knows(NodeKeys.SCSI_CMD_TIMEOUT));
        assertFalse(RecordSchema.IFACE.knows(NodeKeys.NAME));
        assertTrue(RecordSchema.ISNS.knows("discovery.isns.discoveryd_poll_inval"));
        assertEquals("-1", RecordSchema.ISNS.defaultOf("discovery.isns.discoveryd_poll_inval").orElseThrow());
    }
}
