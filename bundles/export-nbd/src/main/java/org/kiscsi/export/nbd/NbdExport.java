package org.kiscsi.export.nbd;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.BlockLimits;
import org.kiscsi.api.scsi.LogicalBlockProvisioning;

/**
 * A named export: a {@link BlockDevice} and what NBD clients are told of it (size, block sizes,
 * transmission flags). Make one with {@link #open}, which reads the LU's Block Limits and Logical Block
 * Provisioning pages once.
 *
 * <p>What is advertised is what holds: TRIM only where the LU takes UNMAP; block status
 * ({@code base:allocation}) only on a thin LU, where GET LBA STATUS answers; FAST_ZERO is accepted on
 * WRITE_ZEROES only where zeroing is an unmap that reads back zeros (WRITE SAME with UNMAP on a thin LU
 * with LBPRZ), and refused elsewhere. MULTI_CONN holds because every connection reaches one LU through
 * one device and FLUSH is SYNCHRONIZE CACHE of the whole LU: it covers writes completed on any
 * connection.
 *
 * @param name the export's name ("" for the default export)
 * @param description a line for clients (NBD_INFO_DESCRIPTION, LIST); may be empty
 * @param device the LU
 * @param readOnly writes, trims and zeroes are refused with EPERM
 * @param minBlock the LU's logical block size: every offset and length must be a multiple
 * @param preferredBlock a power of two: the Block Limits page's OPTIMAL TRANSFER LENGTH, else 4 KiB
 * @param maxPayload the most bytes one READ or WRITE carries: the LU's MAXIMUM TRANSFER LENGTH, at most 32 MiB
 * @param canTrim the LU takes UNMAP (VPD 0xB2 LBPU)
 * @param thin the LU is thin: block status comes from GET LBA STATUS
 * @param unmapZeroes WRITE SAME with UNMAP is supported and unmapped blocks read as zeros
 * @param holesReadZero unmapped blocks read as zeros (LBPRZ): holes are reported with NBD_STATE_ZERO
 */
public record NbdExport(String name, String description, BlockDevice device, boolean readOnly, int minBlock,
        int preferredBlock, int maxPayload, boolean canTrim, boolean thin, boolean unmapZeroes,
        boolean holesReadZero) {
    public NbdExport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
        description = description == null ? "" : description;
        checkString(name, "export name");
        checkString(description, "export description");
    }

    /** Probes {@code device}'s limits and provisioning (pages it lacks count as "no"). */
    public static CompletionStage<NbdExport> open(String name, String description, BlockDevice device, boolean readOnly) {
        CompletableFuture<BlockLimits> limits = device.blockLimits().toCompletableFuture()
                .exceptionally(e -> BlockLimits.NONE);
        CompletableFuture<LogicalBlockProvisioning> lbp = device.logicalBlockProvisioning().toCompletableFuture()
                .exceptionally(e -> null);
        return limits.thenCombine(lbp, (l, p) -> of(name, description, device, readOnly, l, p));
    }

    /** The export as {@link #open} makes it from pages already read ({@code provisioning} null: no page 0xB2). */
    public static NbdExport of(String name, String description, BlockDevice device, boolean readOnly, BlockLimits limits,
            LogicalBlockProvisioning provisioning) {
        int bs = device.blockSize();
        long maxBytes = Nbd.MAX_PAYLOAD;
        if (limits.maxTransferLength() > 0) {
            maxBytes = Math.min(maxBytes, limits.maxTransferLength() * bs);
        }
        int max = (int) Math.max(bs, maxBytes / bs * bs);
        long optimal = limits.optimalTransferLength() > 0 ? limits.optimalTransferLength() * bs : 4096;
        int preferred = (int) Math.min(Math.max(Long.highestOneBit(Math.max(optimal, 1)), bs), Integer.highestOneBit(max));
        preferred = Math.max(preferred, bs);
        boolean thin = provisioning != null && provisioning.thinProvisioned();
        boolean canTrim = provisioning != null && provisioning.unmapSupported();
        boolean unmapZeroes = thin && provisioning.writeSame16UnmapSupported() && provisioning.readsZeros();
        return new NbdExport(name, description, device, readOnly, bs, preferred, max, canTrim, thin, unmapZeroes,
                provisioning != null && provisioning.readsZeros());
    }

    /** Size in bytes. */
    public long size() {
        return device.blockCount() * (long) device.blockSize();
    }

    /** The transmission flags of NBD_INFO_EXPORT. */
    int transmissionFlags(boolean structuredReplies) {
        int f = Nbd.TFLAG_HAS_FLAGS | Nbd.TFLAG_SEND_FLUSH | Nbd.TFLAG_SEND_FUA | Nbd.TFLAG_CAN_MULTI_CONN
                | Nbd.TFLAG_SEND_CACHE;
        if (readOnly) {
            f |= Nbd.TFLAG_READ_ONLY;
        } else {
            f |= Nbd.TFLAG_SEND_WRITE_ZEROES | Nbd.TFLAG_SEND_FAST_ZERO;
            if (canTrim) {
                f |= Nbd.TFLAG_SEND_TRIM;
            }
        }
        if (structuredReplies) {
            f |= Nbd.TFLAG_SEND_DF;
        }
        return f;
    }

    /** Fails with IllegalArgumentException for a name NBD cannot carry (a NUL, more than 4096 bytes of UTF-8). */
    public static void checkName(String name) {
        checkString(name, "export name");
    }

    private static void checkString(String s, String what) {
        if (s.indexOf('\0') >= 0 || s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Nbd.MAX_STRING) {
            throw new IllegalArgumentException(what + " '" + s + "': no NUL and at most " + Nbd.MAX_STRING + " bytes of UTF-8");
        }
    }
}
