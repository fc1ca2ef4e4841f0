package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LibiscsiOutputTest {
    @Test
    void parsesIscsiLsWithAndWithoutLuns() {
        String ls = """
                Target:iqn.2026-11.test.pe:null Portal:127.0.0.1:13260,1
                Lun:0    Type:STORAGE_ARRAY_CONTROLLER
                Lun:1    Type:DIRECT_ACCESS (Size:1023G)
                Lun:2    Type:DIRECT_ACCESS (Size:15M)
                Target:iqn.2026-11.test.pe:b Portal:[::1]:3262,1
                """;
        List<ListedTarget> t = LibiscsiOutput.targets(ls);
        assertEquals(2, t.size());
        assertEquals("127.0.0.1:13260,1", t.get(0).portal());
        assertEquals(List.of(new ListedTarget.Lun(0, "STORAGE_ARRAY_CONTROLLER", ""), new ListedTarget.Lun(1, "DIRECT_ACCESS", "1023G"),
                new ListedTarget.Lun(2, "DIRECT_ACCESS", "15M")), t.get(0).luns());
        assertEquals(new ListedTarget("iqn.2026-11.test.pe:b", "[::1]:3262,1", List.of()), t.get(1));
    }

    @Test
    void parsesInquiry() {
        Inquiry i = LibiscsiOutput.inquiry("""
                Peripheral Qualifier:CONNECTED
                Peripheral Device Type:DIRECT_ACCESS
                Removable:0
                Version:5 ANSI INCITS 408-2005 (SPC-3)
                CmdQue:1
                Vendor:IET    \s
                Product:VIRTUAL-DISK   \s
                Revision:0001
                Version Descriptor:04c0 SBC-3
                """);
        assertEquals("DIRECT_ACCESS", i.deviceType());
        assertEquals("IET", i.vendor());
        assertEquals("VIRTUAL-DISK", i.product());
        assertEquals("0001", i.revision());
        assertTrue(i.commandQueueing());
        assertEquals("5 ANSI INCITS 408-2005 (SPC-3)", i.version());
        assertThrows(PeerException.class, () -> LibiscsiOutput.inquiry("iscsi_connect failed"));
    }

    @Test
    void parsesUnitSerialNumber() {
        assertEquals("beaf11", LibiscsiOutput.unitSerialNumber("Unit Serial Number:[                              beaf11]\n"));
    }

    @Test
    void parsesReadCapacity16() {
        ReadCapacity c = LibiscsiOutput.capacity("""
                RETURNED LOGICAL BLOCK ADDRESS:4095
                LOGICAL BLOCK LENGTH IN BYTES:4096
                P_TYPE:0 PROT_EN:0
                P_I_EXPONENT:0 LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT:0
                LBPME:1 LBPRZ:1
                LOWEST ALIGNED LOGICAL BLOCK ADDRESS:0
                Total size:16777216
                """);
        assertEquals(new ReadCapacity(4095, 4096, 16777216, true, true), c);
        assertEquals(16777216, c.computedBytes());
    }

    @Test
    void parsesTheLastPerfAverage() {
        String out = "will run for 1 seconds.\n\n\riops average 1000 (3 MB/s)   \riops average 89657 (350 MB/s)      \n\nfinished.\n";
        assertArrayEquals(new long[] {89657, 350}, LibiscsiOutput.perf(out));
        assertThrows(PeerException.class, () -> LibiscsiOutput.perf("finished.\n"));
    }
}
