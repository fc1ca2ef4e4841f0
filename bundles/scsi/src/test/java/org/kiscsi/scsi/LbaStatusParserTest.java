package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.LbaStatus;

class LbaStatusParserTest {
    private static byte[] reply(int lengthField, long[][] descriptors) {
        byte[] b = new byte[8 + 16 * descriptors.length];
        Bytes.put32(b, 0, lengthField);
        for (int i = 0; i < descriptors.length; i++) {
            Bytes.put64(b, 8 + 16 * i, descriptors[i][0]);
            Bytes.put32(b, 8 + 16 * i + 8, descriptors[i][1]);
            b[8 + 16 * i + 12] = (byte) descriptors[i][2];
        }
        return b;
    }

    @Test
    void cdbCarriesServiceActionLbaAndAllocation() {
        byte[] c = BlockCdbs.getLbaStatus(0x0102030405L, 40);
        assertArrayEquals(new byte[] { (byte) 0x9E, 0x12, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0, 40, 0, 0 }, c);
    }

    @Test
    void descriptorsInOrderWithTheirStatus() {
        List<LbaStatus> s = LbaStatusParser.parse(reply(4 + 32, new long[][] { { 0, 2048, 0 }, { 2048, 4096, 1 } }));
        assertEquals(List.of(new LbaStatus(0, 2048, 0), new LbaStatus(2048, 4096, 1)), s);
        assertTrue(s.get(1).unmapped());
        assertEquals(6144, s.get(1).end());
    }

    @Test
    void descriptorsBeyondTheLengthFieldOrTheTransferAreLeftOut() {
        assertEquals(1, LbaStatusParser.parse(reply(4 + 16, new long[][] { { 0, 8, 0 }, { 8, 8, 1 } })).size());
        byte[] full = reply(4 + 32, new long[][] { { 0, 8, 0 }, { 8, 8, 1 } });
        assertEquals(1, LbaStatusParser.parse(java.util.Arrays.copyOf(full, 8 + 16 + 7)).size());
    }

    @Test
    void anEmptyExtentOrAShortHeaderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LbaStatusParser.parse(reply(20, new long[][] { { 0, 0, 0 } })));
        assertThrows(IllegalArgumentException.class, () -> LbaStatusParser.parse(new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> LbaStatusParser.allocationLength(0));
        assertEquals(8 + 16 * 128, LbaStatusParser.allocationLength(128));
    }
}
