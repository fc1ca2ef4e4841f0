package org.kiscsi.testkit.hostile;

import java.nio.ByteBuffer;

/**
 * A PDU the hostile target sends as a test built it: a BHS (48 bytes, AHS after it if the header
 * says so) and a data segment. Digests and padding are added on the way out as the connection
 * negotiated them.
 */
public record Forged(byte[] header, byte[] data) {
    public Forged {
        if (header.length < 48) {
            throw new IllegalArgumentException("a header of " + header.length + " bytes, under 48");
        }
        data = data == null ? new byte[0] : data;
    }

    /** The live state of the conversation a forged PDU goes into. */
    public record Live(byte[] request, int statSn, int expCmdSn) {
        /** The ITT of the initiator PDU being answered. */
        public int itt() {
            return ByteBuffer.wrap(request).getInt(16);
        }
    }

    /** Builds a PDU to send into a live conversation. */
    @FunctionalInterface
    public interface Forge {
        Forged make(Live live);
    }

    /**
     * What the target sends for a request it is to answer itself (a Task Management Function
     * Request): any number of PDUs, none for no answer. A PDU whose StatSN is the live one advances it.
     */
    @FunctionalInterface
    public interface Answer {
        java.util.List<Forged> make(Live live);
    }

    /** Changes a PDU of the replay on its way out (its tags and sequence numbers already live); null: it is not sent. */
    @FunctionalInterface
    public interface Edit {
        Forged apply(byte[] header, byte[] data);
    }

    /** A BHS with {@code opcode}, the final bit, {@code itt} and the given sequence numbers, DataSegmentLength of {@code data}. */
    public static byte[] bhs(int opcode, int itt, int ttt, int statSn, int expCmdSn, int maxCmdSn, int dataLength) {
        ByteBuffer b = ByteBuffer.allocate(48);
        b.put(0, (byte) opcode).put(1, (byte) 0x80);
        b.put(5, (byte) (dataLength >>> 16)).put(6, (byte) (dataLength >>> 8)).put(7, (byte) dataLength);
        b.putInt(16, itt).putInt(20, ttt).putInt(24, statSn).putInt(28, expCmdSn).putInt(32, maxCmdSn);
        return b.array();
    }
}
