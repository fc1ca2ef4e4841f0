package org.kiscsi.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PortalTest {
    @Test
    void parsesIpv4WithAndWithoutPortAndTpgt() {
        Portal p = Portal.parse("127.0.0.1:3262,1");
        assertEquals("127.0.0.1", p.address());
        assertEquals(3262, p.port());
        assertEquals(1, p.tpgt());
        assertEquals("127.0.0.1:3262,1", p.toString());
        Portal q = Portal.parse("127.0.0.1");
        assertEquals(3260, q.port());
        assertFalse(q.hasTpgt());
        assertEquals("127.0.0.1:3260,-1", q.toString());
    }

    @Test
    void parsesIpv6InBracketsAndWithZone() {
        Portal p = Portal.parse("[::1]:3262,2");
        assertEquals("::1", p.address());
        assertEquals(3262, p.port());
        assertEquals("[::1]:3262,2", p.toString());
        assertTrue(p.isIpv6());
        Portal z = Portal.parse("[fe80::1%veth0]:3260");
        assertEquals("fe80::1%veth0", z.address());
        assertEquals("[fe80::1%veth0]:3260", z.hostPort());
        assertEquals("::1", Portal.parse("::1").address());
        assertEquals(3260, Portal.parse("[::1]").port());
    }

    @Test
    void openIscsiUnknownTpgt() {
        assertEquals(Portal.TPGT_UNKNOWN, Portal.parse("127.0.0.1:3260,4294967295").tpgt());
    }

    @Test
    void rejectsNonsenseNamingIt() {
        for (String bad : new String[] {"", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:x", "[::1", "[::1]x", "1.2.3.4:3260,x"}) {
            IscsiException e = assertThrows(IscsiException.class, () -> Portal.parse(bad), bad);
            assertEquals(IscsiError.INVAL, e.error());
        }
    }

    @Test
    void equalityIgnoresHostCaseButNotTpgt() {
        assertEquals(Portal.parse("Host:3260,1"), Portal.parse("host:3260,1"));
        assertFalse(Portal.parse("host:3260,1").equals(Portal.parse("host:3260,2")));
        assertEquals(Portal.parse("host:3260"), Portal.parse("host:3260,7").withoutTpgt());
    }
}
