package org.kiscsi.scsi;

/**
 * How a {@link ScsiBlockDevice} behaves.
 *
 * @param maxTransferBytes largest READ or WRITE it sends; longer ones are split. The Block Limits VPD
 *        page's MAXIMUM TRANSFER LENGTH lowers it further where the LU reports one. At least one block
 *        is always sent.
 * @param unitAttentionRetries how many times a command that got a UNIT ATTENTION is sent again before
 *        the CHECK CONDITION reaches the caller (see {@link ScsiBlockDevice} for the policy)
 */
public record BlockDeviceOptions(int maxTransferBytes, int unitAttentionRetries) {
    /** 8 MiB: large enough for 1 MiB streaming I/O in one command, small enough to bound one command's time. */
    public static final int DEFAULT_MAX_TRANSFER_BYTES = 8 << 20;
    /**
     * 5: a target may queue several unit attentions for one I_T nexus (reset, then capacity change, then
     * reported LUNs change ...) and each command clears one; more than this in a row means something is
     * wrong and the caller should hear of it.
     */
    public static final int DEFAULT_UNIT_ATTENTION_RETRIES = 5;

    public static final BlockDeviceOptions DEFAULTS =
            new BlockDeviceOptions(DEFAULT_MAX_TRANSFER_BYTES, DEFAULT_UNIT_ATTENTION_RETRIES);

    public BlockDeviceOptions {
        if (maxTransferBytes < 1) {
            throw new IllegalArgumentException("maxTransferBytes " + maxTransferBytes + " is not positive");
        }
        if (unitAttentionRetries < 0 || unitAttentionRetries > 100) {
            throw new IllegalArgumentException("unitAttentionRetries " + unitAttentionRetries + " (0 to 100)");
        }
    }
}
