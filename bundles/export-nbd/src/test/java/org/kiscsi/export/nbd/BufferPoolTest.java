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

    @Test
    void writePayloadsComeFromTheirOwnHeapPoolAndRepliesAreNeverKept() {
        BufferPool p = new BufferPool(4 << 20);
        ByteBuffer w = p.takeHeap(256 << 10);
        assertFalse(w.isDirect());
        assertEquals(256 << 10, w.limit());
        p.give(w);
        assertEquals((256 << 10) + BufferPool.SLACK, p.keptHeap());
        assertEquals(0, p.kept(), "heap buffers are kept apart from direct ones");
        assertSame(w, p.takeHeap(200_000));
        assertTrue(p.take(200_000).isDirect(), "a READ never gets a WRITE's heap buffer");
        p.give(ByteBuffer.allocate(16));
        p.give(ByteBuffer.allocate(5000));
        p.give(ByteBuffer.allocateDirect(20));
        assertEquals(0, p.keptHeap() + p.kept(), "buffers not of a size class (headers, replies) are not kept");
        for (int i = 0; i < 5; i++) {
            p.give(ByteBuffer.allocate((256 << 10) + BufferPool.SLACK));
        }
        assertEquals(3 * ((256 << 10) + BufferPool.SLACK), p.keptHeap(), "heap buffers are kept up to a quarter of the bound (1 MiB)");
    }
}
