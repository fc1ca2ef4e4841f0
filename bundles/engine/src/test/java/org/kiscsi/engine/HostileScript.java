package org.kiscsi.engine;

import java.nio.ByteBuffer;
import java.util.List;

import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.testkit.hostile.SeedConversation;

/**
 * The I/O the hostile target's seeds were recorded with (tgtd, LUN 1, 512-byte blocks) and that the
 * hostile target tests replay: the same commands, so that every command finds its recorded answer.
 */
final class HostileScript {
    static final String TARGET = "iqn.2026-11.org.kiscsi.it:hostile";
    static final int BLOCK = 512;
    static final String PLAIN = "tgtd-login-io.pdus";
    static final String DIGESTS = "tgtd-login-io-crc32c.pdus";
    static final String SEND_TARGETS = "tgtd-sendtargets.pdus";

    private HostileScript() {
    }

    /** TEST UNIT READY (tgtd answers the first with a unit attention), INQUIRY, READ CAPACITY (16), writes and reads. */
    static List<ScsiTask> tasks() {
        return List.of(
                ScsiTask.noData(1, Cdbs.testUnitReady()),
                ScsiTask.read(1, new byte[] {0x12, 0, 0, 0, 96, 0}, ByteBuffer.allocate(96)),
                ScsiTask.read(1, readCapacity16(), ByteBuffer.allocate(32)),
                ScsiTask.write(1, Cdbs.write16(0, 8), ByteBuffer.wrap(pattern(0, 8))),
                ScsiTask.write(1, Cdbs.write16(8, 64), ByteBuffer.wrap(pattern(8, 64))),
                ScsiTask.read(1, Cdbs.read16(0, 8), ByteBuffer.allocate(8 * BLOCK)),
                ScsiTask.read(1, Cdbs.read16(8, 64), ByteBuffer.allocate(64 * BLOCK)));
    }

    /**
     * Where the first target PDU with {@code opcode} is among those a {@code HostileTarget} counts
     * for its mutations (every target PDU of the first connection but the answers to NOP-Outs).
     */
    static int spoilableIndexOf(SeedConversation seeds, int opcode) {
        int n = 0;
        boolean afterNop = false;
        for (SeedConversation.Event e : seeds.events()) {
            if (e.connection() != 0) {
                continue;
            }
            if (e.fromInitiator()) {
                afterNop = e.opcodeBits() == 0x00;
            } else if (!afterNop) {
                if (e.opcodeBits() == opcode) {
                    return n;
                }
                n++;
            }
        }
        throw new IllegalArgumentException("no target PDU with opcode " + opcode + " in the seeds");
    }

    /** Blocks that say which LBA they are. */
    static byte[] pattern(long lba, int blocks) {
        ByteBuffer b = ByteBuffer.allocate(blocks * BLOCK);
        for (int i = 0; i < blocks; i++) {
            for (int j = 0; j < BLOCK; j += 8) {
                b.putLong(lba + i << 16 | j);
            }
        }
        return b.array();
    }

    private static byte[] readCapacity16() {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x9E;
        cdb[1] = 0x10;
        cdb[13] = 32;
        return cdb;
    }
}
