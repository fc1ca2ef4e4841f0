package org.kiscsi.testkit.peers;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a tgtd LUN stores its blocks in: tgtd's null backing store (1 TiB of zeros, writes
 * discarded) or a sparse file of a given size ({@code rdwr}), by default in the tgtd's LUN
 * directory under /dev/shm. Optionally a block size and thin provisioning (UNMAP, VPD 0xB2).
 */
public final class LunBacking {
    /** tgtd's null store: 2^31 blocks of 512 bytes. */
    public static final long NULL_SIZE_BYTES = 1L << 40;

    private final long sizeBytes;
    private final Integer blockSize;
    private final boolean thin;
    private final Path directory;

    private LunBacking(long sizeBytes, Integer blockSize, boolean thin, Path directory) {
        this.sizeBytes = sizeBytes;
        this.blockSize = blockSize;
        this.thin = thin;
        this.directory = directory;
    }

    /** tgtd's {@code null} backing store. */
    public static LunBacking nullDevice() {
        return new LunBacking(-1, null, false, null);
    }

    /** A new sparse file of {@code sizeBytes} ({@code rdwr} backing store), deleted with the LUN. */
    public static LunBacking file(long sizeBytes) {
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("LUN size must be positive: " + sizeBytes);
        }
        return new LunBacking(sizeBytes, null, false, null);
    }

    /** Logical block size tgtd reports (512, 4096, ...). */
    public LunBacking blockSize(int bytes) {
        if (bytes < 512 || Integer.bitCount(bytes) != 1) {
            throw new IllegalArgumentException("block size must be a power of two >= 512: " + bytes);
        }
        return new LunBacking(sizeBytes, bytes, thin, directory);
    }

    /** {@code --params thin_provisioning=1}. */
    public LunBacking thinProvisioned() {
        return new LunBacking(sizeBytes, blockSize, true, directory);
    }

    /** Puts the file in {@code dir} instead of the tgtd's LUN directory (files only). */
    public LunBacking inDirectory(Path dir) {
        if (isNull()) {
            throw new IllegalArgumentException("a null LUN has no file");
        }
        return new LunBacking(sizeBytes, blockSize, thin, dir);
    }

    public boolean isNull() {
        return sizeBytes < 0;
    }

    /** The file size; {@link #NULL_SIZE_BYTES} for the null store. */
    public long sizeBytes() {
        return isNull() ? NULL_SIZE_BYTES : sizeBytes;
    }

    public OptionalInt blockSize() {
        return blockSize == null ? OptionalInt.empty() : OptionalInt.of(blockSize);
    }

    public boolean thin() {
        return thin;
    }

    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    @Override
    public String toString() {
        return (isNull() ? "null" : "file of " + sizeBytes + " bytes") + blockSize().stream().mapToObj(b -> ", block size " + b).findFirst().orElse("")
                + (thin ? ", thin" : "");
    }
}
