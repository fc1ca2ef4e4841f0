package org.kiscsi.testkit.target;

import java.nio.ByteBuffer;

/**
 * A logical unit in memory and the few SCSI commands the test target answers (TEST UNIT READY, INQUIRY,
 * READ CAPACITY, READ/WRITE 10 and 16, SYNCHRONIZE CACHE(10), COMPARE AND WRITE). Results are what a
 * SCSI target returns: data and a status with sense.
 */
public final class RamLun {
    /** The outcome of one command. */
    record Result(int status, byte[] sense, ByteBuffer dataIn) {
        static Result good(ByteBuffer data) {
            return new Result(0, null, data);
        }

        static Result check(int key, int asc, int ascq) {
            byte[] s = new byte[18];
            s[0] = 0x70;
            s[2] = (byte) key;
            s[7] = 10;
            s[12] = (byte) asc;
            s[13] = (byte) ascq;
            return new Result(2, s, null);
        }

        /** Fixed-format sense with VALID set and the INFORMATION field (bytes 3-6). */
        static Result check(int key, int asc, int ascq, int information) {
            Result r = check(key, asc, ascq);
            r.sense()[0] = (byte) 0xF0;
            ByteBuffer.wrap(r.sense()).putInt(3, information);
            return r;
        }
    }

    public static final int BLOCK = 512;
    private volatile byte[] data;

    public RamLun(int blocks) {
        data = new byte[blocks * BLOCK];
    }

    public long blocks() {
        return data.length / BLOCK;
    }

    /** Grows or shrinks the LU (tests then raise CAPACITY DATA HAS CHANGED themselves). */
    public synchronized void resize(int blocks) {
        byte[] n = new byte[blocks * BLOCK];
        System.arraycopy(data, 0, n, 0, Math.min(n.length, data.length));
        data = n;
    }

    public byte[] contents() {
        return data.clone();
    }

    /** How many bytes of data-out the command carries (0 for non-writes). */
    static int dataOutLength(byte[] cdb) {
        return switch (cdb[0] & 0xFF) {
            case 0x2A -> (((cdb[7] & 0xFF) << 8) | (cdb[8] & 0xFF)) * BLOCK;
            case 0x8A -> ByteBuffer.wrap(cdb).getInt(10) * BLOCK;
            case 0x89 -> 2 * (cdb[13] & 0xFF) * BLOCK;
            default -> 0;
        };
    }

    synchronized Result execute(byte[] cdb, byte[] out, int allocationLimit) {
        ByteBuffer c = ByteBuffer.wrap(cdb);
        switch (cdb[0] & 0xFF) {
            case 0x00: // TEST UNIT READY
            case 0x35: // SYNCHRONIZE CACHE(10)
                return Result.good(null);
            case 0x12: { // INQUIRY, standard data only
                if ((cdb[1] & 1) != 0) {
                    return Result.check(5, 0x24, 0);
                }
                ByteBuffer b = ByteBuffer.allocate(36);
                b.put(0, (byte) 0).put(2, (byte) 5).put(3, (byte) 2).put(4, (byte) 31).put(7, (byte) 0x02);
                put(b, 8, "KISCSI  ");
                put(b, 16, "TESTKIT TARGET  ");
                put(b, 32, "0001");
                return Result.good(limit(b, ((cdb[3] & 0xFF) << 8) | (cdb[4] & 0xFF)));
            }
            case 0x25: { // READ CAPACITY(10)
                ByteBuffer b = ByteBuffer.allocate(8);
                b.putInt(0, (int) Math.min(blocks() - 1, 0xFFFFFFFFL)).putInt(4, BLOCK);
                return Result.good(b);
            }
            case 0x9E: { // READ CAPACITY(16)
                if ((cdb[1] & 0x1F) != 0x10) {
                    return Result.check(5, 0x20, 0);
                }
                ByteBuffer b = ByteBuffer.allocate(32);
                b.putLong(0, blocks() - 1).putInt(8, BLOCK);
                return Result.good(limit(b, c.getInt(10)));
            }
            case 0xA0: // REPORT LUNS: answered by the target, which knows all LUNs
                return Result.check(5, 0x20, 0);
            case 0x28:
                return read(Integer.toUnsignedLong(c.getInt(2)), ((cdb[7] & 0xFF) << 8) | (cdb[8] & 0xFF));
            case 0x88:
                return read(c.getLong(2), c.getInt(10));
            case 0x2A:
                return write(Integer.toUnsignedLong(c.getInt(2)), ((cdb[7] & 0xFF) << 8) | (cdb[8] & 0xFF), out);
            case 0x8A:
                return write(c.getLong(2), c.getInt(10), out);
            case 0x89:
                return compareAndWrite(c.getLong(2), cdb[13] & 0xFF, out);
            default:
                return Result.check(5, 0x20, 0); // ILLEGAL REQUEST, invalid command operation code
        }
    }

    private Result read(long lba, int blocks) {
        if (lba + blocks > blocks()) {
            return Result.check(5, 0x21, 0);
        }
        return Result.good(ByteBuffer.wrap(data, (int) lba * BLOCK, blocks * BLOCK).slice());
    }

    private Result write(long lba, int blocks, byte[] out) {
        if (lba + blocks > blocks()) {
            return Result.check(5, 0x21, 0);
        }
        System.arraycopy(out, 0, data, (int) lba * BLOCK, blocks * BLOCK);
        return Result.good(null);
    }

    /**
     * COMPARE AND WRITE (SBC-3): {@code out} holds the blocks to compare, then those to write. A
     * difference is MISCOMPARE / MISCOMPARE DURING VERIFY OPERATION (1D/00) with the offset of the first
     * differing byte in INFORMATION, and nothing is written.
     */
    private Result compareAndWrite(long lba, int blocks, byte[] out) {
        if (lba + blocks > blocks()) {
            return Result.check(5, 0x21, 0);
        }
        int length = blocks * BLOCK;
        if (out.length != 2 * length) {
            return Result.check(5, 0x24, 0);
        }
        int at = (int) lba * BLOCK;
        int differs = java.util.Arrays.mismatch(data, at, at + length, out, 0, length);
        if (differs >= 0) {
            return Result.check(0x0E, 0x1D, 0x00, differs);
        }
        System.arraycopy(out, length, data, at, length);
        return Result.good(null);
    }

    private static ByteBuffer limit(ByteBuffer b, int allocation) {
        return b.limit(Math.min(b.capacity(), allocation)).slice();
    }

    private static void put(ByteBuffer b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            b.put(at + i, (byte) s.charAt(i));
        }
    }
}
