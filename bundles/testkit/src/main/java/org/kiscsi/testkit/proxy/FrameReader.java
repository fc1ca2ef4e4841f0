package org.kiscsi.testkit.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.kiscsi.protocol.Framing;

/**
 * Cuts a byte stream into PDUs by the iSCSI framing. Which digests are on is asked once per PDU,
 * when its BHS is complete, so a change made at the end of login applies from the next PDU.
 */
final class FrameReader {
    /**
     * Largest PDU the reader holds in memory. A header announcing more is taken as a sign the stream
     * is not (or no longer) iSCSI framing as understood here.
     */
    static final int MAX_PDU_BYTES = 16 << 20;

    /** Which digests are in force on the connection. */
    interface DigestState {
        boolean headerDigest();

        boolean dataDigest();
    }

    /** What one read produced. */
    sealed interface Result permits Pdu, Unframed, End {
    }

    /** A whole PDU. */
    record Pdu(WireFrame frame) implements Result {
    }

    /**
     * Bytes that are not a PDU the reader will hold: the start of one whose length is over
     * {@link #MAX_PDU_BYTES}, or a PDU cut short by the end of the stream.
     */
    record Unframed(byte[] bytes, boolean endOfStream) implements Result {
    }

    /** The stream ended cleanly between PDUs. */
    record End() implements Result {
    }

    private final InputStream in;
    private final DigestState digests;

    FrameReader(InputStream in, DigestState digests) {
        this.in = in;
        this.digests = digests;
    }

    Result next() throws IOException {
        byte[] bhs = new byte[Framing.BHS_LENGTH];
        int got = fill(bhs, 0, bhs.length);
        if (got == 0) {
            return new End();
        }
        if (got < bhs.length) {
            return new Unframed(Arrays.copyOf(bhs, got), true);
        }
        boolean headerDigest = digests.headerDigest();
        boolean dataDigest = digests.dataDigest();
        ByteBuffer b = ByteBuffer.wrap(bhs);
        long length = WireFrame.wireLength(b, headerDigest, dataDigest);
        if (length > MAX_PDU_BYTES) {
            return new Unframed(bhs, false);
        }
        byte[] pdu = Arrays.copyOf(bhs, (int) length);
        int n = fill(pdu, bhs.length, pdu.length - bhs.length);
        if (n < pdu.length - bhs.length) {
            return new Unframed(Arrays.copyOf(pdu, bhs.length + n), true);
        }
        int dataOffset = Framing.BHS_LENGTH + Framing.ahsLength(b) + (headerDigest ? Framing.DIGEST_LENGTH : 0);
        return new Pdu(new WireFrame(pdu, dataOffset, Framing.dataSegmentLength(b)));
    }

    /** Reads up to {@code len} bytes, fewer only at the end of the stream; returns how many. */
    private int fill(byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, off + n, len - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }
}
