package org.kiscsi.testkit.loopback;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.kiscsi.spi.transport.PduBuffer;

/** A PDU in heap memory, counted in its connection's outstanding buffers until released. */
final class HeapPdu implements PduBuffer {
    private final ByteBuffer header;
    private final ByteBuffer data;
    private final boolean dataDigestOk;
    private final AtomicLong outstanding;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean sent = new AtomicBoolean();

    HeapPdu(ByteBuffer header, ByteBuffer data, boolean dataDigestOk, AtomicLong outstanding) {
        this.header = header;
        this.data = data;
        this.dataDigestOk = dataDigestOk;
        this.outstanding = outstanding;
        outstanding.incrementAndGet();
    }

    static HeapPdu allocate(int headerLength, int dataLength, AtomicLong outstanding) {
        return new HeapPdu(ByteBuffer.allocate(headerLength), ByteBuffer.allocate(dataLength), true, outstanding);
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

    /** Whether this buffer came from the connection counting in {@code counter}. */
    boolean countedIn(AtomicLong counter) {
        return outstanding == counter;
    }

    /** Marks the buffer as handed to send; false when it already was or was released. */
    boolean claimForSend() {
        return !released.get() && sent.compareAndSet(false, true);
    }

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            throw new IllegalStateException("PDU buffer released twice");
        }
        outstanding.decrementAndGet();
    }
}
