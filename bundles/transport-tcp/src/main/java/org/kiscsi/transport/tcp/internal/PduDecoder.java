package org.kiscsi.transport.tcp.internal;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.transport.tcp.FramingException;
import org.kiscsi.transport.tcp.FramingException.Problem;

/**
 * Cuts a received byte stream into PDUs (RFC 7143 section 11.2). Bytes are copied once, from the
 * input straight into the PDU's header and data buffers; digests and padding go to a small scratch
 * buffer. Not thread-safe: one thread at a time (the connection's receive drain) feeds it.
 */
final class PduDecoder {
    /** Chooses where a data segment goes once its header is in: a buffer, or null for "you choose". */
    interface Placement {
        ByteBuffer placementFor(ByteBuffer header);
    }

    private enum Stage { BHS, AHS, HEADER_DIGEST, DATA, TRAILER }

    private final String peer;
    /** Read for each PDU with an AHS: a changed configuration applies from the next one. */
    private final BooleanSupplier checkAhsEntries;
    private final ByteBuffer scratch = ByteBuffer.allocate(8);

    private Stage stage = Stage.BHS;
    private LinkSettings settings;
    private ByteBuffer header;
    private ByteBuffer data;
    private int dataLength;
    private long streamOffset;
    private long pduStart;
    private long pduNumber;

    PduDecoder(String peer, boolean checkAhsEntries) {
        this(peer, () -> checkAhsEntries);
    }

    PduDecoder(String peer, BooleanSupplier checkAhsEntries) {
        this.peer = peer;
        this.checkAhsEntries = checkAhsEntries;
    }

    /**
     * Consumes bytes of {@code in} until a PDU is complete (returned) or {@code in} is used up (null).
     * The settings are read when a PDU's first byte arrives and hold for that whole PDU.
     */
    InboundPdu next(ByteBuffer in, Supplier<LinkSettings> settingsNow, Placement placement) throws FramingException {
        while (in.hasRemaining()) {
            switch (stage) {
                case BHS -> {
                    if (header == null) {
                        start(settingsNow.get());
                    }
                    if (fill(header, in)) {
                        int ahs = Framing.ahsLength(header.duplicate().position(0));
                        if (ahs == 0) {
                            InboundPdu p = headerComplete(placement);
                            if (p != null) {
                                return p;
                            }
                        } else {
                            header = ByteBuffer.allocate(Framing.BHS_LENGTH + ahs).put(header.flip());
                            stage = Stage.AHS;
                        }
                    }
                }
                case AHS -> {
                    if (fill(header, in)) {
                        InboundPdu p = headerComplete(placement);
                        if (p != null) {
                            return p;
                        }
                    }
                }
                case HEADER_DIGEST -> {
                    if (fill(scratch, in)) {
                        checkHeaderDigest();
                        InboundPdu p = headerVerified(placement);
                        if (p != null) {
                            return p;
                        }
                    }
                }
                case DATA -> {
                    if (fill(data, in)) {
                        InboundPdu p = dataComplete();
                        if (p != null) {
                            return p;
                        }
                    }
                }
                case TRAILER -> {
                    if (fill(scratch, in)) {
                        scratch.flip().position(Framing.padding(dataLength));
                        // the digest covers the data and zero padding (Framing.dataDigest)
                        boolean ok = !settings.dataDigest() || Framing.getDigest(scratch) == Framing.dataDigest(data);
                        return finish(ok);
                    }
                }
                default -> throw new IllegalStateException(stage.name());
            }
        }
        return null;
    }

    /**
     * The rest of the current PDU's data segment when at least {@code min} bytes of it are still to
     * come and it goes straight to a buffer the listener chose: the caller may read the socket into
     * it directly and then report with {@link #readDirectly}. Null otherwise.
     */
    ByteBuffer directTarget(int min) {
        return stage == Stage.DATA && data.remaining() >= min && !data.hasArray() ? data : null;
    }

    /**
     * Between data segments: the bytes still to come up to the end of the next PDU's basic header
     * segment (and its digest under {@code next}), the current PDU's padding and digest included.
     * A reader that expects another large data segment reads no further until it knows where that
     * segment goes; part way through that header, what is left of it. 0 while a data segment is
     * being read.
     */
    int bytesThroughNextHeader(LinkSettings next) {
        int h = Framing.BHS_LENGTH + (next.headerDigest() ? Framing.DIGEST_LENGTH : 0);
        return switch (stage) {
            case BHS -> header == null ? h : header.remaining() + (settings.headerDigest() ? Framing.DIGEST_LENGTH : 0);
            case AHS -> header.remaining() + (settings.headerDigest() ? Framing.DIGEST_LENGTH : 0);
            case HEADER_DIGEST -> scratch.remaining();
            case TRAILER -> scratch.remaining() + h;
            default -> 0;
        };
    }

    /**
     * While a data segment is being read: the bytes from its end up to the end of the next PDU's
     * basic header segment (and its digest under {@code next}), this PDU's padding and data digest
     * included. What a read that completes the segment may take beyond it without going past a
     * header whose data segment may go straight to its destination too. 0 in any other stage.
     */
    int bytesAfterSegment(LinkSettings next) {
        if (stage != Stage.DATA) {
            return 0;
        }
        int trailer = Framing.padding(dataLength) + (settings.dataDigest() ? Framing.DIGEST_LENGTH : 0);
        return trailer + Framing.BHS_LENGTH + (next.headerDigest() ? Framing.DIGEST_LENGTH : 0);
    }

    /**
     * {@code n} bytes went into {@link #directTarget}'s buffer straight from the socket; returns the
     * PDU when they completed it (no padding or digest after it), else null.
     */
    InboundPdu readDirectly(int n) {
        streamOffset += n;
        if (stage != Stage.DATA || data.hasRemaining()) {
            return null;
        }
        return dataComplete();
    }

    /** The data segment is in: the PDU when no padding or digest follows it, else null and on to the trailer. */
    private InboundPdu dataComplete() {
        data.flip();
        int trailer = Framing.padding(dataLength) + (settings.dataDigest() ? Framing.DIGEST_LENGTH : 0);
        if (trailer == 0) {
            return finish(true);
        }
        scratch.clear().limit(trailer);
        stage = Stage.TRAILER;
        return null;
    }

    /** Whether part of a PDU has been consumed (the stream must not end here). */
    boolean inPdu() {
        return header != null;
    }

    /** PDUs begun so far; the current one's number while {@link #inPdu()}. */
    long pduNumber() {
        return pduNumber;
    }

    long streamOffset() {
        return streamOffset;
    }

    /** The error for a stream that ended inside the current PDU. */
    FramingException truncated(String how, Throwable cause) {
        long got = streamOffset - pduStart;
        String expected;
        if (stage == Stage.BHS) {
            expected = "inside its " + Framing.BHS_LENGTH + "-byte basic header segment";
        } else {
            int ahs = header.capacity() - Framing.BHS_LENGTH;
            int dl = Framing.dataSegmentLength(header.duplicate().position(0));
            long total = Framing.BHS_LENGTH + ahs + (settings.headerDigest() ? 4 : 0)
                    + (dl == 0 ? 0 : dl + Framing.padding(dl) + (settings.dataDigest() ? 4 : 0));
            expected = "of " + total + " bytes (AHS " + ahs + ", data segment " + dl + ")";
        }
        return new FramingException(Problem.TRUNCATED, peer, pduNumber, pduStart,
                how + " after " + got + " bytes " + expected + ", at stream byte " + streamOffset, cause);
    }

    private void start(LinkSettings s) {
        settings = s;
        pduNumber++;
        pduStart = streamOffset;
        header = ByteBuffer.allocate(Framing.BHS_LENGTH);
    }

    /** Copies what fits from {@code in} to {@code dst}; true once {@code dst} is full. */
    private boolean fill(ByteBuffer dst, ByteBuffer in) {
        int n = Math.min(dst.remaining(), in.remaining());
        if (n > 0) {
            dst.put(in.slice(in.position(), n));
            in.position(in.position() + n);
            streamOffset += n;
        }
        return !dst.hasRemaining();
    }

    private InboundPdu headerComplete(Placement placement) throws FramingException {
        header.flip();
        if (settings.headerDigest()) {
            scratch.clear().limit(Framing.DIGEST_LENGTH);
            stage = Stage.HEADER_DIGEST;
            return null;
        }
        return headerVerified(placement);
    }

    private void checkHeaderDigest() throws FramingException {
        scratch.flip();
        int received = Framing.getDigest(scratch);
        int computed = Framing.crc32c(header);
        if (received != computed) {
            throw error(Problem.HEADER_DIGEST, String.format("computed 0x%08x over %d header bytes, received 0x%08x (opcode 0x%02x)",
                    computed, header.limit(), received, header.get(0) & 0x3F));
        }
    }

    private InboundPdu headerVerified(Placement placement) throws FramingException {
        dataLength = Framing.dataSegmentLength(header);
        if (dataLength > settings.maxRecvDataSegmentLength()) {
            throw error(Problem.DATA_SEGMENT_TOO_LONG, String.format("DataSegmentLength %d exceeds MaxRecvDataSegmentLength %d (opcode 0x%02x)",
                    dataLength, settings.maxRecvDataSegmentLength(), header.get(0) & 0x3F));
        }
        if (checkAhsEntries.getAsBoolean()) {
            checkAhs();
        }
        if (dataLength == 0) {
            data = ByteBuffer.allocate(0);
            return finish(true);
        }
        ByteBuffer p = placement.placementFor(header.asReadOnlyBuffer());
        data = p != null && !p.isReadOnly() && p.remaining() >= dataLength
                ? p.slice(p.position(), dataLength)
                : ByteBuffer.allocate(dataLength);
        stage = Stage.DATA;
        return null;
    }

    /** Each AHS entry: AHSLength (2 bytes), AHSType, AHSLength bytes, padded to 4 (RFC 7143 11.2.2). */
    private void checkAhs() throws FramingException {
        int end = header.limit();
        for (int off = Framing.BHS_LENGTH; off < end;) {
            int len = header.getShort(off) & 0xFFFF;
            int size = (3 + len + 3) & ~3;
            if (size > end - off) {
                throw error(Problem.AHS_INCONSISTENT, String.format(
                        "AHS entry at header byte %d (AHSType %d) declares AHSLength %d (%d bytes padded) but TotalAHSLength leaves %d",
                        off, header.get(off + 2) & 0xFF, len, size, end - off));
            }
            off += size;
        }
    }

    private InboundPdu finish(boolean dataDigestOk) {
        InboundPdu p = new InboundPdu(header, data, dataDigestOk);
        header = null;
        data = null;
        stage = Stage.BHS;
        return p;
    }

    private FramingException error(Problem problem, String detail) {
        return new FramingException(problem, peer, pduNumber, pduStart, detail + ", detected at stream byte " + streamOffset, null);
    }
}
