package org.kiscsi.transport.tcp.internal;

import java.util.concurrent.atomic.AtomicLong;

/** PDU buffers of one connection handed out (allocated or delivered) and not yet released. */
final class BufferCount {
    private final AtomicLong outstanding = new AtomicLong();

    void taken() {
        outstanding.incrementAndGet();
    }

    void returned() {
        outstanding.decrementAndGet();
    }

    long outstanding() {
        return outstanding.get();
    }
}
