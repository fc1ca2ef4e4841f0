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
        assertEquals(262_144 + BufferPool.SLACK, a.capacity());
        a.position(5000);
        p.give(a);
        assertEquals(262_144 + BufferPool.SLACK, p.kept());
        ByteBuffer b = p.take(262_144 + Replies.READ_HEADER_ROOM);
        assertSame(a, b, "a power of two of data and its reply's header share a size class");
        assertEquals(0, b.position());
        assertEquals(262_144 + Replies.READ_HEADER_ROOM, b.limit());
        assertEquals(0, p.kept());
        assertNotSame(a, p.take(4096), "another size class gets another buffer");
    }

    @Test
    void whatItKeepsIsBoundedAndLargeRequestsGoOnTheHeap() {
        BufferPool p = new BufferPool(2 * ((256 << 10) + BufferPool.SLACK));
        ByteBuffer[] bs = { p.take(256 << 10), p.take(256 << 10), p.take(256 << 10) };
        for (ByteBuffer b : bs) {
            p.give(b);
        }
        assertEquals(2 * ((256 << 10) + BufferPool.SLACK), p.kept());
        ByteBuffer large = p.take(BufferPool.MAX_POOLED + BufferPool.SLACK + 1);
        assertFalse(large.isDirect());
        p.give(large);
        p.give(ByteBuffer.allocate(4096));
        assertEquals(2 * ((256 << 10) + BufferPool.SLACK), p.kept(), "heap buffers are not kept");
    }
}
