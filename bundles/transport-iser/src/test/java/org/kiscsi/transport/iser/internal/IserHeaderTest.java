package org.kiscsi.transport.iser.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The iSER header and Hello layouts against the byte layout of RFC 7145 section 9 (wireshark's, Linux's). */
class IserHeaderTest {
    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.limit()];
        b.get(0, out);
        return out;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void aPlainControlHeaderIs0x10AndZeros() {
        ByteBuffer b = ByteBuffer.allocate(28);
        IserHeader.PLAIN.writeTo(b, 0);
        assertArrayEquals(hex("10000000 00000000 0000000000000000 00000000 0000000000000000"), bytes(b));
    }

    @Test
    void aReadAdvertisesReadStagAndBaseOffsetWithRsv() {
        ByteBuffer b = ByteBuffer.allocate(28);
        IserHeader.read(0x11223344, 0x00007F0012345000L).writeTo(b, 0);
        assertArrayEquals(hex("14000000 00000000 0000000000000000 11223344 00007F0012345000"), bytes(b));
        IserHeader h = IserHeader.readFrom(b, 0, "test");
        assertTrue(h.rsv());
        assertFalse(h.wsv());
        assertEquals(0x11223344, h.readStag());
        assertEquals(0x00007F0012345000L, h.readVa());
    }

    @Test
    void aWriteAdvertisesWriteStagAndBaseOffsetWithWsv() {
        ByteBuffer b = ByteBuffer.allocate(40);
        IserHeader.write(0xCAFEBABE, 0x1000L).writeTo(b, 12);
        assertArrayEquals(hex("18000000 CAFEBABE 0000000000001000 00000000 0000000000000000"), bytes(b.slice(12, 28)));
        assertEquals(new IserHeader(true, false, 0xCAFEBABE, 0x1000, 0, 0), IserHeader.readFrom(b, 12, "test"));
    }

    @Test
    void bidirectionalSetsBoth() {
        ByteBuffer b = ByteBuffer.allocate(28);
        new IserHeader(true, true, 1, 2, 3, 4).writeTo(b, 0);
        assertEquals(0x1C, b.get(0));
        assertEquals(new IserHeader(true, true, 1, 2, 3, 4), IserHeader.readFrom(b, 0, "test"));
    }

    @Test
    void stagsOfUnsetFlagsAreNotRead() {
        ByteBuffer b = ByteBuffer.wrap(hex("10000000 CAFEBABE 0000000000001000 11223344 0000000000002000"));
        assertEquals(IserHeader.PLAIN, IserHeader.readFrom(b, 0, "test"));
    }

    @Test
    void shortOrForeignMessagesAreRefusedSayingWhat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IserHeader.readFrom(ByteBuffer.allocate(20), 0, "target 10.0.0.1:3260"));
        assertTrue(e.getMessage().contains("20 bytes") && e.getMessage().contains("10.0.0.1:3260"), e.getMessage());
        ByteBuffer hello = ByteBuffer.allocate(28);
        IserHello.hello(4).writeTo(hello, 0);
        e = assertThrows(IllegalArgumentException.class, () -> IserHeader.readFrom(hello, 0, "t"));
        assertTrue(e.getMessage().contains("opcode 0x2"), e.getMessage());
    }

    @Test
    void helloCarriesVersionTenAndIrd() {
        ByteBuffer b = ByteBuffer.allocate(28);
        IserHello.hello(4).writeTo(b, 0);
        assertArrayEquals(hex("20AA0004"), bytes(b.slice(0, 4)));
        assertEquals(IserHello.hello(4), IserHello.readFrom(b, 0, "t"));
    }

    @Test
    void helloReplyCarriesRejAndOrd() {
        ByteBuffer b = ByteBuffer.allocate(28);
        new IserHello(true, true, 0xA, 0xA, 0x10).writeTo(b, 0);
        assertArrayEquals(hex("31AA0010"), bytes(b.slice(0, 4)));
        IserHello r = IserHello.readFrom(ByteBuffer.wrap(hex("30AA0002")), 0, "t");
        assertTrue(r.reply());
        assertFalse(r.rejected());
        assertEquals(2, r.readDepth());
        assertThrows(IllegalArgumentException.class, () -> IserHello.readFrom(ByteBuffer.wrap(hex("10AA0002")), 0, "t"));
    }
}
