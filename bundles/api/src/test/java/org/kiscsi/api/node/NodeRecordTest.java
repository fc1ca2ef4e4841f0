package org.kiscsi.api.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;

class NodeRecordTest {
    private static final NodeKey KEY = new NodeKey(IscsiName.of("iqn.2026-11.org.kiscsi:t"), Portal.parse("127.0.0.1:3260,1"), null);

    @Test
    void createSetsIdentityKeysOverDefaults() {
        NodeRecord r = NodeRecord.create(KEY, RecordValues.empty().with(NodeKeys.NAME, "iqn.2026-11.org.other:x")
                .with(NodeKeys.STARTUP, "automatic"));
        assertEquals(KEY, r.key());
        assertEquals("default", r.iface());
        assertEquals("iqn.2026-11.org.kiscsi:t", r.values().get(NodeKeys.NAME).orElseThrow());
        assertEquals("automatic", r.values().get(NodeKeys.STARTUP).orElseThrow());
        assertEquals(r, NodeRecord.of(r.values()));
    }

    @Test
    void unknownTpgtAsOpenIscsiWritesIt() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(NodeKeys.NAME, "iqn.2026-11.org.kiscsi:t");
        m.put(NodeKeys.TPGT, "-1");
        m.put(NodeKeys.ADDRESS, "127.0.0.1");
        m.put(NodeKeys.PORT, "3260");
        assertFalse(NodeRecord.of(RecordValues.of(m)).portal().hasTpgt());
    }

    @Test
    void missingOrBrokenIdentityIsNamed() {
        IscsiException e = assertThrows(IscsiException.class, () -> NodeRecord.of(RecordValues.empty().with(NodeKeys.NAME, "iqn.2026-11.a:b")));
        assertTrue(e.getMessage().contains(NodeKeys.ADDRESS), e.getMessage());
        IscsiException p = assertThrows(IscsiException.class, () -> NodeRecord.create(KEY, RecordValues.empty()).with(NodeKeys.PORT, "x"));
        assertTrue(p.getMessage().contains(NodeKeys.PORT), p.getMessage());
    }

    @Test
    void secretsAreMaskedInTextButKept() {
        NodeRecord r = NodeRecord.create(KEY, RecordValues.empty()).with(NodeKeys.PASSWORD, "topsecret")
                .with(NodeKeys.PASSWORD_IN, "othersecret").with("discovery.sendtargets.auth.password", "x1");
        assertFalse(r.toString().contains("topsecret"));
        assertFalse(r.toString().contains("othersecret"));
        assertEquals(RecordValues.MASK, r.values().masked().get(NodeKeys.PASSWORD));
        assertEquals("topsecret", r.values().asMap().get(NodeKeys.PASSWORD));
        assertTrue(RecordValues.isSecret("discovery.sendtargets.auth.password_in"));
        assertFalse(RecordValues.isSecret(NodeKeys.USERNAME));
    }

    @Test
    void typedGettersNameTheKey() {
        RecordValues v = RecordValues.empty().with("a.int", "12").with("a.bool", "Yes").with("a.bad", "maybe");
        assertEquals(12, v.getInt("a.int", 0));
        assertEquals(5, v.getInt("a.none", 5));
        assertTrue(v.getBoolean("a.bool", false));
        IscsiException e = assertThrows(IscsiException.class, () -> v.getBoolean("a.bad", false));
        assertTrue(e.getMessage().contains("a.bad"));
        assertThrows(IscsiException.class, () -> v.getInt("a.bad", 0));
        assertThrows(IscsiException.class, () -> v.with("bad key", "x"));
    }

    @Test
    void withKeepsOrder() {
        RecordValues v = RecordValues.empty().with("a", "1").with("b", "2").with("a", "3");
        assertEquals("[a, b]", v.asMap().keySet().toString());
        assertEquals("3", v.get("a").orElseThrow());
    }
}
