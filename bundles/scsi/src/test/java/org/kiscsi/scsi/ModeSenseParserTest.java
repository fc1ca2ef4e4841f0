package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.Hex.bytes;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.ModePage;
import org.kiscsi.api.scsi.ModeSenseData;
import org.kiscsi.api.scsi.ModeSenseData.BlockDescriptor;

class ModeSenseParserTest {
    @Test
    void allPagesOfTgtd() {
        ModeSenseData m = ModeSenseParser.parse6(TgtdReplies.MODE_SENSE_6_ALL);
        assertEquals(0, m.mediumType());
        assertTrue(m.dpoFuaSupported());
        assertFalse(m.writeProtected());
        assertEquals(List.of(new BlockDescriptor(0, 512)), m.blockDescriptors());
        // tgtd sends an empty page 0 first, then disconnect-reconnect, caching, control, control extension, IE
        assertEquals(List.of("0/0", "2/0", "8/0", "10/0", "10/1", "28/0"),
                m.pages().stream().map(p -> p.pageCode() + "/" + p.subpageCode()).toList());
        assertEquals(Optional.of(true), m.writeCacheEnabled());
        assertEquals(18, m.page(ModePage.CACHING, 0).orElseThrow().parameters().length);
        assertEquals(28, m.page(ModePage.CONTROL, 1).orElseThrow().parameters().length);
    }

    @Test
    void modeSense10WithLongLbaDescriptorAndSubpage() {
        // header: 0..1 mode data length | 2 medium type | 3 WP(7) DPOFUA(4) | 4 LONGLBA(0) | 6..7 descriptor length;
        // long descriptor: 0..7 blocks | 12..15 block length; page 0Ah/01h in sub_page format (SPF), saveable
        byte[] d = bytes("0022 00 90 01 00 0010 0000000100000000 00000000 00001000 ca01 0004 01020304");
        ModeSenseData m = ModeSenseParser.parse10(d);
        assertEquals(36, ModeSenseParser.totalLength10(d));
        assertTrue(m.writeProtected());
        assertTrue(m.dpoFuaSupported());
        assertEquals(List.of(new BlockDescriptor(1L << 32, 4096)), m.blockDescriptors());
        ModePage p = m.pages().get(0);
        assertEquals(0x0A, p.pageCode());
        assertEquals(1, p.subpageCode());
        assertTrue(p.saveable());
        assertArrayEquals(bytes("01020304"), p.parameters());
        assertEquals(Optional.empty(), m.writeCacheEnabled());
    }

    @Test
    void truncatedDataKeepsWhatCame() {
        // mode data length says 0x20 but only the header and half a caching page arrived
        ModeSenseData m = ModeSenseParser.parse6(bytes("20 00 00 00 08 12 01 00"));
        assertEquals(1, m.pages().size());
        assertArrayEquals(bytes("0100"), m.pages().get(0).parameters());
        assertEquals(Optional.of(false), m.writeCacheEnabled());
    }
}
