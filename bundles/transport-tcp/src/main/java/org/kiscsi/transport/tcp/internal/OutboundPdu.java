package org.kiscsi.transport.tcp.internal;

import java.nio.ByteBuffer;
import java.util.List;

import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;

/**
 * A PDU to send, laid out as it goes on the wire: header, room for a header digest (when digests
 * were on at allocation), data segment, room for padding and a data digest. Sending then writes
 * the caller's own memory: nothing is copied when the layout still matches the settings, and only
 * the header (never the data segment) when a header digest was switched on since allocation.
 *
 * <p>A PDU may instead {@linkplain #wrapping wrap} a data segment the caller already has: the frame
 * then holds the header and a small trailer, and the data goes out from the caller's buffer.
 */
final class OutboundPdu implements PduBuffer {
    private final Object owner;
    private final BufferCount count;
    private final FramePool pool;
    private final ByteBuffer frame;
    private final int headerLength;
    private final boolean headerGap;
    private final int dataOffset;
    private final ByteBuffer header;
    private final ByteBuffer data;
    private final boolean external;
    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<OutboundPdu> RELEASED =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(OutboundPdu.class, "released");
    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<OutboundPdu> SENT =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(OutboundPdu.class, "sent");
    private volatile int released;
    private volatile int sent;

    private OutboundPdu(Object owner, BufferCount count, FramePool pool, int ahsLength, int dataLength, boolean headerGap,
            ByteBuffer externalData) {
        if (ahsLength < 0 || ahsLength % 4 != 0 || ahsLength > 1020) {
            throw new IllegalArgumentException("AHS length " + ahsLength + " is not a multiple of 4 in 0..1020");
        }
        if (dataLength < 0 || dataLength > Framing.MAX_DATA_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("data segment length " + dataLength + " outside 0.." + Framing.MAX_DATA_SEGMENT_LENGTH);
        }
        this.owner = owner;
        this.count = count;
        this.pool = pool;
        this.headerLength = Framing.BHS_LENGTH + ahsLength;
        this.headerGap = headerGap;
        this.dataOffset = headerLength + (headerGap ? Framing.DIGEST_LENGTH : 0);
        this.external = externalData != null;
        // an external data segment leaves only its padding and digest (the trailer) to the frame
        int inFrame = external ? 0 : dataLength;
        this.frame = pool.take(dataOffset + inFrame + Framing.padding(dataLength) + Framing.DIGEST_LENGTH);
        this.header = frame.slice(0, headerLength);
        this.data = external ? externalData.slice() : frame.slice(dataOffset, dataLength);
        count.taken();
    }

    static OutboundPdu allocate(Object owner, BufferCount count, int ahsLength, int dataLength, boolean headerDigest) {
        return allocate(owner, count, FramePool.NONE, ahsLength, dataLength, headerDigest);
    }

    static OutboundPdu allocate(Object owner, BufferCount count, FramePool pool, int ahsLength, int dataLength,
            boolean headerDigest) {
        return new OutboundPdu(owner, count, pool, ahsLength, dataLength, headerDigest, null);
    }

    /** A PDU whose data segment is {@code data}'s remaining bytes, sent from there without a copy. */
    static OutboundPdu wrapping(Object owner, BufferCount count, int ahsLength, ByteBuffer data) {
        return wrapping(owner, count, FramePool.NONE, ahsLength, data);
    }

    static OutboundPdu wrapping(Object owner, BufferCount count, FramePool pool, int ahsLength, ByteBuffer data) {
        return new OutboundPdu(owner, count, pool, ahsLength, data.remaining(), true, data);
    }

    /** A copy of a PDU buffer this connection did not allocate (another transport's, a received one). */
    static OutboundPdu copyOf(PduBuffer foreign, Object owner, BufferCount count, boolean headerDigest) {
        ByteBuffer h = foreign.header().duplicate().position(0);
        ByteBuffer d = foreign.data().duplicate().position(0);
        if (h.limit() < Framing.BHS_LENGTH) {
            throw new IllegalArgumentException("header of " + h.limit() + " bytes is shorter than a BHS");
        }
        OutboundPdu p = new OutboundPdu(owner, count, FramePool.NONE, h.limit() - Framing.BHS_LENGTH, d.limit(), headerDigest, null);
        p.header.put(0, h, 0, h.limit());
        p.data.put(0, d, 0, d.limit());
        return p;
    }

    boolean ownedBy(Object o) {
        return owner == o;
    }

    /** Marks this buffer as handed to send; false when it was sent or released before. */
    boolean claimForSend() {
        return released == 0 && SENT.compareAndSet(this, 0, 1);
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
        if (!RELEASED.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException("PDU buffer released twice");
        }
        count.returned();
        pool.give(frame);
    }

    /** Why the BHS lengths disagree with the buffers, or null when they agree. */
    String lengthProblem() {
        int ahs = Framing.ahsLength(frame); // frames keep position 0
        int dsl = Framing.dataSegmentLength(frame);
        if (header.limit() != headerLength || Framing.BHS_LENGTH + ahs != headerLength) {
            return "TotalAHSLength says " + ahs + " AHS bytes, the header buffer holds " + (header.limit() - Framing.BHS_LENGTH);
        }
        if (dsl != data.limit()) {
            return "DataSegmentLength says " + dsl + " bytes, the data buffer holds " + data.limit();
        }
        return null;
    }

    /**
     * The buffers to write, framed for {@code s}: padding and digests filled in around the
     * caller's header and data. One buffer when the layout matches, two otherwise.
     */
    List<ByteBuffer> wire(LinkSettings s) {
        if (external) {
            return wireExternal(s);
        }
        int dataLength = data.limit();
        int end = dataOffset + dataLength;
        for (int i = 0; i < Framing.padding(dataLength); i++) {
            frame.put(end++, (byte) 0);
        }
        if (s.dataDigest() && dataLength > 0) {
            Framing.putDigest(frame.duplicate().position(end), Framing.dataDigest(data.duplicate().position(0)));
            end += Framing.DIGEST_LENGTH;
        }
        if (s.headerDigest()) {
            int digest = Framing.crc32c(frame.slice(0, headerLength));
            if (headerGap) {
                Framing.putDigest(frame.duplicate().position(headerLength), digest);
                return List.of(frame.slice(0, end));
            }
            // allocated before digests were on: the header (only) moves to a buffer with room
            ByteBuffer h = ByteBuffer.allocate(headerLength + Framing.DIGEST_LENGTH).put(frame.slice(0, headerLength));
            Framing.putDigest(h, digest);
            h.flip();
            return dataLength == 0 ? List.of(h) : List.of(h, frame.slice(dataOffset, end - dataOffset));
        }
        if (!headerGap || dataLength == 0) {
            return List.of(frame.slice(0, headerGap ? headerLength : end));
        }
        return List.of(frame.slice(0, headerLength), frame.slice(dataOffset, end - dataOffset));
    }

    /** Header (and digest) from the frame, the caller's data, then padding and digest from the frame. */
    private List<ByteBuffer> wireExternal(LinkSettings s) {
        int dataLength = data.limit();
        int headerEnd = headerLength;
        if (s.headerDigest()) {
            Framing.putDigest(frame.duplicate().position(headerLength), Framing.crc32c(frame.slice(0, headerLength)));
            headerEnd += Framing.DIGEST_LENGTH;
        }
        if (dataLength == 0) {
            return List.of(frame.slice(0, headerEnd));
        }
        int trailer = dataOffset;
        int end = trailer;
        for (int i = 0; i < Framing.padding(dataLength); i++) {
            frame.put(end++, (byte) 0);
        }
        if (s.dataDigest()) {
            Framing.putDigest(frame.duplicate().position(end), Framing.dataDigest(data.duplicate().position(0)));
            end += Framing.DIGEST_LENGTH;
        }
        ByteBuffer payload = data.duplicate().position(0);
        return end == trailer
                ? List.of(frame.slice(0, headerEnd), payload)
                : List.of(frame.slice(0, headerEnd), payload, frame.slice(trailer, end - trailer));
    }
}
