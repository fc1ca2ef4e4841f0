package org.kiscsi.transport.tcp.internal;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.buffer.IoBufferWrapper;

/**
 * The last buffer of a PDU sent with {@code post()}: MINA hands it back in {@code messageSent} once
 * written, and then the PDU's frame goes back to its pool. No future, no listener per PDU.
 */
final class PostedBuffer extends IoBufferWrapper {
    private static final AtomicIntegerFieldUpdater<PostedBuffer> DONE =
            AtomicIntegerFieldUpdater.newUpdater(PostedBuffer.class, "done");

    final OutboundPdu pdu;
    final long bytes;
    private volatile int done;

    PostedBuffer(IoBuffer buf, OutboundPdu pdu, long bytes) {
        super(buf);
        this.pdu = pdu;
        this.bytes = bytes;
    }

    /** True the first time only: the PDU is finished (written, or failed at close). */
    boolean finish() {
        return DONE.compareAndSet(this, 0, 1);
    }
}
