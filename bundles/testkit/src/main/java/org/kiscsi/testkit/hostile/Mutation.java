package org.kiscsi.testkit.hostile;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.kiscsi.protocol.Framing;

/**
 * How the hostile target spoils one PDU of its replay: which kind of damage, to the how-many-th
 * PDU of the replay (from 0, login responses included, NOP-In answers to the initiator's pings not
 * counted), and a seed for the damage's details (which bit, which tag).
 */
public record Mutation(Kind kind, int pduIndex, long seed) {
    /** The damage. */
    public enum Kind {
        /** One bit of the BHS flipped (byte and bit chosen by the seed). */
        FLIP_BHS_BIT(false),
        /** DataSegmentLength a little larger than the data sent: the stream goes out of step. */
        DATA_LENGTH_LONGER(false),
        /** DataSegmentLength a little smaller than the data sent: the stream goes out of step. */
        DATA_LENGTH_SHORTER(false),
        /** DataSegmentLength 0xFFFFFF, over any MaxRecvDataSegmentLength. */
        DATA_LENGTH_HUGE(true),
        /** An opcode RFC 7143 does not define. */
        BAD_OPCODE(true),
        /** An initiator's opcode (SCSI Command) in a target PDU. */
        INITIATOR_OPCODE(true),
        /** The ITT of no task the initiator has. */
        UNKNOWN_ITT(false),
        /** The reserved tag 0xFFFFFFFF as ITT. */
        RESERVED_ITT(false),
        /** The reserved tag 0xFFFFFFFF as Target Transfer Tag. */
        RESERVED_TTT(false),
        /** Half the PDU, then the connection closes. */
        TRUNCATE_CLOSE(true),
        /** Half the PDU, then nothing more while the connection stays open. */
        TRUNCATE_STALL(true),
        /** TotalAHSLength of 2 words with junk AHS bytes in the stream. */
        BOGUS_AHS(false),
        /** A wrong header digest (only where header digests were negotiated). */
        HEADER_DIGEST(true),
        /** A wrong data digest (only where data digests were negotiated and the PDU has data). */
        DATA_DIGEST(false),
        /** StatSN far ahead. */
        STATSN_JUMP(false),
        /** StatSN behind the last one. */
        STATSN_BACK(false),
        /** ExpCmdSN and MaxCmdSN far ahead of any CmdSN sent. */
        EXPCMDSN_JUMP(false),
        /** MaxCmdSN two below ExpCmdSN (the window more than closed). */
        MAXCMDSN_BELOW(false),
        /** Before the PDU, a copy answering a task the initiator does not have. */
        UNKNOWN_TASK_ANSWER(false),
        /** The PDU sent twice: the second answers a task already done. */
        DUPLICATE(false);

        private final boolean alwaysFatal;

        Kind(boolean alwaysFatal) {
            this.alwaysFatal = alwaysFatal;
        }

        /**
         * Whether an initiator must end the connection whatever PDU this hits: the stream cannot be
         * read on, or the PDU is of no kind a target sends.
         */
        public boolean alwaysFatal() {
            return alwaysFatal;
        }
    }

    /** What the target does once it sent the spoiled bytes. */
    public enum After {
        CONTINUE,
        /** Closes the connection. */
        CLOSE,
        /** Sends and reads nothing more on this connection until the initiator closes it. */
        STALL
    }

    /** The bytes to send instead of the PDU, and what follows. */
    public record Spoiled(List<byte[]> wire, After after) {
    }

    /** Every kind at {@code perKind} PDU positions below {@code pdus}, chosen by {@code seed}: the same cases each run. */
    public static List<Mutation> catalogue(int pdus, int perKind, long seed) {
        Random r = new Random(seed);
        List<Mutation> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (int i = 0; i < perKind; i++) {
                out.add(new Mutation(k, r.nextInt(pdus), r.nextLong()));
            }
        }
        return out;
    }

    /**
     * Spoils one PDU. {@code header} (BHS and AHS) and {@code data} are the PDU as the replay would
     * send it; {@code unknownItt} a tag of no task of the initiator.
     */
    Spoiled apply(byte[] header, byte[] data, boolean headerDigest, boolean dataDigest, int unknownItt) {
        Random r = new Random(seed);
        byte[] h = header.clone();
        ByteBuffer b = ByteBuffer.wrap(h);
        switch (kind) {
            case FLIP_BHS_BIT -> h[r.nextInt(48)] ^= (byte) (1 << r.nextInt(8));
            case DATA_LENGTH_LONGER -> setDsl(h, data.length + 1 + r.nextInt(16));
            case DATA_LENGTH_SHORTER -> setDsl(h, Math.max(0, data.length - 1 - r.nextInt(16)));
            case DATA_LENGTH_HUGE -> setDsl(h, Framing.MAX_DATA_SEGMENT_LENGTH);
            case BAD_OPCODE -> h[0] = (byte) (h[0] & 0xC0 | new int[] {0x07, 0x1c, 0x2e, 0x3c, 0x30}[r.nextInt(5)]);
            case INITIATOR_OPCODE -> h[0] = (byte) (h[0] & 0xC0 | 0x01);
            case UNKNOWN_ITT -> b.putInt(16, unknownItt);
            case RESERVED_ITT -> b.putInt(16, 0xFFFF_FFFF);
            case RESERVED_TTT -> b.putInt(20, 0xFFFF_FFFF);
            case STATSN_JUMP -> b.putInt(24, b.getInt(24) + 0x1000_0000);
            case STATSN_BACK -> b.putInt(24, b.getInt(24) - 2);
            case EXPCMDSN_JUMP -> {
                b.putInt(28, b.getInt(28) + 0x4000_0000);
                b.putInt(32, b.getInt(32) + 0x4000_0000);
            }
            case MAXCMDSN_BELOW -> b.putInt(32, b.getInt(28) - 2);
            case BOGUS_AHS -> {
                byte[] ahs = new byte[8];
                r.nextBytes(ahs);
                byte[] withAhs = new byte[h.length + 8];
                System.arraycopy(h, 0, withAhs, 0, h.length);
                System.arraycopy(ahs, 0, withAhs, h.length, 8);
                withAhs[4] = (byte) ((withAhs[4] & 0xFF) + 2);
                h = withAhs;
            }
            default -> {
                // the rest work on the encoded PDU below
            }
        }
        byte[] wire = encode(h, data, headerDigest, dataDigest);
        int headerEnd = h.length + (headerDigest ? 4 : 0);
        switch (kind) {
            case TRUNCATE_CLOSE, TRUNCATE_STALL -> {
                byte[] half = java.util.Arrays.copyOf(wire, Math.max(1, wire.length / 2));
                return new Spoiled(List.of(half), kind == Kind.TRUNCATE_CLOSE ? After.CLOSE : After.STALL);
            }
            case HEADER_DIGEST -> {
                if (headerDigest) {
                    wire[h.length] ^= 0x5A;
                }
            }
            case DATA_DIGEST -> {
                if (dataDigest && data.length > 0) {
                    wire[wire.length - 1] ^= 0x5A;
                } else if (data.length > 0) {
                    wire[headerEnd] ^= 1; // no digest to catch it: the data itself is wrong
                }
            }
            case UNKNOWN_TASK_ANSWER -> {
                byte[] forged = header.clone();
                ByteBuffer.wrap(forged).putInt(16, unknownItt);
                return new Spoiled(List.of(encode(forged, data, headerDigest, dataDigest), wire), After.CONTINUE);
            }
            case DUPLICATE -> {
                return new Spoiled(List.of(wire, wire), After.CONTINUE);
            }
            default -> {
                // done above
            }
        }
        return new Spoiled(List.of(wire), After.CONTINUE);
    }

    private static void setDsl(byte[] h, int dsl) {
        h[5] = (byte) (dsl >>> 16);
        h[6] = (byte) (dsl >>> 8);
        h[7] = (byte) dsl;
    }

    /** Header, header digest, data, padding, data digest: the PDU as it goes on the wire (lengths as the header says). */
    static byte[] encode(byte[] header, byte[] data, boolean headerDigest, boolean dataDigest) {
        int pad = Framing.padding(data.length);
        ByteBuffer out = ByteBuffer.allocate(header.length + 4 + data.length + pad + 4);
        out.put(header);
        if (headerDigest) {
            Framing.putDigest(out, Framing.crc32c(ByteBuffer.wrap(header)));
        }
        out.put(data);
        out.position(out.position() + pad);
        if (dataDigest && data.length > 0) {
            Framing.putDigest(out, Framing.dataDigest(ByteBuffer.wrap(data)));
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    @Override
    public String toString() {
        return kind + "@" + pduIndex + "/" + Long.toHexString(seed);
    }
}
