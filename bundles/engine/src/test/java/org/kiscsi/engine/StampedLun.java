package org.kiscsi.engine;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/**
 * What a soak knows of one LUN's blocks: each block carries a stamp (magic, LUN, block number,
 * version) and a fill derived from them, so a read tells which version it found and whether the
 * block is intact. Per block, the versions it may hold: the last one acknowledged, plus those of
 * writes that failed (they may or may not have landed). Not thread-safe: one worker owns it.
 */
final class StampedLun {
    static final int BLOCK = 4096;
    private static final long MAGIC = 0x6b69_7363_7369_534bL;

    /** What a read of a block found. */
    enum Found { OK, LOST, CORRUPT }

    private final int lun;
    private final int blocks;
    private final Set<Long>[] possible;

    @SuppressWarnings("unchecked")
    StampedLun(int lun, int blocks) {
        this.lun = lun;
        this.blocks = blocks;
        this.possible = new Set[blocks];
        for (int i = 0; i < blocks; i++) {
            possible[i] = new HashSet<>(Set.of(0L)); // never written: the sparse file reads zeros
        }
    }

    int blocks() {
        return blocks;
    }

    /** The version the next write of {@code block} carries. */
    long nextVersion(int block) {
        return possible[block].stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    }

    /** Fills {@code out} (at its position) with {@code block} at {@code version}. */
    void fill(ByteBuffer out, int block, long version) {
        ByteBuffer b = out.slice().limit(BLOCK);
        b.putLong(MAGIC).putInt(lun).putInt(block).putLong(version);
        long x = version * 0x9E37_79B9_7F4A_7C15L ^ (long) lun << 40 ^ block;
        while (b.hasRemaining()) {
            x += 0x9E37_79B9_7F4A_7C15L;
            long z = (x ^ x >>> 30) * 0xBF58_476D_1CE4_E5B9L;
            b.putLong(z ^ z >>> 31);
        }
        out.position(out.position() + BLOCK);
    }

    void written(int block, long version) {
        possible[block].clear();
        possible[block].add(version);
    }

    void writeFailed(int block, long version) {
        possible[block].add(version);
    }

    /** Checks a block read back (at {@code in}'s position); on OK the block's version is known again. */
    Found check(ByteBuffer in, int block) {
        ByteBuffer b = in.slice().limit(BLOCK);
        long version = versionIn(b, block);
        if (version < 0) {
            return Found.CORRUPT;
        }
        if (!possible[block].contains(version)) {
            long newest = possible[block].stream().mapToLong(Long::longValue).max().orElse(0);
            return version < newest ? Found.LOST : Found.CORRUPT;
        }
        ByteBuffer expected = ByteBuffer.allocate(BLOCK);
        if (version > 0) {
            fill(expected, block, version);
        }
        if (!expected.clear().equals(b)) {
            return Found.CORRUPT;
        }
        written(block, version);
        return Found.OK;
    }

    /** The version a block says it holds: 0 for all zeros, -1 when the stamp is not this block's. */
    private long versionIn(ByteBuffer b, int block) {
        if (b.getLong(0) == 0 && b.getLong(16) == 0) {
            return 0;
        }
        if (b.getLong(0) != MAGIC || b.getInt(8) != lun || b.getInt(12) != block) {
            return -1;
        }
        return b.getLong(16);
    }

    /** What the block may hold, for messages. */
    String possible(int block) {
        return possible[block].toString();
    }
}
