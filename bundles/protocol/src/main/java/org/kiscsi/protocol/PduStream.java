package org.kiscsi.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

import org.kiscsi.protocol.ProtocolException.Kind;

/**
 * Reads and writes whole PDUs on blocking byte streams (test peers, tools). Non-blocking
 * transports frame the same way with {@link Framing}.
 */
public final class PduStream {
    /** A PDU as read from a stream. */
    public record Frame(ByteBuffer header, ByteBuffer data, boolean dataDigestOk) {
    }

    private final String peer;
    private volatile boolean headerDigest;
    private volatile boolean dataDigest;
    private volatile int maxRecvDataSegmentLength = 8192;
    private long pdus;
    private long offset;

    /** @param peer who is at the other end, for messages */
    public PduStream(String peer) {
        this.peer = peer;
    }

    /** Framing from now on: digests and the largest data segment accepted. */
    public void configure(boolean withHeaderDigest, boolean withDataDigest, int maxRecv) {
        this.headerDigest = withHeaderDigest;
        this.dataDigest = withDataDigest;
        this.maxRecvDataSegmentLength = maxRecv;
    }

    /**
     * Reads one PDU.
     *
     * @return the PDU, or null when the stream ended cleanly before one started
     * @throws ProtocolException TRUNCATED (stream ended inside a PDU), HEADER_DIGEST, SEGMENT_TOO_LONG
     */
    public Frame read(InputStream in) throws IOException {
        byte[] bhs = new byte[Framing.BHS_LENGTH];
        int first = in.read();
        if (first < 0) {
            return null;
        }
        bhs[0] = (byte) first;
        readFully(in, bhs, 1, bhs.length - 1, "BHS");
        ByteBuffer b = ByteBuffer.wrap(bhs);
        int ahs = Framing.ahsLength(b);
        int dsl = Framing.dataSegmentLength(b);
        byte[] header = new byte[Framing.BHS_LENGTH + ahs];
        System.arraycopy(bhs, 0, header, 0, bhs.length);
        readFully(in, header, bhs.length, ahs, "AHS");
        ByteBuffer h = ByteBuffer.wrap(header);
        if (headerDigest) {
            byte[] d = new byte[4];
            readFully(in, d, 0, 4, "header digest");
            int got = Framing.getDigest(ByteBuffer.wrap(d));
            int want = Framing.crc32c(h);
            if (got != want) {
                throw new ProtocolException(Kind.HEADER_DIGEST, String.format(
                        "header digest mismatch in PDU %d from %s at stream offset %d: got 0x%08x, computed 0x%08x",
                        pdus, peer, offset, got, want));
            }
        }
        if (dsl > maxRecvDataSegmentLength) {
            throw new ProtocolException(Kind.SEGMENT_TOO_LONG, "PDU " + pdus + " from " + peer + " at stream offset " + offset
                    + " has a data segment of " + dsl + " bytes, over MaxRecvDataSegmentLength " + maxRecvDataSegmentLength);
        }
        byte[] data = new byte[dsl + Framing.padding(dsl)];
        readFully(in, data, 0, data.length, "data segment");
        ByteBuffer dataBuf = ByteBuffer.wrap(data, 0, dsl).slice();
        boolean ok = true;
        if (dataDigest && dsl > 0) {
            byte[] d = new byte[4];
            readFully(in, d, 0, 4, "data digest");
            ok = Framing.getDigest(ByteBuffer.wrap(d)) == Framing.dataDigest(dataBuf);
        }
        long length = header.length + (headerDigest ? 4 : 0) + data.length + (dataDigest && dsl > 0 ? 4 : 0);
        offset += length;
        pdus++;
        return new Frame(h, dataBuf, ok);
    }

    private void readFully(InputStream in, byte[] b, int off, int len, String what) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, off + n, len - n);
            if (r < 0) {
                throw new ProtocolException(Kind.TRUNCATED, "stream from " + peer + " ended inside the " + what + " of PDU "
                        + pdus + " (stream offset " + offset + ")");
            }
            n += r;
        }
    }

    /** Writes a PDU: header, header digest, data, padding, data digest as configured. */
    public void write(OutputStream out, ByteBuffer header, ByteBuffer data) throws IOException {
        ByteBuffer h = header.duplicate().position(0);
        int dsl = data.remaining();
        ByteBuffer all = ByteBuffer.allocate(h.limit() + 4 + dsl + 3 + 4);
        all.put(h.duplicate());
        if (headerDigest) {
            Framing.putDigest(all, Framing.crc32c(h));
        }
        all.put(data.duplicate());
        for (int i = 0; i < Framing.padding(dsl); i++) {
            all.put((byte) 0);
        }
        if (dataDigest && dsl > 0) {
            Framing.putDigest(all, Framing.dataDigest(data));
        }
        out.write(all.array(), 0, all.position());
        out.flush();
    }

    /** Thrown type for a clean end of stream where a PDU was required. */
    public static EOFException endOfStream(String peer) {
        return new EOFException("connection closed by " + peer);
    }
}
