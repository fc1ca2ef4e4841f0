package org.kiscsi.shell.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.tools.lun.UsageException;

class DiscoveryPartsTest {
    @Test
    void operationsAreOredAsIscsiadmReadsThem() {
        assertEquals(DiscoveryCommandSupport.OP_NEW | DiscoveryCommandSupport.OP_DELETE,
                DiscoveryCommandSupport.op(List.of("new", "delete")));
        assertEquals(IscsiError.INVAL, assertThrows(IscsiException.class, () -> DiscoveryCommandSupport.op(List.of("renew"))).error());
        assertEquals(EnumSet.noneOf(DiscoveryOp.class), DiscoveryCommandSupport.ops(0)); // the service reads none as all three
        assertEquals(EnumSet.of(DiscoveryOp.NONPERSISTENT), DiscoveryCommandSupport.ops(DiscoveryCommandSupport.OP_SHOW));
        assertEquals(EnumSet.of(DiscoveryOp.UPDATE), DiscoveryCommandSupport.ops(DiscoveryCommandSupport.OP_UPDATE));
    }

    @Test
    void aPortalWithoutPortTakesTheTypesDefaultAndLosesItsTpgt() {
        assertEquals(Portal.of("127.0.0.1", 3260), DiscoveryCommandSupport.discoveryPortal("127.0.0.1", 3260));
        assertEquals(Portal.of("127.0.0.1", 3205), DiscoveryCommandSupport.discoveryPortal("127.0.0.1", 3205));
        assertEquals(Portal.of("127.0.0.1", 3261), DiscoveryCommandSupport.discoveryPortal("127.0.0.1:3261,2", 3260));
        assertEquals(Portal.of("::1", 3260), DiscoveryCommandSupport.discoveryPortal("[::1]", 3260));
        assertEquals(Portal.of("::1", 3262), DiscoveryCommandSupport.discoveryPortal("[::1]:3262", 3260));
    }

    @Test
    void lunNumbersAreNonNegativeNumbers() {
        assertEquals(7, LunCommandSupport.parseNumber("-l", "7"));
        assertThrows(UsageException.class, () -> LunCommandSupport.parseNumber("-l", "-1"));
        assertThrows(UsageException.class, () -> LunCommandSupport.parseNumber("-r", "one"));
        assertEquals(0x83, LunInqCommand.number("-c", "0x83", 255));
        assertThrows(UsageException.class, () -> LunInqCommand.number("-e", "2", 1));
    }

    @Test
    void aLunTargetIsNamedAsTheToolsNameIt() {
        var t = new LunCommandSupport.LunTarget(3, "iqn.2026-11.org.x:t", Portal.of("::1", 3260), 1, null);
        assertEquals("iscsi://[::1]:3260/iqn.2026-11.org.x:t/1", t.where());
        assertEquals("iscsi://[::1]:3260/iqn.2026-11.org.x:t", t.targetWhere());
    }
}
