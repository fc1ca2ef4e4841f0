package org.kiscsi.export.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class BufferPoolTest {
    @Test
    void aGivenBufferServesTheNextRequestOfItsSizeClass() {
        BufferPool p = new BufferPool(1 << 20);
        ByteBuffer a = p.take(200_000);
        assertTrue(a.isDirect());
        assertEquals(0, a.position());
        assertEquals(200_000, a.limit());
        assertEquals(262_144, a.capacity());
        a.position(5000);
        p.give(a);
        assertEquals(262_144, p.kept());
        ByteBuffer b = p.take(262_144);
        assertSame(a, b);
        assertEquals(0, b.position());
        assertEquals(262_144, b.limit());
        assertEquals(0, p.kept());
        assertNotSame(a, p.take(4096), "another size class gets another buffer");
    }

    @Test
    void whatItKeepsIsBoundedAndLargeRequestsGoOnTheHeap() {
        BufferPool p = new BufferPool(512 << 10);
        ByteBuffer[] bs = { p.take(256 << 10), p.take(256 << 10), p.take(256 << 10) };
        for (ByteBuffer b : bs) {
            p.give(b);
        }
        assertEquals(512 << 10, p.kept());
        ByteBuffer large = p.take(BufferPool.MAX_POOLED + 1);
        assertFalse(large.isDirect());
        p.give(large);
        p.give(ByteBuffer.allocate(4096));
        assertEquals(512 << 10, p.kept(), "heap buffers are not kept");
    }
}
