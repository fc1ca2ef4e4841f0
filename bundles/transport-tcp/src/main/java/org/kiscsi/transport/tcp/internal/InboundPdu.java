package org.kiscsi.transport.tcp.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.kiscsi.spi.transport.PduBuffer;

/** A received PDU, owned by the listener until it releases it. */
final class InboundPdu implements PduBuffer {
    private final ByteBuffer header;
    private final ByteBuffer data;
    private final boolean dataDigestOk;
    private final AtomicBoolean released = new AtomicBoolean();
    private BufferCount count;

    InboundPdu(ByteBuffer header, ByteBuffer data, boolean dataDigestOk) {
        this.header = header;
        this.data = data;
        this.dataDigestOk = dataDigestOk;
    }

    /** Counts this PDU as outstanding from now until it is released. */
    void handOver(BufferCount c) {
        this.count = c;
        c.taken();
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
            throw new IllegalStateException("received PDU buffer released twice");
        }
        if (count != null) {
            count.returned();
        }
    }
}
