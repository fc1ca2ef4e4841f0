package org.kiscsi.transport.example.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;

/**
 * One PDU on its way out: the pieces a gathering write sends (header, header digest, data segment,
 * padding and data digest), framed with the settings in force when it was queued. The PDU's own
 * buffers are written as they are, without a copy; they are released once the last byte left.
 */
final class OutboundFrame {
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

    final ByteBuffer[] pieces;
    private final PduBuffer pdu;
    /** Null for a posted PDU: nobody waits, a failure closes the connection. */
    final CompletableFuture<Void> sent;

    OutboundFrame(PduBuffer pdu, LinkSettings settings, CompletableFuture<Void> sent) {
        this.pdu = pdu;
        this.sent = sent;
        ByteBuffer header = pdu.header().duplicate().position(0);
        ByteBuffer data = pdu.data().duplicate();
        int dataLength = data.remaining();
        ByteBuffer headerDigest = NO_BYTES;
        if (settings.headerDigest()) {
            headerDigest = ByteBuffer.allocate(Framing.DIGEST_LENGTH);
            Framing.putDigest(headerDigest, Framing.crc32c(header));
            headerDigest.flip();
        }
        boolean dataDigest = settings.dataDigest() && dataLength > 0;
        ByteBuffer trailer = ByteBuffer.allocate(Framing.padding(dataLength) + (dataDigest ? Framing.DIGEST_LENGTH : 0));
        trailer.position(Framing.padding(dataLength)); // zero padding
        if (dataDigest) {
            Framing.putDigest(trailer, Framing.dataDigest(data));
        }
        trailer.flip();
        pieces = new ByteBuffer[] {header, headerDigest, data, trailer};
    }

    /** The bytes left to write. */
    long remaining() {
        long n = 0;
        for (ByteBuffer b : pieces) {
            n += b.remaining();
        }
        return n;
    }

    /** All of it was written: the buffer goes back, a waiting sender hears of it. */
    void done() {
        pdu.release();
        if (sent != null) {
            sent.complete(null);
        }
    }

    /** It will never be written: the buffer goes back, a waiting sender hears why. */
    void failed(Throwable why) {
        pdu.release();
        if (sent != null) {
            sent.completeExceptionally(why);
        }
    }
}
