package org.kiscsi.api.scsi;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A logical unit seen as a block device: kiscsi lives in user space, so applications reach LUNs
 * through this interface instead of a /dev node. Calls are asynchronous; blocking wrappers belong to
 * the edges (tools, shell).
 */
@ProviderType
public interface BlockDevice {
    /** The LUN this device addresses. */
    long lun();

    /** Logical block size in bytes, from READ CAPACITY. */
    int blockSize();

    /** Number of logical blocks, from READ CAPACITY. */
    long blockCount();

    /** Reads {@code dst.remaining() / blockSize()} blocks at {@code lba} into {@code dst}. */
    CompletionStage<Void> read(long lba, ByteBuffer dst);

    /** Writes {@code src.remaining() / blockSize()} blocks at {@code lba}; FUA when {@code forceUnitAccess}. */
    CompletionStage<Void> write(long lba, ByteBuffer src, boolean forceUnitAccess);

    /** SYNCHRONIZE CACHE for the whole device. */
    CompletionStage<Void> flush();

    /** Any other command, unchanged. */
    CompletionStage<ScsiResult> execute(ScsiTask task);
}
