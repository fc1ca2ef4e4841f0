package org.kiscsi.transport.iser.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.kiscsi.spi.transport.PduBuffer;

/**
 * A PDU of the iSER transport. To send, its memory is one registered block laid out as an RDMA Send
 * carries it: the 28-byte iSER header, the BHS and AHS, the data segment (no padding, no digests).
 * Received, it is a copy of the Send, so the receive buffer goes back to the ring at once.
 */
final class IserPdu implements PduBuffer {
    private final ByteBuffer header;
    private final ByteBuffer data;
    private final RegisteredPool.Block block;
    private final Consumer<IserPdu> onRelease;
    private final AtomicBoolean released = new AtomicBoolean();

    private IserPdu(ByteBuffer header, ByteBuffer data, RegisteredPool.Block block, Consumer<IserPdu> onRelease) {
        this.header = header;
        this.data = data;
        this.block = block;
        this.onRelease = onRelease;
    }

    /** A PDU to fill and send in {@code block}. */
    static IserPdu outgoing(RegisteredPool.Block block, int ahsLength, int dataLength, Consumer<IserPdu> onRelease) {
        ByteBuffer all = block.buffer();
        int headerLength = 48 + ahsLength;
        ByteBuffer h = all.slice(IserHeader.LENGTH, headerLength);
        ByteBuffer d = all.slice(IserHeader.LENGTH + headerLength, dataLength);
        return new IserPdu(h, d, block, onRelease);
    }

    /**
     * A PDU of a closed connection, in heap memory: its registered memory is gone, so it can be filled
     * and released but never sent.
     */
    static IserPdu unregistered(int ahsLength, int dataLength, Consumer<IserPdu> onRelease) {
        ByteBuffer all = ByteBuffer.allocate(48 + ahsLength + dataLength);
        return new IserPdu(all.slice(0, 48 + ahsLength), all.slice(48 + ahsLength, dataLength), null, onRelease);
    }

    /** An iSER message of the header alone (Hello): no BHS, no data. */
    static IserPdu bare(RegisteredPool.Block block, Consumer<IserPdu> onRelease) {
        ByteBuffer all = block.buffer();
        return new IserPdu(all.slice(IserHeader.LENGTH, 0), all.slice(IserHeader.LENGTH, 0), block, onRelease);
    }

    /** A received PDU, copied out of a receive buffer. */
    static IserPdu incoming(ByteBuffer header, ByteBuffer data, Consumer<IserPdu> onRelease) {
        return new IserPdu(header, data, null, onRelease);
    }

    RegisteredPool.Block block() {
        return block;
    }

    /** The bytes of the Send: iSER header, BHS, AHS, data. */
    int sendLength() {
        return IserHeader.LENGTH + header.capacity() + data.capacity();
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
    public void release() {
        if (!released.compareAndSet(false, true)) {
            throw new IllegalStateException("PDU buffer released twice");
        }
        onRelease.accept(this);
    }
}
