package org.kiscsi.transport.example.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.kiscsi.spi.transport.PduBuffer;

/**
 * A PDU in heap memory. Each one counts itself in its connection's {@code outstanding} until
 * released, so {@code buffersOutstanding()} shows leaks; a second release is refused.
 */
final class NioPdu implements PduBuffer {
    private final ByteBuffer header;
    private final ByteBuffer data;
    private final boolean dataDigestOk;
    private final AtomicLong outstanding;
    private final AtomicBoolean released = new AtomicBoolean();

    NioPdu(ByteBuffer header, ByteBuffer data, boolean dataDigestOk, AtomicLong outstanding) {
        this.header = header;
        this.data = data;
        this.dataDigestOk = dataDigestOk;
        this.outstanding = outstanding;
        outstanding.incrementAndGet();
    }

    @Override
    public ByteBuffer header() {
        return header;
    }

    @Override
    public ByteBuffer data() {
        return data;
    }

    @Override
    public boolean dataDigestOk() {
        return dataDigestOk;
    }

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            throw new IllegalStateException("PDU buffer released twice");
        }
        outstanding.decrementAndGet();
    }

    boolean isReleased() {
        return released.get();
    }
}
