package org.kiscsi.transport.example.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;

/**
 * Cuts a TCP byte stream into PDUs (RFC 7143 section 11: BHS, AHS, header digest, data segment,
 * padding, data digest). Fed whatever the socket gave; returns one whole PDU at a time. The framing
 * settings are read when a PDU's first byte arrives, so a {@code configure()} applies from the next
 * PDU on. No I/O here: tests feed it crafted bytes.
 */
final class FrameReader {
    private enum Stage { BHS, AHS, HEADER_DIGEST, DATA, DATA_DIGEST }

    private final Supplier<LinkSettings> settings;
    private final AtomicLong outstanding;
    private final String peer;
    private final ByteBuffer bhs = ByteBuffer.allocate(Framing.BHS_LENGTH);
    private final ByteBuffer digest = ByteBuffer.allocate(Framing.DIGEST_LENGTH);
    private Stage stage = Stage.BHS;
    private LinkSettings current;
    private ByteBuffer header;
    private ByteBuffer dataAndPadding;
    private int dataLength;
    private long pduNumber;

    /**
     * @param settings the framing in force (read once per PDU)
     * @param outstanding the connection's count of buffers not yet released
     * @param peer the remote address, for messages
     */
    FrameReader(Supplier<LinkSettings> settings, AtomicLong outstanding, String peer) {
        this.settings = settings;
        this.outstanding = outstanding;
        this.peer = peer;
    }

    /**
     * Consumes bytes of {@code in} up to the end of the next PDU.
     *
     * @return that PDU (owned by the caller, to be delivered), or null when {@code in} ran out first
     * @throws IscsiException (TRANS) when the stream cannot be framed: the connection must close
     */
    NioPdu next(ByteBuffer in) throws IscsiException {
        while (true) {
            if (stage == Stage.BHS && bhs.position() == 0) {
                if (!in.hasRemaining()) {
                    return null;
                }
                current = settings.get();
                pduNumber++;
            }
            if (!fill(target(), in)) {
                return null;
            }
            NioPdu done = advance();
            if (done != null) {
                return done;
            }
        }
    }

    /** The buffer the current stage fills. */
    private ByteBuffer target() {
        return switch (stage) {
            case BHS -> bhs;
            case AHS -> header;
            case HEADER_DIGEST, DATA_DIGEST -> digest;
            case DATA -> dataAndPadding;
        };
    }

    /** The current stage's buffer is full: on to the next stage, or the whole PDU. */
    private NioPdu advance() throws IscsiException {
        switch (stage) {
            case BHS -> {
                beginHeader();
                stage = Stage.AHS;
            }
            case AHS -> stage = current.headerDigest() ? Stage.HEADER_DIGEST : Stage.DATA;
            case HEADER_DIGEST -> {
                checkHeaderDigest();
                stage = Stage.DATA;
            }
            case DATA -> {
                if (dataLength == 0 || !current.dataDigest()) {
                    return finish(true);
                }
                stage = Stage.DATA_DIGEST;
            }
            case DATA_DIGEST -> {
                return finish(crc32c(dataAndPadding) == digestValue());
            }
        }
        return null;
    }

    /** Whether the stream stopped between PDUs (a close there is orderly; inside one, a truncation). */
    boolean betweenPdus() {
        return stage == Stage.BHS && bhs.position() == 0;
    }

    long pduNumber() {
        return pduNumber;
    }

    private void beginHeader() throws IscsiException {
        bhs.flip();
        int ahs = Framing.ahsLength(bhs);
        dataLength = Framing.dataSegmentLength(bhs);
        if (dataLength > current.maxRecvDataSegmentLength()) {
            throw error("data segment of " + dataLength + " bytes, more than MaxRecvDataSegmentLength "
                    + current.maxRecvDataSegmentLength());
        }
        header = ByteBuffer.allocate(Framing.BHS_LENGTH + ahs);
        header.put(bhs);
        bhs.clear();
        dataAndPadding = ByteBuffer.allocate(dataLength + Framing.padding(dataLength));
    }

    private void checkHeaderDigest() throws IscsiException {
        int expected = crc32c(header);
        int got = digestValue();
        if (expected != got) {
            throw error(String.format("header digest mismatch (received %08x, computed %08x)", got, expected));
        }
    }

    private NioPdu finish(boolean dataDigestOk) {
        header.flip();
        dataAndPadding.flip();
        ByteBuffer data = dataAndPadding.slice(0, dataLength);
        NioPdu pdu = new NioPdu(header, data, dataDigestOk, outstanding);
        header = null;
        dataAndPadding = null;
        stage = Stage.BHS;
        return pdu;
    }

    /** The stream ended: an error naming where when that was inside a PDU. */
    IscsiException truncated() {
        return error("the stream ended inside the PDU (stage " + stage + ")");
    }

    private IscsiException error(String what) {
        return new IscsiException(IscsiError.TRANS, "PDU #" + pduNumber + " from " + peer + ": " + what);
    }

    private int digestValue() {
        digest.flip();
        int v = Framing.getDigest(digest);
        digest.clear();
        return v;
    }

    /** CRC32C of the whole buffer (0..limit, or 0..position while it is being filled). */
    private static int crc32c(ByteBuffer b) {
        CRC32C c = new CRC32C();
        ByteBuffer d = b.duplicate();
        d.flip();
        c.update(d);
        return (int) c.getValue();
    }

    /** Copies what fits from {@code in}; whether {@code to} is full. */
    private static boolean fill(ByteBuffer to, ByteBuffer in) {
        int n = Math.min(to.remaining(), in.remaining());
        if (n > 0) {
            to.put(to.position(), in, in.position(), n);
            to.position(to.position() + n);
            in.position(in.position() + n);
        }
        return !to.hasRemaining();
    }
}
